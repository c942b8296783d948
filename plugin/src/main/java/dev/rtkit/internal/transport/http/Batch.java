package dev.rtkit.internal.transport.http;

import dev.rtkit.Event;
import dev.rtkit.Gap;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The poll and long-poll answer: {@code {"messages":[…],"cursor":"…"}}, plus {@code "gaps":[…]} when history
 * no longer reached back, and {@code "refused":[…]} naming the topics of the request that are not served.
 * Message JSON is copied from each message's one encoding into an array sized for the answer up front, so an
 * answer costs one allocation and no growing copies.
 */
final class Batch {
    private static final byte[] MESSAGES = ascii("{\"messages\":[");
    private static final byte[] GAPS = ascii(",\"gaps\":[");
    private static final byte[] REFUSED = ascii(",\"refused\":[");
    private static final byte[] CURSOR = ascii(",\"cursor\":\"");

    private Batch() {
    }

    static byte[] encode(List<Event> events, String cursor, List<Refusal> refused) {
        int n = events.size();
        byte[][] json = new byte[n][];
        int messages = 0;
        int gaps = 0;
        int size = MESSAGES.length + 1 + CURSOR.length + cursor.length() + 2;
        for (int i = 0; i < n; i++) {
            Event e = events.get(i);
            json[i] = e.json();
            size += json[i].length;
            if (e instanceof Gap) {
                gaps++;
            } else {
                messages++;
            }
        }
        size += Math.max(0, messages - 1) + (gaps > 0 ? GAPS.length + 1 + gaps - 1 : 0);
        byte[][] items = new byte[refused.size()][];
        for (int i = 0; i < items.length; i++) {
            items[i] = refused.get(i).item().getBytes(StandardCharsets.UTF_8);
            size += items[i].length + (i > 0 ? 1 : 0);
        }
        if (items.length > 0) {
            size += REFUSED.length + 1;
        }
        Out out = new Out(new byte[size]);
        out.put(MESSAGES);
        out.list(events, json, false);
        out.put((byte) ']');
        if (gaps > 0) {
            out.put(GAPS);
            out.list(events, json, true);
            out.put((byte) ']');
        }
        if (items.length > 0) {
            out.put(REFUSED);
            for (int i = 0; i < items.length; i++) {
                if (i > 0) {
                    out.put((byte) ',');
                }
                out.put(items[i]);
            }
            out.put((byte) ']');
        }
        out.put(CURSOR);
        // Cursors hold only topic names, '@', ',', '-' and base-36 digits: ASCII, nothing to escape.
        for (int i = 0, len = cursor.length(); i < len; i++) {
            out.put((byte) cursor.charAt(i));
        }
        out.put((byte) '"');
        out.put((byte) '}');
        return out.bytes;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A cursor into the answer's array. */
    private static final class Out {
        final byte[] bytes;
        int at;

        Out(byte[] bytes) {
            this.bytes = bytes;
        }

        void put(byte b) {
            bytes[at++] = b;
        }

        void put(byte[] b) {
            System.arraycopy(b, 0, bytes, at, b.length);
            at += b.length;
        }

        /** The events that are gaps (or those that are not), comma-separated. */
        void list(List<Event> events, byte[][] json, boolean gaps) {
            boolean first = true;
            for (int i = 0; i < json.length; i++) {
                if ((events.get(i) instanceof Gap) == gaps) {
                    if (!first) {
                        put((byte) ',');
                    }
                    put(json[i]);
                    first = false;
                }
            }
        }
    }
}
