package dev.rtkit.hardening;

import static dev.rtkit.testing.WsClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rtkit.Payload;
import dev.rtkit.testing.Clients;
import dev.rtkit.testing.ErrorLog;
import dev.rtkit.testing.JettyWsClient;
import dev.rtkit.testing.LineStream;
import dev.rtkit.testing.RawWebSocket;
import dev.rtkit.testing.TestServer;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A WebSocket that floods pings and never reads fills its socket with pongs. Beside it a healthy WebSocket and a
 * healthy SSE subscriber keep getting every heartbeat on time (the shared timer never waits on the flooder), the
 * healthy WebSocket is never closed, and the flooder is closed as a slow consumer.
 */
class PingFloodTest {
    private static final long HEARTBEAT_MILLIS = 1000;
    private static final Duration WAIT = Duration.ofSeconds(10);

    private TestServer server;
    private HttpClient http;
    private ErrorLog errorLog;

    @BeforeEach
    void start() throws Exception {
        errorLog = new ErrorLog();
        server = new TestServer().param("heartbeatIntervalMillis", HEARTBEAT_MILLIS).start();
        http = Clients.HTTP_1_1.create();
    }

    @AfterEach
    void stop() throws Exception {
        try {
            assertEquals(List.of(), errorLog.errors(), "nothing logged at ERROR");
        } finally {
            errorLog.close();
            http.stop();
            server.close();
        }
    }

    @Test
    void aPingFloodThatNeverReadsDelaysNoHeartbeatAndClosesNoHealthyClient() throws Exception {
        URI ws = URI.create("ws://127.0.0.1:" + server.port() + "/rt/ws");
        try (JettyWsClient healthy = JettyWsClient.connect(ws);
             LineStream sse = LineStream.open(http, server.uri("/rt/sse/healthy"));
             RawWebSocket flooder = RawWebSocket.open(ws, Map.of())) {
            healthy.send(json("type", "subscribe", "topic", "healthy"));
            healthy.nextOfType("subscribed", WAIT);
            flooder.sendText(json("type", "subscribe", "topic", "flood"));
            Awaitility.await().atMost(WAIT).until(() -> server.hub().subscriptionCount() == 3);

            AtomicLong pings = new AtomicLong();
            Thread flood = new Thread(() -> {
                byte[] payload = new byte[125];
                try {
                    while (true) {
                        flooder.send(0x9, payload);
                        pings.incrementAndGet();
                    }
                } catch (IOException closed) {
                    // The server closed it, or the test did.
                }
            }, "ping-flood");
            flood.setDaemon(true);
            flood.start();
            // Flooded: the server has stopped reading pings, as its socket is full of unread pongs.
            awaitNoProgress(pings);

            List<Long> wsBeats = new CopyOnWriteArrayList<>();
            List<Long> sseBeats = new CopyOnWriteArrayList<>();
            Thread sseReader = new Thread(() -> {
                try {
                    while (sseBeats.size() < 6) {
                        String line = sse.next(WAIT);
                        if (line != null && line.startsWith(":hb")) {
                            sseBeats.add(System.nanoTime());
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "sse-reader");
            sseReader.start();
            long until = System.nanoTime() + Duration.ofMillis(6 * HEARTBEAT_MILLIS).toNanos();
            while (System.nanoTime() < until) {
                JsonNode frame = healthy.poll(Duration.ofMillis(3 * HEARTBEAT_MILLIS));
                assertTrue(frame != null, "a heartbeat within three intervals; got none, closed: " + healthy.closeReason());
                if (frame.path("type").asText().equals("heartbeat")) {
                    wsBeats.add(System.nanoTime());
                }
            }
            sseReader.join(WAIT.toMillis());

            assertOnTime("WebSocket", wsBeats);
            assertOnTime("SSE", sseBeats);
            assertFalse(healthy.isClosed(), "the healthy WebSocket is open: " + healthy.closeReason());
            // The flooder is closed (slow consumer) and its subscription released; the healthy two remain.
            Awaitility.await().atMost(WAIT).until(() -> server.hub().subscriptionCount() == 2);
            String id = server.hub().publish("healthy", Payload.text("still here"), null).toCompletableFuture().join().id().toString();
            assertEquals(id, healthy.nextOfType("message", WAIT).get("id").asText());
        }
    }

    private static void awaitNoProgress(AtomicLong counter) {
        long[] last = {-1};
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).until(() -> {
            long now = counter.get();
            boolean stalled = now == last[0] && now > 0;
            last[0] = now;
            return stalled;
        });
    }

    /**
     * At least four beats, none more than 2.5 intervals after the one before: on time they are at most 1.5 apart (the
     * timer looks every half interval); a timer blocked by the flooder stalled them for 20-40 s. The margin is for a
     * loaded machine, where a beat 1.9 intervals late was seen.
     */
    private static void assertOnTime(String who, List<Long> beats) {
        assertTrue(beats.size() >= 4, who + " heartbeats: " + beats.size());
        for (int i = 1; i < beats.size(); i++) {
            long gap = Duration.ofNanos(beats.get(i) - beats.get(i - 1)).toMillis();
            assertTrue(gap < 2.5 * HEARTBEAT_MILLIS, who + " heartbeat " + i + " came " + gap + " ms after the one before");
        }
    }
}
