package dev.rtkit.internal.transport.http;

import dev.rtkit.Event;
import dev.rtkit.Gap;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The poll and long-poll answer: {@code {"messages":[…],"cursor":"…"}}, plus {@code "gaps":[…]} when history
 * no longer reached back, and {@code "refused":[…]} naming the topics of the request that are not served.
 * Message JSON is copied from each message's one encoding.
 */
final class Batch {
    private Batch() {
    }

    static byte[] encode(List<Event> events, String cursor, List<Refusal> refused) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + events.size() * 128);
        out.writeBytes("{\"messages\":[".getBytes(StandardCharsets.UTF_8));
        boolean first = true;
        for (Event e : events) {
            if (!(e instanceof Gap)) {
                first = append(out, e, first);
            }
        }
        out.write(']');
        if (events.stream().anyMatch(e -> e instanceof Gap)) {
            out.writeBytes(",\"gaps\":[".getBytes(StandardCharsets.UTF_8));
            first = true;
            for (Event e : events) {
                if (e instanceof Gap) {
                    first = append(out, e, first);
                }
            }
            out.write(']');
        }
        if (!refused.isEmpty()) {
            out.writeBytes(",\"refused\":[".getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < refused.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                out.writeBytes(refused.get(i).item().getBytes(StandardCharsets.UTF_8));
            }
            out.write(']');
        }
        // Cursors hold only topic names, '@', ',', '-' and base-36 digits: nothing to escape.
        out.writeBytes((",\"cursor\":\"" + cursor + "\"}").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static boolean append(ByteArrayOutputStream out, Event e, boolean first) {
        if (!first) {
            out.write(',');
        }
        out.writeBytes(e.json());
        return false;
    }
}
