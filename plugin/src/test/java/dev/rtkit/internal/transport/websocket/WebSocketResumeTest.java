package dev.rtkit.internal.transport.websocket;

import dev.rtkit.Payload;
import static dev.rtkit.testing.WsClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rtkit.internal.servlet.Settings;
import dev.rtkit.testing.Clients;
import dev.rtkit.testing.JettyWsClient;
import dev.rtkit.testing.LineStream;
import dev.rtkit.testing.TestServer;
import dev.rtkit.testing.WsClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A cursor from one transport resumes the other: nothing lost, nothing repeated; old cursors get a gap frame. */
class WebSocketResumeTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private TestServer server;
    private HttpClient http;

    @BeforeEach
    void start() throws Exception {
        server = new TestServer().param(Settings.HISTORY_SIZE, 3).start();
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

    private String publish(String topic, String data) {
        return server.hub().publish(topic, Payload.text(data), null).toCompletableFuture().join().id().toString();
    }

    /** The ids of the next {@code n} SSE events, read after the preamble. */
    private static List<String> sseIds(LineStream sse, int n) throws Exception {
        List<String> ids = new ArrayList<>();
        while (ids.size() < n) {
            String line = sse.next(WAIT);
            if (line.startsWith("id: ")) {
                ids.add(line.substring(4));
            }
        }
        return ids;
    }

    @Test
    void idReceivedOverWebSocketResumesSseWithoutLossOrRepeat() throws Exception {
        String seen;
        try (WsClient c = JettyWsClient.connect(ws())) {
            c.send(json("type", "subscribe", "topic", "r"));
            c.nextOfType("subscribed", WAIT);
            publish("r", "1");
            String second = publish("r", "2");
            c.nextOfType("message", WAIT);
            seen = c.nextOfType("message", WAIT).path("id").asText();
            assertEquals(second, seen);
        }
        String third = publish("r", "3");
        String fourth = publish("r", "4");
        try (LineStream sse = LineStream.open(http, server.uri("/rt/sse/r"), r -> r.headers(h -> h.put("Last-Event-ID", seen)))) {
            assertEquals(List.of(third, fourth), sseIds(sse, 2));
        }
    }

    @Test
    void idReceivedOverSseResumesWebSocketWithoutLossOrRepeat() throws Exception {
        String seen;
        try (LineStream sse = LineStream.open(http, server.uri("/rt/sse/s"))) {
            sse.next(WAIT);
            publish("s", "1");
            String second = publish("s", "2");
            seen = sseIds(sse, 2).get(1);
            assertEquals(second, seen);
        }
        String third = publish("s", "3");
        String fourth = publish("s", "4");
        try (WsClient c = JettyWsClient.connect(ws())) {
            c.send(json("type", "subscribe", "topic", "s", "since", seen));
            JsonNode subscribed = c.next(WAIT);
            assertEquals("subscribed", subscribed.path("type").asText());
            assertEquals(seen, subscribed.path("cursor").asText());
            assertEquals(third, c.next(WAIT).path("id").asText());
            assertEquals(fourth, c.next(WAIT).path("id").asText());
            String fifth = publish("s", "5");
            assertEquals(fifth, c.next(WAIT).path("id").asText());
        }
    }

    @Test
    void severalTopicCursorFromWebSocketResumesSse() throws Exception {
        String cursor;
        String a1;
        String b1;
        try (WsClient c = JettyWsClient.connect(ws())) {
            c.send(json("type", "subscribe", "topics", List.of("a", "b")));
            c.nextOfType("subscribed", WAIT);
            a1 = publish("a", "a1");
            b1 = publish("b", "b1");
            c.nextOfType("message", WAIT);
            cursor = c.nextOfType("message", WAIT).path("cursor").asText();
            assertEquals("a@" + a1 + ",b@" + b1, cursor);
        }
        String b2 = publish("b", "b2");
        String a2 = publish("a", "a2");
        try (LineStream sse = LineStream.open(http, server.uri("/rt/sse?topic=a&topic=b"),
                r -> r.headers(h -> h.put("Last-Event-ID", cursor)))) {
            List<String> ids = sseIds(sse, 2);
            List<String> firstEither = List.of("a@" + a2 + ",b@" + b1, "a@" + a1 + ",b@" + b2);
            assertTrue(firstEither.contains(ids.get(0)), ids + " vs " + firstEither);
            assertEquals("a@" + a2 + ",b@" + b2, ids.get(1));
        }
    }

    @Test
    void cursorFromAnotherEpochGetsAGapFrameThenTheOldestRetained() throws Exception {
        String first = publish("g", "1");
        String second = publish("g", "2");
        try (WsClient c = JettyWsClient.connect(ws())) {
            c.send(json("type", "subscribe", "topic", "g", "since", "abc123-7"));
            assertEquals("subscribed", c.next(WAIT).path("type").asText());
            assertEquals("{\"type\":\"gap\",\"topic\":\"g\",\"reason\":\"epoch\",\"since\":\"abc123-7\",\"next\":\""
                    + first + "\"}", c.nextRaw(WAIT));
            assertEquals(first, c.next(WAIT).path("id").asText());
            assertEquals(second, c.next(WAIT).path("id").asText());
        }
    }

    @Test
    void cursorOlderThanHistoryGetsAnExpiredGapFrame() throws Exception {
        String first = publish("h", "1");
        publish("h", "2");
        String third = publish("h", "3");
        publish("h", "4");
        String fifth = publish("h", "5");
        try (WsClient c = JettyWsClient.connect(ws())) {
            c.send(json("type", "subscribe", "topic", "h", "since", first));
            assertEquals("subscribed", c.next(WAIT).path("type").asText());
            JsonNode gap = c.next(WAIT);
            assertEquals("gap", gap.path("type").asText());
            assertEquals("expired", gap.path("reason").asText());
            assertEquals(third, gap.path("next").asText());
            assertEquals(third, c.next(WAIT).path("id").asText());
            c.next(WAIT);
            assertEquals(fifth, c.next(WAIT).path("id").asText());
            assertNull(c.poll(Duration.ofMillis(100)), "nothing after the last message");
        }
    }
}
