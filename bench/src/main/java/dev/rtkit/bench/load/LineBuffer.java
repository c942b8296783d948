package dev.rtkit.bench.load;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** Bytes received so far on one response; hands complete lines to the probe and keeps the rest. */
final class LineBuffer {
    private byte[] data = new byte[512];
    private int length;

    void append(ByteBuffer buf) {
        int n = buf.remaining();
        if (length + n > data.length) {
            data = Arrays.copyOf(data, Math.max(data.length * 2, length + n));
        }
        buf.get(data, length, n);
        length += n;
    }

    /** Scans every complete line and drops it. */
    void scanLines(Probe probe) {
        scanUpTo(probe, (byte) '\n');
    }

    /**
     * Scans everything up to and including the last {@code delimiter} and drops it: a line, or for a stream that
     * writes messages back to back with nothing between (Atmosphere's streaming), the closing brace of a payload.
     */
    void scanUpTo(Probe probe, byte delimiter) {
        int end = length - 1;
        while (end >= 0 && data[end] != delimiter) {
            end--;
        }
        if (end < 0) {
            return;
        }
        probe.scan(data, 0, end + 1);
        System.arraycopy(data, end + 1, data, 0, length - end - 1);
        length -= end + 1;
    }

    /** Scans everything and returns the {@code "cursor":"…"} value of a poll answer, or null. */
    String scanAll(Probe probe) {
        probe.scan(data, 0, length);
        String body = new String(data, 0, length, java.nio.charset.StandardCharsets.UTF_8);
        length = 0;
        int at = body.lastIndexOf("\"cursor\":\"");
        if (at < 0) {
            return null;
        }
        at += 10;
        int end = body.indexOf('"', at);
        return end < 0 ? null : body.substring(at, end);
    }

    /** Scans everything received (a whole response body) and drops it. */
    void scanBody(Probe probe) {
        probe.scan(data, 0, length);
        length = 0;
    }

    String text() {
        return new String(data, 0, length, java.nio.charset.StandardCharsets.UTF_8);
    }

    void clear() {
        length = 0;
    }
}
