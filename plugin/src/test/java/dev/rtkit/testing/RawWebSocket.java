package dev.rtkit.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * A WebSocket handshake and frames over a plain socket, byte by byte: for exact status lines and for a peer
 * that misbehaves on purpose (never answers pings, sends what it likes).
 */
public final class RawWebSocket implements AutoCloseable {
    /** One frame as received: opcode and payload. */
    public record Frame(int opcode, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The status code of a close frame. */
        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final String statusLine;
    private final String head;

    private RawWebSocket(URI uri, Map<String, String> headers) throws IOException {
        socket = new Socket(uri.getHost(), uri.getPort());
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        byte[] nonce = new byte[16];
        new SecureRandom().nextBytes(nonce);
        StringBuilder req = new StringBuilder()
                .append("GET ").append(uri.getRawPath()).append(" HTTP/1.1\r\n")
                .append("Host: ").append(uri.getHost()).append(':').append(uri.getPort()).append("\r\n")
                .append("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n")
                .append("Sec-WebSocket-Key: ").append(Base64.getEncoder().encodeToString(nonce)).append("\r\n");
        headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
        out.write(req.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
        head = readHead();
        statusLine = head.substring(0, head.indexOf("\r\n"));
    }

    public static RawWebSocket open(URI uri, Map<String, String> headers) throws IOException {
        return new RawWebSocket(uri, headers);
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection ended in the response head: " + buf);
            }
            buf.write(b);
            String s = buf.toString(StandardCharsets.ISO_8859_1);
            if (s.endsWith("\r\n\r\n")) {
                return s;
            }
        }
    }

    /** e.g. {@code HTTP/1.1 101 Switching Protocols} */
    public String statusLine() {
        return statusLine;
    }

    public int status() {
        return Integer.parseInt(statusLine.split(" ")[1]);
    }

    /** The whole response head, status line and headers. */
    public String head() {
        return head;
    }

    /** Up to {@code max} bytes of the response body that follow a refused handshake. */
    public String bodyStart(int max) throws IOException {
        byte[] buf = new byte[max];
        int n = in.read(buf);
        return n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.UTF_8);
    }

    /** The next frame from the server (unmasked), waiting at most {@code timeout}. */
    public Frame next(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long len = b1 & 0x7f;
        if (len == 126) {
            len = in.readUnsignedShort();
        } else if (len == 127) {
            len = in.readLong();
        }
        byte[] payload = new byte[(int) len];
        in.readFully(payload);
        return new Frame(b0 & 0x0f, payload);
    }

    /** Sends one masked frame, as a client must. */
    public void send(int opcode, byte[] payload) throws IOException {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(0x80 | opcode);
        if (payload.length < 126) {
            f.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            f.write(0x80 | 126);
            f.write(payload.length >>> 8);
            f.write(payload.length & 0xff);
        } else {
            f.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) {
                f.write((int) ((long) payload.length >>> (8 * i)) & 0xff);
            }
        }
        byte[] mask = new byte[4];
        new SecureRandom().nextBytes(mask);
        f.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            f.write(payload[i] ^ mask[i & 3]);
        }
        out.write(f.toByteArray());
        out.flush();
    }

    public void sendText(String text) throws IOException {
        send(0x1, text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
