package dev.rtkit.internal.transport.websocket;

import org.awaitility.Awaitility;
import static dev.rtkit.testing.WsClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rtkit.internal.servlet.Settings;
import dev.rtkit.testing.JettyWsClient;
import dev.rtkit.testing.RawWebSocket;
import dev.rtkit.testing.TestServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bad input, dead peers and shutdown end in error frames and the documented close codes, never a stack trace. */
class WebSocketCloseCodesTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final int PING = 0x9;
    private static final int PONG = 0xA;
    private static final int CLOSE = 0x8;

    private TestServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private URI ws() {
        return URI.create("ws://127.0.0.1:" + server.port() + "/rt/ws");
    }

    @Test
    void frameLargerThanMaxMessageBytesPlusOverheadClosesWith1009() throws Exception {
        server = new TestServer().param(Settings.MAX_MESSAGE_SIZE, 1024).start();
        try (JettyWsClient c = JettyWsClient.connect(ws())) {
            String data = "x".repeat(1024 + WebSocketTransport.FRAME_OVERHEAD);
            c.send(json("type", "publish", "topic", "big", "data", data));
            assertEquals(1009, c.awaitClose(WAIT));
        }
        assertEquals(0, server.hub().topicCount());
    }

    @Test
    void payloadOverMaxMessageBytesInAnAcceptableFrameGetsAnErrorFrame() throws Exception {
        server = new TestServer().param(Settings.MAX_MESSAGE_SIZE, 1024).start();
        try (JettyWsClient c = JettyWsClient.connect(ws())) {
            c.send(json("type", "publish", "topic", "big", "data", "x".repeat(1025), "ref", "r"));
            JsonNode error = c.next(WAIT);
            assertEquals("error", error.path("type").asText());
            assertEquals("message is larger than 1024 bytes", error.path("message").asText());
            assertEquals("r", error.path("ref").asText());
            c.send(json("type", "publish", "topic", "big", "data", "x".repeat(1024), "ref", "ok"));
            assertEquals("ack", c.next(WAIT).path("type").asText());
        }
    }

    @Test
    void largestAllowedPayloadPassesInOneFrameAtTheDefaultLimit() throws Exception {
        server = new TestServer().start();
        int max = server.hub().config().maxMessageSize();
        try (RawWebSocket raw = RawWebSocket.open(ws(), Map.of())) {
            raw.sendText(json("type", "publish", "topic", "big", "data", "y".repeat(max), "ref", 1));
            RawWebSocket.Frame f = raw.next(WAIT);
            assertEquals(0x1, f.opcode(), f.text());
            assertEquals("ack", WsClientJson.type(f.text()), f.text());
        }
    }

    @Test
    void malformedFramesGetErrorFramesAndRepeatedAbuseClosesWith1008() throws Exception {
        server = new TestServer().start();
        try (JettyWsClient c = JettyWsClient.connect(ws())) {
            c.send("{not json");
            assertEquals("{\"type\":\"error\",\"message\":\"malformed JSON\"}", c.nextRaw(WAIT));
            c.send("{\"type\":\"dance\",\"ref\":\"d\"}");
            JsonNode unknown = c.next(WAIT);
            assertEquals("error", unknown.path("type").asText());
            assertTrue(unknown.path("message").asText().startsWith("unknown type \"dance\""), unknown.toString());
            assertEquals("d", unknown.path("ref").asText());
            List<String> more = List.of("[1,2]", "{}", "{\"type\":\"subscribe\"}", "{\"type\":\"subscribe\",\"topic\":\"bad topic\"}",
                    "{\"type\":\"subscribe\",\"topic\":\"t\",\"since\":\"nonsense\"}", "{\"type\":\"publish\",\"topic\":\"t\"}",
                    "{\"type\":\"unsubscribe\",\"topic\":\"never\"}");
            for (String frame : more) {
                c.send(frame);
                JsonNode e = c.next(WAIT);
                assertEquals("error", e.path("type").asText(), frame + " -> " + e);
                assertFalse(e.path("message").asText().contains("Exception"), e.toString());
            }
            assertFalse(c.isClosed(), "nine bad frames are tolerated");
            c.send("{\"type\":\"publish\",\"topic\":\"t\",\"data\":1} trailing");
            assertEquals("error", c.next(WAIT).path("type").asText());
            assertEquals(1008, c.awaitClose(WAIT));
        }
    }

    @Test
    void binaryFrameClosesWith1003() throws Exception {
        server = new TestServer().start();
        try (JettyWsClient c = JettyWsClient.connect(ws())) {
            c.send(json("type", "subscribe", "topic", "t"));
            c.nextOfType("subscribed", WAIT);
            c.sendBinary(new byte[] {1, 2, 3});
            assertEquals(1003, c.awaitClose(WAIT));
        }
        Awaitility.await("subscription released").atMost(WAIT).until(() -> server.hub().subscriptionCount() == 0);
    }

    @Test
    void tooManyTopicsOnOneConnectionGetAnErrorFrame() throws Exception {
        server = new TestServer().param(Settings.MAX_TOPICS_PER_CONNECTION, 3).start();
        try (JettyWsClient c = JettyWsClient.connect(ws())) {
            c.send(json("type", "subscribe", "topics", List.of("a", "b")));
            assertEquals("subscribed", c.next(WAIT).path("type").asText());
            c.send(json("type", "subscribe", "topics", List.of("c", "d")));
            JsonNode e = c.next(WAIT);
            assertEquals("too many topics: at most 3 per connection", e.path("message").asText(), e.toString());
            c.send(json("type", "subscribe", "topic", "a"));
            assertEquals("already subscribed to 'a' on this connection", c.next(WAIT).path("message").asText());
            c.send(json("type", "subscribe", "topic", "c"));
            assertEquals("subscribed", c.next(WAIT).path("type").asText());
            assertEquals(2, server.hub().subscriptionCount());
        }
    }

    /** A ping, or the text heartbeat that browsers can see. */
    private static boolean isHeartbeat(RawWebSocket.Frame f) throws Exception {
        return f.opcode() == PING || (f.opcode() == 0x1 && "heartbeat".equals(WsClientJson.type(f.text())));
    }

    @Test
    void subscriptionsAreReleasedWhenTheClientDropsTheConnectionWithoutClosing() throws Exception {
        server = new TestServer().start();
        try (JettyWsClient c = JettyWsClient.connect(ws())) {
            c.send(json("type", "subscribe", "topics", List.of("d1", "d2")));
            c.nextOfType("subscribed", WAIT);
            assertEquals(1, server.hub().subscriptionCount());
            c.disconnect();
            Awaitility.await("subscription released").atMost(WAIT).until(() -> server.hub().subscriptionCount() == 0);
        }
    }

    @Test
    void peerThatNeverAnswersPingsIsClosedAndItsSubscriptionsReleased() throws Exception {
        server = new TestServer().param(Settings.HEARTBEAT_INTERVAL, 200).start();
        try (RawWebSocket raw = RawWebSocket.open(ws(), Map.of())) {
            raw.sendText(json("type", "subscribe", "topic", "t"));
            assertEquals("subscribed", WsClientJson.type(raw.next(WAIT).text()));
            assertEquals(1, server.hub().subscriptionCount());
            int pings = 0;
            RawWebSocket.Frame f;
            while (isHeartbeat(f = raw.next(WAIT))) {
                pings += f.opcode() == PING ? 1 : 0;
            }
            assertEquals(CLOSE, f.opcode());
            assertEquals(1001, f.closeCode());
            assertTrue(pings >= 1, "pinged before closing");
        }
        Awaitility.await("subscription released").atMost(WAIT).until(() -> server.hub().subscriptionCount() == 0);
    }

    @Test
    void peerThatAnswersPingsStaysOpen() throws Exception {
        // 300 ms, not less: a pong answered late by a loaded machine (test and server share two cores) is not the
        // server's fault, and the test must only fail when the server closes a peer that answers.
        server = new TestServer().param(Settings.HEARTBEAT_INTERVAL, 300).start();
        try (RawWebSocket raw = RawWebSocket.open(ws(), Map.of())) {
            // Ten intervals: five times the deadline for a pong.
            for (int pings = 0; pings < 10; ) {
                RawWebSocket.Frame f = raw.next(WAIT);
                assertTrue(isHeartbeat(f), "only pings and heartbeats expected, got " + f.opcode() + " " + f.text());
                if (f.opcode() == PING) {
                    raw.send(PONG, f.payload());
                    pings++;
                }
            }
            raw.sendText(json("type", "publish", "topic", "alive", "data", 1));
            RawWebSocket.Frame f;
            while (isHeartbeat(f = raw.next(WAIT))) {
                if (f.opcode() == PING) {
                    raw.send(PONG, f.payload());
                }
            }
            assertEquals("ack", WsClientJson.type(f.text()));
        }
    }

    @Test
    void webAppStopClosesWith1001() throws Exception {
        server = new TestServer().start();
        try (JettyWsClient c = JettyWsClient.connect(ws())) {
            c.send(json("type", "subscribe", "topic", "t"));
            c.nextOfType("subscribed", WAIT);
            // Undeploying the web application while the server runs on, as a WAR redeploy does.
            server.server().getHandler().stop();
            assertEquals(1001, c.awaitClose(WAIT));
            assertEquals("server shutting down", c.closeReason());
        }
    }

    @Test
    void gracefulServerStopClosesWith1001() throws Exception {
        server = new TestServer().start();
        server.server().setStopTimeout(2000);
        try (JettyWsClient c = JettyWsClient.connect(ws())) {
            c.send(json("type", "subscribe", "topic", "t"));
            c.nextOfType("subscribed", WAIT);
            // Jetty's graceful stop closes WebSockets itself ("Container being shut down") before the web app stops.
            server.close();
            assertEquals(1001, c.awaitClose(WAIT), c.closeReason());
        }
    }
}
