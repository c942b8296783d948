package dev.rtkit.demosite;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/2 with prior knowledge (h2c) frame by frame over a plain socket: for a client that breaks the rules on
 * purpose (more streams than the server allows), which real clients refuse to do. Headers are HPACK literals
 * without indexing, so no table state is kept.
 */
final class RawH2 implements AutoCloseable {
    static final int DATA = 0x0, HEADERS = 0x1, RST_STREAM = 0x3, SETTINGS = 0x4, PING = 0x6, GOAWAY = 0x7;
    static final int REFUSED_STREAM = 0x7;

    /** One frame as received. */
    record Frame(int type, int flags, int stream, byte[] payload) {
        int errorCode() {
            int at = type == GOAWAY ? 4 : 0;
            return ((payload[at] & 0xff) << 24) | ((payload[at + 1] & 0xff) << 16) | ((payload[at + 2] & 0xff) << 8)
                    | (payload[at + 3] & 0xff);
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final String authority;

    RawH2(String host, int port) throws IOException {
        socket = new Socket(host, port);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        authority = host + ":" + port;
        out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        frame(SETTINGS, 0, 0, new byte[0]);
        out.flush();
    }

    /** Opens stream {@code id} with a GET of {@code path}, request complete (END_STREAM). Not flushed. */
    void get(int id, String path) throws IOException {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        literal(block, ":method", "GET");
        literal(block, ":scheme", "http");
        literal(block, ":authority", authority);
        literal(block, ":path", path);
        frame(HEADERS, 0x4 | 0x1, id, block.toByteArray());
    }

    void ping() throws IOException {
        frame(PING, 0, 0, new byte[8]);
        flush();
    }

    void flush() throws IOException {
        out.flush();
    }

    /** The next frame; answers the server's SETTINGS with an ACK on the way. */
    Frame next() throws IOException {
        int length = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
        int type = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        int stream = in.readInt() & 0x7fffffff;
        byte[] payload = new byte[length];
        in.readFully(payload);
        if (type == SETTINGS && (flags & 0x1) == 0) {
            frame(SETTINGS, 0x1, 0, new byte[0]);
            out.flush();
        }
        return new Frame(type, flags, stream, payload);
    }

    private static void literal(ByteArrayOutputStream block, String name, String value) {
        block.write(0x00);
        string(block, name);
        string(block, value);
    }

    private static void string(ByteArrayOutputStream block, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length >= 127) {
            throw new IllegalArgumentException("kept short: one length byte");
        }
        block.write(bytes.length);
        block.writeBytes(bytes);
    }

    private void frame(int type, int flags, int stream, byte[] payload) throws IOException {
        byte[] head = {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length,
                (byte) type, (byte) flags, (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream};
        out.write(head);
        out.write(payload);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
