package dev.rtkit.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Whether a redis-server on 127.0.0.1 answers yet: the tests' {@link RedisServer} and the bench's Redis wait for it.
 * Depends on nothing else in this test kit (the bench loads it from the test-jar without the test libraries).
 */
public final class RedisPing {
    private RedisPing() {
    }

    /** True when PING gets {@code +PONG}, or, with a {@code password} required, the refusal asking for it. */
    public static boolean answers(int port, String password) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String line = new String(in.readNBytes(7), StandardCharsets.US_ASCII);
            return password == null ? line.equals("+PONG\r\n") : line.startsWith("-NOAUTH");
        } catch (IOException e) {
            return false;
        }
    }
}
