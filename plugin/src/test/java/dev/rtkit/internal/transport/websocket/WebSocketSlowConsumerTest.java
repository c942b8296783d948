package dev.rtkit.internal.transport.websocket;

import static dev.rtkit.testing.WsClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rtkit.Message;
import dev.rtkit.Payload;
import dev.rtkit.testing.JettyWsClient;
import dev.rtkit.testing.RawWebSocket;
import dev.rtkit.testing.TestServer;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A WebSocket peer that stops reading costs the server bounded memory (frames are sent in groups, never queued
 * without bound) and holds up no other subscriber; when it reads again it is told what it missed with a gap.
 */
class WebSocketSlowConsumerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int SIZE = 32 * 1024;
    private static final int COUNT = 640;

    @Test
    void aPeerThatStopsReadingHoldsBoundedMemoryAndThenGetsAGap() throws Exception {
        try (TestServer server = new TestServer().param("historySize", 20).param("maxMessageBytes", SIZE).start()) {
            URI ws = URI.create("ws://127.0.0.1:" + server.port() + "/rt/ws");
            try (RawWebSocket stalled = RawWebSocket.open(ws, Map.of());
                 JettyWsClient healthy = JettyWsClient.connect(ws)) {
                assertEquals(101, stalled.status());
                stalled.sendText(json("type", "subscribe", "topic", "firehose"));
                assertTrue(stalled.next(WAIT).text().startsWith("{\"type\":\"subscribed\""));
                healthy.send(json("type", "subscribe", "topic", "firehose"));
                assertEquals("subscribed", healthy.next(WAIT).path("type").asText());
                long before = usedHeapAfterGc();

                String payload = "x".repeat(SIZE - 8);
                Message last = null;
                for (int i = 0; i < COUNT; i++) {
                    last = server.hub().publish("firehose", Payload.text(String.format("%07d", i) + payload), null)
                            .toCompletableFuture().join();
                    // The healthy peer keeps up with every message while the other reads nothing (poll: the
                    // client keeps no record of it, so the heap measured is the server's).
                    JsonNode got = healthy.poll(WAIT);
                    assertEquals(last.id().toString(), got == null ? null : got.path("id").asText());
                }
                long grown = usedHeapAfterGc() - before;
                assertTrue(grown < 16L * 1024 * 1024, "heap grew by " + grown + " bytes for " + COUNT * (long) SIZE);
                assertEquals(2, server.hub().subscriptionCount());

                // Now it reads: what was in flight, then a gap, then the retained tail up to the last message.
                String lastId = "\"id\":\"" + last.id() + "\"";
                boolean gap = false;
                String text;
                do {
                    text = stalled.next(WAIT).text();
                    gap |= text.startsWith("{\"type\":\"gap\",\"topic\":\"firehose\",\"reason\":\"expired\"");
                } while (!text.contains(lastId));
                assertTrue(gap, "a gap came before the last message");
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
