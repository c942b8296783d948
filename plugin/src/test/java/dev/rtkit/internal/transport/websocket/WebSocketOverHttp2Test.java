package dev.rtkit.internal.transport.websocket;

import org.awaitility.Awaitility;
import dev.rtkit.Payload;
import static dev.rtkit.testing.WsClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rtkit.testing.Clients;
import dev.rtkit.testing.JettyWsClient;
import dev.rtkit.testing.TestServer;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.eclipse.jetty.http.HttpVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RFC 8441: Jetty's WebSocketClient on an HTTP/2 (h2c) transport opens /rt/ws as an extended CONNECT stream. */
class WebSocketOverHttp2Test {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = new TestServer().start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void upgradeOverH2cAnswers200AndMessagesFlowBothWays() throws Exception {
        URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/rt/ws");
        try (JettyWsClient c = JettyWsClient.connect(Clients.H2C, uri, Map.of("Origin", "http://127.0.0.1:" + server.port()))) {
            assertEquals(HttpVersion.HTTP_2, c.upgradeVersion());
            assertEquals("CONNECT", c.upgradeMethod());
            assertEquals(200, c.upgradeStatus());

            c.send(json("type", "subscribe", "topic", "h2"));
            c.nextOfType("subscribed", WAIT);
            c.send(json("type", "publish", "topic", "h2", "data", "over a stream", "ref", "p"));
            // The ack and the message itself may come in either order.
            var first = c.next(WAIT);
            var second = c.next(WAIT);
            var ack = first.path("type").asText().equals("ack") ? first : second;
            var message = ack == first ? second : first;
            assertEquals("ack", ack.path("type").asText());
            assertEquals("message", message.path("type").asText());
            assertEquals(ack.path("id").asText(), message.path("id").asText());
            assertEquals("over a stream", message.path("data").asText());
            String pushed = server.hub().publish("h2", Payload.json("[1]"), null).toCompletableFuture().join().id().toString();
            assertEquals(pushed, c.nextOfType("message", WAIT).path("id").asText());
        }
        Awaitility.await("subscription released after the stream closed").atMost(WAIT).until(() -> server.hub().subscriptionCount() == 0);
    }

    @Test
    void http11UpgradeStillAnswers101() throws Exception {
        URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/rt/ws");
        try (JettyWsClient c = JettyWsClient.connect(Clients.HTTP_1_1, uri, Map.of())) {
            assertEquals(HttpVersion.HTTP_1_1, c.upgradeVersion());
            assertEquals("GET", c.upgradeMethod());
            assertEquals(101, c.upgradeStatus());
        }
    }
}
