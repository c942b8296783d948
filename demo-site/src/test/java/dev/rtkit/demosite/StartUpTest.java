package dev.rtkit.demosite;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that connect while the demo starts are refused (nothing listens yet) or wait until rtkit and its
 * WebSocket endpoint are up; none gets a 404 (or any other error) from a half-started server.
 */
class StartUpTest {
    private static final String POLL = "GET /rt/poll/startup HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    private static final String HANDSHAKE = "GET /rt/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";

    @TempDir
    Path dir;

    @Test
    void clientsConnectingDuringStartUpAreRefusedOrWaitNeverAnswered404() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
        CompletableFuture<DemoSite> started = new CompletableFuture<>();
        Thread starter = new Thread(() -> {
            try {
                started.complete(DemoSite.start("--http-port", String.valueOf(port), "--https-port", "0",
                        "--keystore", dir.resolve("keystore.p12").toString()));
            } catch (Exception e) {
                started.completeExceptionally(e);
            }
        }, "demo-start");
        starter.start();
        DemoSite site = null;
        try {
            int round = 0;
            while (!started.isDone() || round < 20) {
                if (started.isDone()) {
                    round++;
                }
                seen.computeIfAbsent(attempt(port, POLL), k -> new AtomicInteger()).incrementAndGet();
                seen.computeIfAbsent("ws " + attempt(port, HANDSHAKE), k -> new AtomicInteger()).incrementAndGet();
            }
            site = started.get(60, TimeUnit.SECONDS);
        } finally {
            if (site != null) {
                site.close();
            } else {
                started.thenAccept(s -> {
                    try {
                        s.close();
                    } catch (Exception ignored) {
                        // Only a test failure leaves it running.
                    }
                });
            }
        }
        System.out.println("Answers during and after start-up: " + seen);
        for (String answer : seen.keySet()) {
            assertTrue(List.of("refused", "HTTP/1.1 200", "ws refused", "ws HTTP/1.1 101").contains(answer),
                    "during start-up: " + seen);
        }
        assertTrue(seen.containsKey("HTTP/1.1 200") && seen.containsKey("ws HTTP/1.1 101"), "served once up: " + seen);
        assertFalse(seen.keySet().stream().anyMatch(a -> a.contains("404")), seen.toString());
    }

    /** "refused", or the status line the server answered with (waiting for it as long as it takes). */
    private static String attempt(int port, String request) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b >= 0 && b != '\r'; b = in.read()) {
                line.append((char) b);
            }
            String status = line.toString();
            return status.length() >= 12 ? status.substring(0, 12) : "closed: '" + status + "'";
        } catch (ConnectException e) {
            return "refused";
        } catch (IOException e) {
            return "failed: " + e;
        }
    }
}
