package dev.rtkit.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rtkit.testing.Clients;
import dev.rtkit.testing.LineStream;
import dev.rtkit.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A several-topic request on sse, stream, long-poll and poll with one topic refused (forbidden, invalid, over
 * the topic limit): the others are served and the refused one is named in the answer.
 */
class RefusedTopicsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String MIXED = "topic=news&topic=private/bob/inbox";

    private TestServer server;
    private HttpClient client;

    @BeforeEach
    void start() throws Exception {
        server = new TestServer().param("authorizer", OwnTopicsAuthorizer.class.getName())
                .param("longPollTimeoutMillis", 20_000).param("maxTopics", 3).start();
        client = Clients.HTTP_1_1.create();
    }

    @AfterEach
    void stop() throws Exception {
        client.stop();
        server.close();
    }

    private ContentResponse get(String path) throws Exception {
        return client.newRequest(server.uri(path)).timeout(30, TimeUnit.SECONDS).send();
    }

    private String publish(String topic, String body) throws Exception {
        ContentResponse r = client.newRequest(server.uri("/rt/publish/" + topic)).method(HttpMethod.POST)
                .body(new StringRequestContent("text/plain", body, StandardCharsets.UTF_8))
                .timeout(10, TimeUnit.SECONDS).send();
        assertEquals(202, r.getStatus(), r.getContentAsString());
        return JSON.readTree(r.getContentAsString()).get("id").asText();
    }

    /** The cursor "news from its first message on", for a several-topic request. */
    private static String fromStartOfNews(String id) {
        return "news@" + id.substring(0, id.lastIndexOf('-')) + "-0";
    }

    private static void assertRefusedBob(JsonNode refusal) {
        assertEquals("private/bob/inbox", refusal.get("topic").asText(), refusal.toString());
        assertEquals(403, refusal.get("status").asInt(), refusal.toString());
        assertTrue(refusal.get("error").asText().contains("not allowed to subscribe"), refusal.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"poll", "longpoll"})
    void batchServesTheAllowedTopicAndNamesTheForbiddenOne(String transport) throws Exception {
        String id = publish("news", "hello");
        long started = System.nanoTime();
        ContentResponse r = get("/rt/" + transport + "?" + MIXED + "&since=" + fromStartOfNews(id));
        assertEquals(200, r.getStatus(), r.getContentAsString());
        JsonNode batch = JSON.readTree(r.getContentAsString());
        assertEquals(1, batch.get("messages").size(), batch.toString());
        assertEquals("hello", batch.get("messages").get(0).get("data").asText());
        assertEquals(1, batch.get("refused").size(), batch.toString());
        assertRefusedBob(batch.get("refused").get(0));
        assertEquals(id, batch.get("cursor").asText(), "the cursor covers the served topic alone");
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(15), "answered without waiting for the timeout");
    }

    @Test
    void longPollNamesRefusalsAtOnceEvenWithNothingToDeliver() throws Exception {
        ContentResponse r = client.newRequest(server.uri("/rt/longpoll?" + MIXED)).timeout(5, TimeUnit.SECONDS).send();
        JsonNode batch = JSON.readTree(r.getContentAsString());
        assertEquals(0, batch.get("messages").size(), batch.toString());
        assertRefusedBob(batch.get("refused").get(0));
    }

    @Test
    void streamWritesTheRefusalFirstAndKeepsServingTheOthers() throws Exception {
        try (LineStream s = LineStream.open(client, server.uri("/rt/stream?" + MIXED))) {
            assertEquals(200, s.response().getStatus());
            JsonNode first = JSON.readTree(s.next(WAIT));
            assertEquals("refused", first.get("type").asText(), first.toString());
            assertRefusedBob(first);
            assertEquals("heartbeat", JSON.readTree(s.next(WAIT)).get("type").asText());
            publish("news", "after");
            JsonNode message = JSON.readTree(s.until(l -> l.contains("\"message\""), WAIT).get(0));
            assertEquals("after", message.get("data").asText());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "&format=json"})
    void sseSendsARefusedEventAndKeepsServingTheOthers(String format) throws Exception {
        try (LineStream s = LineStream.open(client, server.uri("/rt/sse?" + MIXED + format))) {
            assertEquals(200, s.response().getStatus());
            List<String> head = s.until(l -> l.startsWith("data: "), WAIT);
            assertEquals("event: refused", head.get(head.size() - 2), head.toString());
            JsonNode refusal = JSON.readTree(head.get(head.size() - 1).substring("data: ".length()));
            assertEquals("refused", refusal.get("type").asText());
            assertRefusedBob(refusal);
            publish("news", "after");
            List<String> rest = s.until(l -> l.startsWith("data: ") && l.contains("after"), WAIT);
            assertFalse(rest.contains("event: refused"), "the refusal is told once: " + rest);
        }
    }

    @Test
    void anInvalidNameOrATopicOverTheLimitIsRefusedAlone() throws Exception {
        publish("a", "x");
        publish("b", "x");
        publish("news", "x");
        // maxTopics is 3 and a, b and news are held. A poll of a fourth takes no place (it reads from now); a live
        // subscription would make it, so there the fourth is refused and the held ones are served.
        JsonNode batch = JSON.readTree(get("/rt/poll?topic=news&topic=bad%20name&topic=fourth").getContentAsString());
        JsonNode refused = batch.get("refused");
        assertEquals(1, refused.size(), batch.toString());
        assertEquals("bad name", refused.get(0).get("topic").asText());
        assertEquals(400, refused.get(0).get("status").asInt());
        assertTrue(batch.get("cursor").asText().contains("fourth@"), "the fourth is read from now: " + batch);
        publish("news", "y");
        batch = JSON.readTree(get("/rt/longpoll?topic=news&topic=fourth&since=" + java.net.URLEncoder.encode(
                batch.get("cursor").asText(), java.nio.charset.StandardCharsets.UTF_8)).getContentAsString());
        refused = batch.get("refused");
        assertEquals("fourth", refused.get(0).get("topic").asText(), batch.toString());
        assertEquals(429, refused.get(0).get("status").asInt());
    }

    @ParameterizedTest
    @ValueSource(strings = {"poll", "longpoll", "stream", "sse"})
    void whenEveryTopicIsRefusedTheRequestGetsTheStatus(String transport) throws Exception {
        ContentResponse forbidden = get("/rt/" + transport + "?topic=private/bob/inbox&topic=private/carol/inbox");
        assertEquals(403, forbidden.getStatus(), forbidden.getContentAsString());
        assertTrue(JSON.readTree(forbidden.getContentAsString()).get("error").asText().contains("private/bob/inbox"));
        ContentResponse invalid = get("/rt/" + transport + "?topic=..&topic=a%20b");
        assertEquals(400, invalid.getStatus(), invalid.getContentAsString());
        assertTrue(JSON.readTree(invalid.getContentAsString()).has("error"));
        assertEquals(0, server.hub().subscriptionCount());
    }
}
