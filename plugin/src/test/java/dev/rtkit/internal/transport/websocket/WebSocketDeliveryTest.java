package dev.rtkit.internal.transport.websocket;

import org.awaitility.Awaitility;
import dev.rtkit.internal.hub.TestHubs;

import dev.rtkit.Payload;
import static dev.rtkit.testing.WsClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rtkit.testing.Clients;
import dev.rtkit.testing.JdkWsClient;
import dev.rtkit.testing.JettyWsClient;
import dev.rtkit.testing.TestServer;
import dev.rtkit.testing.WsClient;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Subscribe, publish and unsubscribe over /rt/ws with real clients: Jetty over HTTP/1.1 and h2c, and the JDK. */
class WebSocketDeliveryTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    interface Connector {
        WsClient connect(URI uri) throws Exception;
    }

    static Stream<Arguments> clients() {
        return Stream.of(
                Arguments.of("jetty-http1.1", (Connector) uri -> JettyWsClient.connect(Clients.HTTP_1_1, uri, Map.of())),
                Arguments.of("jetty-h2c", (Connector) uri -> JettyWsClient.connect(Clients.H2C, uri, Map.of())),
                Arguments.of("jdk", (Connector) JdkWsClient::connect));
    }

    private TestServer server;
    private HttpClient http;

    @BeforeEach
    void start() throws Exception {
        server = new TestServer().start();
        http = Clients.HTTP_1_1.create();
    }

    @AfterEach
    void stop() throws Exception {
        http.stop();
        server.close();
    }

    private URI ws() {
        return URI.create("ws://127.0.0.1:" + server.port() + "/rt/ws");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void subscriberReceivesWhatIsPublishedAfterItsSubscription(String name, Connector connector) throws Exception {
        try (WsClient c = connector.connect(ws())) {
            c.send(json("type", "subscribe", "topic", "news", "ref", "s1"));
            JsonNode subscribed = c.next(WAIT);
            assertEquals("subscribed", subscribed.path("type").asText());
            assertEquals("[\"news\"]", subscribed.path("topics").toString());
            assertEquals("s1", subscribed.path("ref").asText());
            assertTrue(subscribed.path("cursor").asText().startsWith(TestHubs.epoch(server.hub()) + "-"));

            String id = server.hub().publish("news", Payload.json("{\"headline\":\"hello\"}"), null).toCompletableFuture().join().id().toString();
            String raw = c.nextRaw(WAIT);
            assertEquals("{\"type\":\"message\",\"topic\":\"news\",\"id\":\"" + id + "\",\"data\":{\"headline\":\"hello\"}}", raw);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void publishOverWebSocketIsAckedAndReachesHttpPollAndSubscribers(String name, Connector connector) throws Exception {
        try (WsClient c = connector.connect(ws())) {
            c.send(json("type", "subscribe", "topic", "chat"));
            String cursor = c.nextOfType("subscribed", WAIT).path("cursor").asText();

            c.send("{\"type\":\"publish\",\"topic\":\"chat\",\"data\":{\"n\":[1,2]},\"ref\":\"p1\"}");
            c.send("{\"type\":\"publish\",\"topic\":\"chat\",\"data\":\"plain text\",\"ref\":7,\"event\":\"note\"}");
            List<JsonNode> frames = List.of(c.next(WAIT), c.next(WAIT), c.next(WAIT), c.next(WAIT));
            JsonNode ack1 = frames.stream().filter(f -> f.path("ref").asText().equals("p1")).findFirst().orElseThrow();
            JsonNode ack2 = frames.stream().filter(f -> f.path("ref").isInt()).findFirst().orElseThrow();
            assertEquals("ack", ack1.path("type").asText());
            assertEquals("chat", ack1.path("topic").asText());
            assertEquals(7, ack2.path("ref").asInt());
            List<JsonNode> messages = frames.stream().filter(f -> f.path("type").asText().equals("message")).toList();
            assertEquals(ack1.path("id"), messages.get(0).path("id"));
            assertEquals("{\"n\":[1,2]}", messages.get(0).path("data").toString());
            assertEquals("\"plain text\"", messages.get(1).path("data").toString());
            assertEquals("note", messages.get(1).path("event").asText());

            ContentResponse poll = http.GET(server.uri("/rt/poll/chat?since=" + cursor));
            JsonNode body = WsClient.parse(poll.getContentAsString());
            assertEquals(2, body.path("messages").size(), poll.getContentAsString());
            assertEquals(ack1.path("id"), body.path("messages").get(0).path("id"));
            assertEquals("{\"n\":[1,2]}", body.path("messages").get(0).path("data").toString());
            assertEquals(ack2.path("id"), body.path("messages").get(1).path("id"));
            assertEquals("plain text", body.path("messages").get(1).path("data").asText());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void severalTopicsInOneSubscribeCarryTheWholeCursor(String name, Connector connector) throws Exception {
        try (WsClient c = connector.connect(ws())) {
            c.send(json("type", "subscribe", "topics", List.of("a", "b")));
            JsonNode subscribed = c.nextOfType("subscribed", WAIT);
            assertTrue(subscribed.path("cursor").asText().startsWith("a@"), subscribed.toString());
            String idA = server.hub().publish("a", Payload.text("1"), null).toCompletableFuture().join().id().toString();
            String idB = server.hub().publish("b", Payload.text("2"), null).toCompletableFuture().join().id().toString();
            JsonNode m1 = c.nextOfType("message", WAIT);
            JsonNode m2 = c.nextOfType("message", WAIT);
            JsonNode last = m1.path("topic").asText().equals("b") ? m1 : m2;
            assertEquals("a@" + idA + ",b@" + idB, last.path("cursor").asText());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void unsubscribeStopsDeliveryAndReleasesTheSubscription(String name, Connector connector) throws Exception {
        try (WsClient c = connector.connect(ws())) {
            c.send(json("type", "subscribe", "topic", "x"));
            c.send(json("type", "subscribe", "topic", "y"));
            c.nextOfType("subscribed", WAIT);
            c.nextOfType("subscribed", WAIT);
            assertEquals(2, server.hub().subscriptionCount());
            c.send(json("type", "unsubscribe", "topic", "x", "ref", "u"));
            JsonNode unsubscribed = c.nextOfType("unsubscribed", WAIT);
            assertEquals("[\"x\"]", unsubscribed.path("topics").toString());
            assertEquals(1, server.hub().subscriptionCount());
            server.hub().publish("x", Payload.text("gone"), null).toCompletableFuture().join();
            String idY = server.hub().publish("y", Payload.text("here"), null).toCompletableFuture().join().id().toString();
            JsonNode next = c.next(WAIT);
            assertEquals(idY, next.path("id").asText(), "only y is delivered: " + next);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void subscriptionsAreReleasedWhenTheClientCloses(String name, Connector connector) throws Exception {
        WsClient c = connector.connect(ws());
        c.send(json("type", "subscribe", "topics", List.of("r1", "r2")));
        c.send(json("type", "subscribe", "topic", "r3"));
        c.nextOfType("subscribed", WAIT);
        c.nextOfType("subscribed", WAIT);
        assertEquals(2, server.hub().subscriptionCount());
        c.close();
        Awaitility.await("subscriptions released").atMost(WAIT).until(() -> server.hub().subscriptionCount() == 0);
        assertFalse(server.hub().subscriptionCount() > 0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void burstLargerThanOneBatchArrivesCompleteAndInOrder(String name, Connector connector) throws Exception {
        server.close();
        server = new TestServer().param(dev.rtkit.internal.servlet.Settings.MAX_BATCH, 7).start();
        try (WsClient c = connector.connect(ws())) {
            c.send(json("type", "subscribe", "topic", "burst"));
            c.nextOfType("subscribed", WAIT);
            int n = 500;
            Thread publisher = new Thread(() -> {
                for (int i = 0; i < n; i++) {
                    server.hub().publish("burst", Payload.json(Integer.toString(i)), null).toCompletableFuture().join();
                }
            });
            publisher.start();
            for (int i = 0; i < n; i++) {
                JsonNode m = c.next(WAIT);
                assertEquals("message", m.path("type").asText(), m.toString());
                assertEquals(i, m.path("data").asInt(), m.toString());
            }
            publisher.join(WAIT.toMillis());
        }
    }
}
