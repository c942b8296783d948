package dev.rtkit.internal.transport.http;

import dev.rtkit.internal.hub.TestHubs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rtkit.testing.Clients;
import dev.rtkit.testing.LineStream;
import dev.rtkit.testing.TestServer;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.CompletableResponseListener;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every HTTP transport against a real Jetty, over HTTP/1.1 and over h2c. */
class HttpTransportsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(10);

    private TestServer server;
    private HttpClient client;

    void start(Clients kind, Object... params) throws Exception {
        server = new TestServer();
        for (int i = 0; i < params.length; i += 2) {
            server.param((String) params[i], params[i + 1]);
        }
        server.start();
        client = kind.create();
    }

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.stop();
        }
        if (server != null) {
            server.close();
        }
    }

    ContentResponse get(String path) throws Exception {
        return client.newRequest(server.uri(path)).timeout(30, TimeUnit.SECONDS).send();
    }

    JsonNode getJson(String path) throws Exception {
        ContentResponse r = get(path);
        assertEquals(200, r.getStatus(), r.getContentAsString());
        return JSON.readTree(r.getContentAsString());
    }

    ContentResponse post(String path, String body, String contentType) throws Exception {
        return client.newRequest(server.uri(path)).method(HttpMethod.POST)
                .body(new StringRequestContent(contentType, body, StandardCharsets.UTF_8))
                .timeout(10, TimeUnit.SECONDS).send();
    }

    String publish(String topic, String body) throws Exception {
        ContentResponse r = post("/rt/publish/" + topic, body, "text/plain");
        assertEquals(202, r.getStatus(), r.getContentAsString());
        JsonNode n = JSON.readTree(r.getContentAsString());
        assertEquals(topic, n.get("topic").asText());
        return n.get("id").asText();
    }

    CompletableFuture<ContentResponse> sendAsync(String path) {
        return new CompletableResponseListener(client.newRequest(server.uri(path)).timeout(60, TimeUnit.SECONDS), 1 << 24).send();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
        }
    }

    static List<String> data(JsonNode batch) {
        List<String> out = new ArrayList<>();
        batch.get("messages").forEach(m -> out.add(m.get("data").asText()));
        return out;
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void publishedMessagesArePolledAfterTheCursorWithTheNewCursor(Clients kind) throws Exception {
        start(kind);
        String cursor = getJson("/rt/poll/news").get("cursor").asText();
        String id1 = publish("news", "one");
        publish("news", "two");
        JsonNode batch = getJson("/rt/poll/news?since=" + cursor);
        assertEquals(List.of("one", "two"), data(batch));
        assertEquals("message", batch.get("messages").get(0).get("type").asText());
        assertEquals(id1, batch.get("messages").get(0).get("id").asText());
        JsonNode again = getJson("/rt/poll/news?since=" + batch.get("cursor").asText());
        assertEquals(List.of(), data(again));
        assertFalse(again.has("gaps"));
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void jsonBodiesStayJsonValuesAndOthersAreStrings(Clients kind) throws Exception {
        start(kind);
        String cursor = getJson("/rt/poll/j").get("cursor").asText();
        assertEquals(202, post("/rt/publish/j", "{\"price\": 42}", "application/json; charset=utf-8").getStatus());
        assertEquals(202, post("/rt/publish/j", "{\"price\": 42}", "text/plain").getStatus());
        JsonNode messages = getJson("/rt/poll/j?since=" + cursor).get("messages");
        assertEquals(42, messages.get(0).get("data").get("price").asInt());
        assertEquals("{\"price\": 42}", messages.get(1).get("data").asText());
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void longPollWaitsForThePublishAndAnswersTheWholeBatch(Clients kind) throws Exception {
        start(kind);
        String cursor = getJson("/rt/poll/lp").get("cursor").asText();
        CompletableFuture<ContentResponse> reply = sendAsync("/rt/longpoll/lp?since=" + cursor);
        await(() -> server.hub().subscriptionCount() == 1, "the long-poll to park");
        assertFalse(reply.isDone());
        publish("lp", "hello");
        ContentResponse r = reply.get(10, TimeUnit.SECONDS);
        assertEquals(200, r.getStatus());
        assertEquals(List.of("hello"), data(JSON.readTree(r.getContentAsString())));
        await(() -> server.hub().subscriptionCount() == 0, "the answered long-poll to release its subscription");
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void longPollAnswersAnEmptyBatchAtTheTimeout(Clients kind) throws Exception {
        start(kind, "longPollTimeoutMillis", 300);
        String cursor = getJson("/rt/poll/quiet").get("cursor").asText();
        JsonNode batch = getJson("/rt/longpoll/quiet?since=" + cursor);
        assertEquals(List.of(), data(batch));
        assertEquals(cursor, batch.get("cursor").asText());
        await(() -> server.hub().subscriptionCount() == 0, "the timed-out long-poll to release its subscription");
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void longPollWithWaitingMessagesAnswersAtOnce(Clients kind) throws Exception {
        start(kind, "longPollTimeoutMillis", 60_000);
        String cursor = getJson("/rt/poll/ready").get("cursor").asText();
        publish("ready", "a");
        publish("ready", "b");
        assertEquals(List.of("a", "b"), data(getJson("/rt/longpoll/ready?since=" + cursor)));
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void longPollAnsweredAtOnceResumesExactlyWhereItsCursorSaysOnEveryTopic(Clients kind) throws Exception {
        start(kind, "longPollTimeoutMillis", 60_000);
        String x1 = publish("x", "x1");
        publish("y", "y1");
        String cursor = "x@" + x1 + ",y@" + publish("y", "y2");
        publish("x", "x2");
        JsonNode batch = getJson("/rt/longpoll?topic=x&topic=y&since=" + enc(cursor));
        assertEquals(List.of("x2"), data(batch), "x after x1, nothing on y after y2");
        publish("y", "y3");
        assertEquals(List.of("y3"), data(getJson("/rt/longpoll?topic=x&topic=y&since=" + enc(batch.get("cursor").asText()))));
        // A cursor of another epoch on a topic the server holds: told at once, with everything retained.
        JsonNode otherEpoch = getJson("/rt/longpoll/x?since=aaaaaa-1");
        assertEquals("epoch", otherEpoch.get("gaps").get(0).get("reason").asText());
        assertEquals(List.of("x1", "x2"), data(otherEpoch));
        await(() -> server.hub().subscriptionCount() == 0, "no subscription left behind");
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void streamWritesOneJsonMessageALineAndHeartbeats(Clients kind) throws Exception {
        start(kind, "heartbeatIntervalMillis", 200);
        try (LineStream stream = LineStream.open(client, server.uri("/rt/stream/s"))) {
            assertEquals("application/x-ndjson", stream.response().getHeaders().get("Content-Type"));
            assertEquals("{\"type\":\"heartbeat\"}", stream.next(WAIT));
            await(() -> server.hub().subscriptionCount() == 1, "the stream to subscribe");
            String id = publish("s", "line \"1\"\nsecond");
            // Heartbeats may come before the message (every 200 ms): the matching line is the last one read.
            List<String> upToMessage = stream.until(l -> l.contains("\"message\""), WAIT);
            JsonNode m = JSON.readTree(upToMessage.get(upToMessage.size() - 1));
            assertEquals("{\"type\":\"heartbeat\"}", stream.until(l -> l.contains("heartbeat"), WAIT).get(0), "heartbeats go on");
            assertEquals(id, m.get("id").asText());
            assertEquals("line \"1\"\nsecond", m.get("data").asText());
        }
        await(() -> server.hub().subscriptionCount() == 0, "the closed stream to release its subscription");
    }

    @org.junit.jupiter.api.Test
    void anIdleHttp11StreamIsProbedWithLinesItsReadersSkip() throws Exception {
        // Heartbeats far off: what comes after the opening is the probe.
        start(Clients.HTTP_1_1, "heartbeatIntervalMillis", 60_000);
        try (LineStream stream = LineStream.open(client, server.uri("/rt/stream/idle"));
             LineStream sse = LineStream.open(client, server.uri("/rt/sse/idle"))) {
            assertEquals("{\"type\":\"heartbeat\"}\n\n", stream.awaitRaw(raw -> raw.endsWith("}\n\n"), WAIT));
            assertEquals("retry: 2000\n\n:\n", sse.awaitRaw(raw -> raw.endsWith(":\n"), WAIT));
        }
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void sseSendsIdEventAndDataAndResumesFromLastEventIdWithoutLossOrDuplicate(Clients kind) throws Exception {
        start(kind, "sseRetryMillis", 1500);
        String first;
        try (LineStream sse = LineStream.open(client, server.uri("/rt/sse/prices"))) {
            assertTrue(sse.response().getHeaders().get("Content-Type").startsWith("text/event-stream"));
            assertEquals("retry: 1500", sse.next(WAIT));
            assertEquals("", sse.next(WAIT));
            await(() -> server.hub().subscriptionCount() == 1, "the SSE stream to subscribe");
            first = publish("prices", "p1");
            assertEquals(202, post("/rt/publish/prices?event=tick", "p2", "text/plain").getStatus());
            // Over HTTP/1.1 an idle stream is probed with ":" comment lines, which an EventSource skips.
            List<String> lines = sse.until(l -> l.equals("data: p2"), WAIT).stream().filter(l -> !l.equals(":")).toList();
            assertEquals(List.of("id: " + first, "data: p1", "", lines.get(3), "event: tick", "data: p2"), lines);
        }
        // Published while the client was away: resumed from the first id, it must get p2 and p3 only.
        String third = publish("prices", "p3");
        try (LineStream sse = LineStream.open(client, server.uri("/rt/sse/prices"),
                r -> r.headers(h -> h.put("Last-Event-ID", first)))) {
            List<String> lines = sse.until(l -> l.equals("data: p3"), WAIT);
            assertEquals(List.of("retry: 1500", "", lines.get(2), "event: tick", "data: p2", "", "id: " + third, "data: p3"), lines);
        }
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void sseSplitsDataOnEveryLineEndingIntoExactBytes(Clients kind) throws Exception {
        start(kind);
        String cursor = getJson("/rt/poll/ml").get("cursor").asText();
        String id = publish("ml", "a\nb\rc\r\nd\n");
        try (LineStream sse = LineStream.open(client, server.uri("/rt/sse/ml?since=" + cursor))) {
            assertEquals("retry: 2000\n\nid: " + id + "\ndata: a\ndata: b\ndata: c\ndata: d\ndata: \n\n",
                    sse.awaitRaw(raw -> raw.endsWith("data: \n\n"), WAIT));
        }
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void lineBreaksInDataCannotInjectSseFieldsOrEvents(Clients kind) throws Exception {
        start(kind);
        String cursor = getJson("/rt/poll/inj").get("cursor").asText();
        assertEquals(400, post("/rt/publish/inj?event=" + enc("x\nid: 0"), "y", "text/plain").getStatus());
        assertEquals(400, post("/rt/publish/inj?event=" + enc("x\rdata: evil"), "y", "text/plain").getStatus());
        String id = publish("inj", "ok\n\nevent: evil\rid: 0\r\ndata: forged");
        try (LineStream sse = LineStream.open(client, server.uri("/rt/sse/inj?since=" + cursor))) {
            assertEquals("retry: 2000\n\nid: " + id + "\ndata: ok\ndata: \ndata: event: evil\ndata: id: 0\ndata: data: forged\n\n",
                    sse.awaitRaw(raw -> raw.endsWith("forged\n\n"), WAIT));
        }
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void sseJsonFormatCarriesTheWholeMessage(Clients kind) throws Exception {
        start(kind);
        String cursor = getJson("/rt/poll/fj").get("cursor").asText();
        assertEquals(202, post("/rt/publish/fj?event=e", "[1,2]", "application/json").getStatus());
        try (LineStream sse = LineStream.open(client, server.uri("/rt/sse/fj?format=json&since=" + cursor))) {
            String data = sse.until(l -> l.startsWith("data: "), WAIT).stream().filter(l -> l.startsWith("data: ")).findFirst().orElseThrow();
            JsonNode m = JSON.readTree(data.substring(6));
            assertEquals("fj", m.get("topic").asText());
            assertEquals("e", m.get("event").asText());
            assertEquals(2, m.get("data").get(1).asInt());
        }
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void severalTopicsOnOneStreamResumeFromTheCursorInTheEventId(Clients kind) throws Exception {
        start(kind);
        String cursor = getJson("/rt/poll?topic=x&topic=y").get("cursor").asText();
        assertTrue(cursor.startsWith("x@") && cursor.contains(",y@"), cursor);
        publish("x", "x1");
        publish("y", "y1");
        String last;
        try (LineStream sse = LineStream.open(client, server.uri("/rt/sse?topic=x&topic=y&since=" + enc(cursor)))) {
            List<String> lines = sse.until(l -> l.equals("data: y1"), WAIT);
            last = lines.get(lines.size() - 2).substring(4);
            assertTrue(last.startsWith("x@") && last.contains(",y@"), last);
        }
        publish("y", "y2");
        publish("x", "x2");
        List<String> got = data(getJson("/rt/poll?topic=x&topic=y&since=" + enc(last)));
        got.sort(null);
        assertEquals(List.of("x2", "y2"), got);
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void aCursorOlderThanHistoryGetsAGapOnEveryHttpTransport(Clients kind) throws Exception {
        start(kind, "historySize", 2);
        String old = publish("g", "1");
        publish("g", "2");
        publish("g", "3");
        publish("g", "4");
        JsonNode batch = getJson("/rt/poll/g?since=" + old);
        assertEquals(List.of("3", "4"), data(batch));
        assertEquals("expired", batch.get("gaps").get(0).get("reason").asText());
        assertEquals(old, batch.get("gaps").get(0).get("since").asText());
        assertEquals("expired", getJson("/rt/longpoll/g?since=" + old).get("gaps").get(0).get("reason").asText());
        try (LineStream stream = LineStream.open(client, server.uri("/rt/stream/g?since=" + old))) {
            assertTrue(stream.until(l -> l.contains("\"gap\""), WAIT).get(1).contains("\"reason\":\"expired\""));
        }
        try (LineStream sse = LineStream.open(client, server.uri("/rt/sse/g?since=" + old))) {
            List<String> lines = sse.until(l -> l.startsWith("data: {\"type\":\"gap\""), WAIT);
            assertEquals("event: gap", lines.get(lines.size() - 2));
        }
        JsonNode otherEpoch = getJson("/rt/poll/g?since=aaaaaa-2");
        assertEquals("epoch", otherEpoch.get("gaps").get(0).get("reason").asText());
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void badInputGetsAClearJsonErrorAndNoStackTrace(Clients kind) throws Exception {
        start(kind, "maxMessageBytes", 1000, "maxTopicsPerConnection", 3);
        assertError(get("/rt/poll/bad%20topic"), 400, "topic name");
        assertError(get("/rt/poll?topic=a/../b"), 400, "segment");
        assertError(post("/rt/publish/big", "x".repeat(1001), "text/plain"), 413, "larger than 1000");
        assertError(post("/rt/publish/j", "{not json", "application/json"), 400, "not valid JSON");
        assertError(get("/rt/publish/t"), 405, "use POST");
        assertError(post("/rt/poll/t", "", "text/plain"), 405, "use GET");
        assertError(get("/rt/poll/t?since=garbage"), 400, "malformed cursor");
        assertError(get("/rt/poll?topic=a&topic=b&topic=c&topic=d"), 400, "too many topics");
        assertError(get("/rt/nope/t"), 404, "no such endpoint");
        assertError(get("/rt/poll"), 400, "no topic");
        assertEquals(200, get("/rt/poll/t?since=" + TestHubs.epoch(server.hub()) + "-123456789").getStatus());
    }

    private static void assertError(ContentResponse r, int status, String text) throws Exception {
        assertEquals(status, r.getStatus(), r.getContentAsString());
        if (r.getHeaders().get("Content-Type") != null && r.getHeaders().get("Content-Type").startsWith("application/json")) {
            JsonNode n = JSON.readTree(r.getContentAsString());
            if (text != null) {
                assertTrue(n.get("error").asText().contains(text), r.getContentAsString());
            }
        }
        assertFalse(r.getContentAsString().contains("at dev.rtkit"), "no stack trace");
        assertFalse(r.getContentAsString().contains("Exception"), "no exception names");
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void clientsThatDisconnectMidStreamLeaveNoSubscriptionBehind(Clients kind) throws Exception {
        // Streams notice at the next heartbeat at the latest; a parked long-poll over HTTP/1.1 may only
        // notice at its timeout, which bounds how long it lingers.
        start(kind, "heartbeatIntervalMillis", 100, "longPollTimeoutMillis", 1000);
        List<LineStream> streams = new ArrayList<>();
        for (String path : List.of("/rt/sse/d", "/rt/stream/d", "/rt/sse?topic=d&topic=e")) {
            streams.add(LineStream.open(client, server.uri(path)));
        }
        CompletableFuture<ContentResponse> longPoll = sendAsync("/rt/longpoll/d");
        await(() -> server.hub().subscriptionCount() == 4, "four subscriptions");
        streams.forEach(LineStream::close);
        longPoll.cancel(true);
        client.stop();
        await(() -> server.hub().subscriptionCount() == 0, "every subscription to be released after the disconnects");
    }

    @ParameterizedTest
    @EnumSource(Clients.class)
    void sseHeartbeatsAreCommentsAndInJsonModeEventsAPageCanSee(Clients kind) throws Exception {
        start(kind, "heartbeatIntervalMillis", 100);
        try (LineStream raw = LineStream.open(client, server.uri("/rt/sse/hb"));
             LineStream json = LineStream.open(client, server.uri("/rt/sse/hb?format=json"))) {
            raw.until(l -> l.equals(":hb"), WAIT);
            List<String> lines = json.until(l -> l.equals("data: {\"type\":\"heartbeat\"}"), WAIT);
            assertEquals("event: heartbeat", lines.get(lines.size() - 2));
        }
    }
}
