package dev.rtkit.internal.transport.http;

import dev.rtkit.Event;
import dev.rtkit.Message;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * {@code application/x-ndjson}: one JSON event a line, as in the canonical JSON; with several topics each
 * message line also carries {@code "cursor"}. Heartbeats are {@code {"type":"heartbeat"}} lines, probes empty lines. A refused topic of a
 * several-topic request is a {@code {"type":"refused",…}} line, first of all.
 */
final class NdjsonFraming implements Framing {
    private static final byte[] HEARTBEAT = "{\"type\":\"heartbeat\"}\n".getBytes(StandardCharsets.US_ASCII);
    /** An empty line: NDJSON readers skip it (rtkit.js does). */
    private static final byte[] PROBE = {'\n'};
    private static final Message.Encoding LINE = Message.Encoding.of(m -> line(m.json()));

    @Override
    public String contentType() {
        return "application/x-ndjson";
    }

    @Override
    public byte[] opening(List<Refusal> refused) {
        if (refused.isEmpty()) {
            return HEARTBEAT;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Refusal r : refused) {
            out.writeBytes(line(r.event()));
        }
        out.writeBytes(HEARTBEAT);
        return out.toByteArray();
    }

    @Override
    public byte[] frame(Event event, String cursor) {
        if (!(event instanceof Message m)) {
            return line(event.json());
        }
        if (cursor == null) {
            return m.encoded(LINE);
        }
        byte[] json = m.json();
        byte[] tail = (",\"cursor\":\"" + cursor + "\"}\n").getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(json, json.length - 1 + tail.length);
        System.arraycopy(tail, 0, out, json.length - 1, tail.length);
        return out;
    }

    @Override
    public byte[] heartbeat() {
        return HEARTBEAT;
    }

    @Override
    public byte[] probe() {
        return PROBE;
    }

    private static byte[] line(byte[] json) {
        byte[] out = Arrays.copyOf(json, json.length + 1);
        out[json.length] = '\n';
        return out;
    }
}
