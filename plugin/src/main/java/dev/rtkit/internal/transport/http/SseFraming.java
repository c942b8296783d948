package dev.rtkit.internal.transport.http;

import dev.rtkit.Event;
import dev.rtkit.Gap;
import dev.rtkit.Message;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code text/event-stream}. A message is {@code id: <cursor>}, {@code event: <name>} when one was given at
 * publish, and its payload as {@code data:} lines; in JSON mode ({@code ?format=json}) the data is the whole
 * message JSON (topic, id, data), which is what rtkit.js reads. A gap is {@code event: gap} with the gap JSON.
 * Heartbeats are comment lines ({@code :hb}); in JSON mode {@code event: heartbeat} events. Probes are empty
 * comment lines ({@code :}). A refused topic of a
 * several-topic request is an {@code event: refused} whose data is the refusal JSON, after {@code retry:}.
 */
final class SseFraming implements Framing {
    private static final byte[] HEARTBEAT = ":hb\n\n".getBytes(StandardCharsets.US_ASCII);
    /** An empty comment line: EventSource ignores it, and it ends no event. */
    private static final byte[] PROBE = {':', '\n'};
    /** In JSON mode heartbeats are events, so a page's watchdog (rtkit.js) can see them; comments are invisible. */
    private static final byte[] JSON_HEARTBEAT = "event: heartbeat\ndata: {\"type\":\"heartbeat\"}\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final Message.Encoding RAW_BODY = Message.Encoding.of(m -> body(m, false));
    private static final Message.Encoding RAW_FRAME = Message.Encoding.of(m -> withId(m.id().toString(), m.encoded(RAW_BODY)));
    private static final Message.Encoding JSON_BODY = Message.Encoding.of(m -> body(m, true));
    private static final Message.Encoding JSON_FRAME = Message.Encoding.of(m -> withId(m.id().toString(), m.encoded(JSON_BODY)));

    private final boolean json;
    private final byte[] preamble;

    SseFraming(boolean json, long retryMillis) {
        this.json = json;
        this.preamble = ("retry: " + retryMillis + "\n\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String contentType() {
        return "text/event-stream";
    }

    @Override
    public byte[] opening(List<Refusal> refused) {
        if (refused.isEmpty()) {
            return preamble;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(preamble);
        for (Refusal r : refused) {
            out.writeBytes("event: refused\ndata: ".getBytes(StandardCharsets.US_ASCII));
            // Quoted JSON holds no CR or LF: one data line.
            out.writeBytes(r.event());
            out.writeBytes("\n\n".getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    @Override
    public byte[] frame(Event event, String cursor) {
        if (event instanceof Message m) {
            if (cursor == null) {
                return m.encoded(json ? JSON_FRAME : RAW_FRAME);
            }
            return withId(cursor, m.encoded(json ? JSON_BODY : RAW_BODY));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("event: gap\n".getBytes(StandardCharsets.US_ASCII));
        data(out, new String(((Gap) event).json(), StandardCharsets.UTF_8));
        out.write('\n');
        return out.toByteArray();
    }

    @Override
    public byte[] heartbeat() {
        return json ? JSON_HEARTBEAT : HEARTBEAT;
    }

    @Override
    public byte[] probe() {
        return PROBE;
    }

    /** The event and data lines and the blank line that ends the event. */
    static byte[] body(Message m, boolean json) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(m.data().length() + 32);
        if (m.event() != null && !json) {
            out.writeBytes(("event: " + singleLine(m.event()) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        data(out, json ? new String(m.json(), StandardCharsets.UTF_8) : m.data());
        out.write('\n');
        return out.toByteArray();
    }

    /** One {@code data:} line per line of text, split on CRLF, CR and LF alike, as the SSE parser will. */
    static void data(ByteArrayOutputStream out, String text) {
        int start = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n') {
                line(out, text.substring(start, i));
                if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        line(out, text.substring(start));
    }

    private static void line(ByteArrayOutputStream out, String s) {
        out.writeBytes("data: ".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        out.write('\n');
    }

    /** CR and LF would end the field and start another: an injection. Field values never keep them. */
    static String singleLine(String value) {
        return value.replace("\r", "").replace("\n", "");
    }

    private static byte[] withId(String id, byte[] body) {
        byte[] head = ("id: " + singleLine(id) + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + body.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(body, 0, out, head.length, body.length);
        return out;
    }
}
