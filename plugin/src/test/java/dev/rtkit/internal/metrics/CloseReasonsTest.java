package dev.rtkit.internal.metrics;

import static dev.rtkit.testing.WsClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtkit.Payload;
import dev.rtkit.Rtkit;
import dev.rtkit.internal.servlet.Settings;
import dev.rtkit.testing.JettyWsClient;
import dev.rtkit.testing.LineStream;
import dev.rtkit.testing.RawWebSocket;
import dev.rtkit.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code rtkit.connections.closed{reason}} says how each connection a test ended really ended. */
class CloseReasonsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int PING = 0x9;
    private static final int PONG = 0xA;
    private static final int CLOSE = 0x8;
    private MeteredServer site;

    @AfterEach
    void stop() throws Exception {
        if (site != null) {
            site.close();
        }
    }

    @Test
    void aBinaryFrameClosesAsPolicyAndAPeerThatNeverAnswersPingsAsHeartbeat() throws Exception {
        site = new MeteredServer(new TestServer().param(Settings.HEARTBEAT_INTERVAL, 200));
        try (JettyWsClient c = JettyWsClient.connect(site.ws())) {
            c.send(json("type", "subscribe", "topic", "t"));
            c.nextOfType("subscribed", WAIT);
            c.sendBinary(new byte[] {1, 2, 3});
            assertEquals(1003, c.awaitClose(WAIT));
        }
        site.awaitCount(1, "rtkit.connections.closed", "transport", "websocket", "reason", "policy");
        try (RawWebSocket silent = RawWebSocket.open(site.ws(), Map.of())) {
            RawWebSocket.Frame f;
            do {
                f = silent.next(WAIT);
            } while (f.opcode() == PING || f.opcode() == 0x1);
            assertEquals(CLOSE, f.opcode());
            assertEquals(1001, f.closeCode());
        }
        site.awaitCount(1, "rtkit.connections.closed", "transport", "websocket", "reason", "heartbeat");
        assertEquals(0, site.count("rtkit.connections", "transport", "websocket"));
        assertEquals(2, site.count("rtkit.connections.opened", "transport", "websocket"));
        assertEquals(0, site.count("rtkit.connections.closed", "transport", "websocket", "reason", "client"));
    }

    @Test
    void aPeerThatKeepsTalkingButNeverReadsClosesAsSlow() throws Exception {
        // Long enough that a talker starved by a loaded machine is not taken for silent (two intervals unheard).
        site = new MeteredServer(new TestServer().param(Settings.HEARTBEAT_INTERVAL, 500));
        try (RawWebSocket deaf = RawWebSocket.open(site.ws(), Map.of())) {
            deaf.sendText(json("type", "subscribe", "topic", "big"));
            Awaitility.await("subscribed").atMost(WAIT).until(() -> site.server.hub().subscriptionCount() == 1);
            // Heard from (unsolicited pongs are allowed), so not silent; but it reads nothing.
            Thread talker = new Thread(() -> {
                try {
                    while (true) {
                        deaf.send(PONG, new byte[0]);
                        Thread.sleep(50); // the peer's pace, not a synchronisation
                    }
                } catch (Exception closed) {
                    // The server or the test closed it.
                }
            }, "deaf-talker");
            talker.setDaemon(true);
            talker.start();
            String payload = "\"" + "x".repeat(60_000) + "\"";
            Rtkit rtkit = site.server.rtkit();
            // Enough to fill both sockets' buffers: the server's writes then wait on the peer.
            Awaitility.await("closed as a slow consumer").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        rtkit.publish("big", Payload.json(payload));
                        return site.count("rtkit.connections", "transport", "websocket") == 0;
                    });
        }
        assertEquals(List.of("rtkit.connections.closed[tag(reason=slow), tag(transport=websocket)]"),
                site.meterNames().stream().filter(n -> n.startsWith("rtkit.connections.closed")).toList());
        assertEquals(1, site.count("rtkit.connections.closed", "transport", "websocket", "reason", "slow"));
    }

    @Test
    void connectionsOpenWhenTheApplicationStopsCloseAsShutdownBeforeTheMetersLeave() throws Exception {
        site = new MeteredServer(new TestServer());
        Map<String, Double> removed = site.countsAtRemoval();
        try (LineStream sse = LineStream.open(site.http, site.uri("/rt/sse/t"));
             JettyWsClient ws = JettyWsClient.connect(site.ws())) {
            sse.next(WAIT);
            ws.send(json("type", "subscribe", "topic", "t"));
            ws.nextOfType("subscribed", WAIT);
            CompletableFuture<ContentResponse> parked = new CompletableResponseListener(
                    site.http.newRequest(site.uri("/rt/longpoll/t")).timeout(10, TimeUnit.SECONDS)).send();
            site.awaitCount(1, "rtkit.connections", "transport", "longpoll");

            site.server.stopApplication();
            assertEquals(1001, ws.awaitClose(WAIT));
            assertEquals(200, parked.get(10, TimeUnit.SECONDS).getStatus(), "the long-poll is answered");
            assertTrue(sse.awaitEnd(WAIT), "the stream ends");
        }
        Awaitility.await("every meter left").atMost(WAIT)
                .untilAsserted(() -> assertEquals(List.of(), site.meterNames(), "meters left in the registry"));
        for (String transport : List.of("sse", "websocket", "longpoll")) {
            assertEquals(1.0, removed.get("rtkit.connections.closed{transport=" + transport + ",reason=shutdown}"), transport + ": " + removed);
        }
    }
}
