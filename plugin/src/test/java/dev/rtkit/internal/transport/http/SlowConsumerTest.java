package dev.rtkit.internal.transport.http;

import dev.rtkit.Payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtkit.Message;
import dev.rtkit.testing.Clients;
import dev.rtkit.testing.LineStream;
import dev.rtkit.testing.TestServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.Test;

/**
 * A reader that never reads costs the server bounded memory and does not hold up anyone else; when it finally
 * reads, it is told what it missed (a gap) and carries on from the oldest retained message.
 */
class SlowConsumerTest {
    private static final int SIZE = 64 * 1024;
    private static final int COUNT = 320;
    private static final int HISTORY = 20;

    @Test
    void aReaderThatNeverReadsHoldsBoundedMemoryWhile20MbArePublished() throws Exception {
        try (TestServer server = new TestServer().param("historySize", HISTORY).param("maxMessageBytes", SIZE).start()) {
            HttpClient client = Clients.HTTP_1_1.create();
            try (Socket stalled = new Socket();
                 LineStream healthy = LineStream.open(client, server.uri("/rt/sse/firehose"))) {
                stalled.setReceiveBufferSize(4096);
                stalled.connect(new InetSocketAddress("127.0.0.1", server.port()));
                OutputStream out = stalled.getOutputStream();
                out.write(("GET /rt/sse/firehose HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                HttpTransportsTest.await(() -> server.hub().subscriptionCount() == 2, "both readers to subscribe");
                long before = usedHeapAfterGc();

                String payload = "x".repeat(SIZE - 8);
                Message last = null;
                for (int i = 0; i < COUNT; i++) {
                    last = server.hub().publish("firehose", Payload.text(String.format("%07d", i) + payload), null).toCompletableFuture().join();
                    String id = last.id().toString();
                    // The healthy reader keeps up with every message while the other stalls.
                    healthy.until(l -> l.equals("id: " + id), Duration.ofSeconds(10));
                }
                long grown = usedHeapAfterGc() - before;
                System.out.printf("heap grew %.1f MiB while %d MiB went to a reader that never reads%n",
                        grown / 1048576.0, (long) COUNT * SIZE / 1048576);
                assertTrue(grown < 16L * 1024 * 1024, "heap grew by " + grown + " bytes");
                assertEquals(2, server.hub().subscriptionCount());

                // Now it reads: what was in flight, then a gap, then the retained tail up to the last message.
                InputStream in = stalled.getInputStream();
                StringBuilder seen = new StringBuilder();
                byte[] buf = new byte[1 << 16];
                String lastLine = "id: " + last.id();
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                stalled.setSoTimeout(20_000);
                while (seen.indexOf(lastLine) < 0 && System.nanoTime() < deadline) {
                    int n = in.read(buf);
                    if (n < 0) {
                        break;
                    }
                    // Keep only the framing lines: payloads are long runs of x.
                    seen.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1).replaceAll("x{100,}", "…"));
                }
                String text = seen.toString();
                assertTrue(text.contains("event: gap\ndata: {\"type\":\"gap\",\"topic\":\"firehose\",\"reason\":\"expired\""),
                        "gap announced");
                assertTrue(text.indexOf("event: gap") < text.indexOf(lastLine), "gap before the tail");
            } finally {
                client.stop();
            }
        }
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
