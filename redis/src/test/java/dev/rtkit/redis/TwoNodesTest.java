package dev.rtkit.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rtkit.internal.metrics.MetricsBinding;
import dev.rtkit.testing.Clients;
import dev.rtkit.testing.JettyWsClient;
import dev.rtkit.testing.TestServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Two real Jetty nodes sharing one real redis-server through the init-param log. */
class TwoNodesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final SimpleMeterRegistry metersOfB = new SimpleMeterRegistry();
    private RedisServer redis;
    private TestServer a;
    private TestServer b;
    private HttpClient http;
    private final java.net.http.HttpClient jdk = java.net.http.HttpClient.newHttpClient();

    void start(boolean aof) throws Exception {
        redis = RedisServer.start(aof);
        a = node().start();
        b = node().setup((jetty, context) -> context.setAttribute(MetricsBinding.REGISTRY_ATTRIBUTE, metersOfB)).start();
        http = Clients.HTTP_1_1.create();
    }

    private TestServer node() {
        // Publishing as fast as the log allows: the rate bounds are not what these tests are about.
        return new TestServer().param("log", redis.uri()).param("longPollTimeoutMillis", 2000)
                .param("heartbeatIntervalMillis", 500).param("maxPublishRate", 100_000)
                .param("maxPublishRatePerAddress", 100_000);
    }

    @AfterEach
    void stop() throws Exception {
        if (http != null) {
            http.stop();
        }
        for (AutoCloseable c : new AutoCloseable[] {a, b, redis}) {
            if (c != null) {
                c.close();
            }
        }
    }

    static List<String> transports() {
        return Roamer.TRANSPORTS;
    }

    @ParameterizedTest
    @MethodSource("transports")
    void publishedOnAIsDeliveredOnBFromTheCursorAHandedOut(String transport) throws Exception {
        start(false);
        String cursor = cursor(a, "news");
        Roamer client = new Roamer(http, jdk, "news", cursor).enough(3);
        CompletableFuture<Void> session = CompletableFuture.runAsync(
                () -> client.session(transport, b.uri(), System.currentTimeMillis() + WAIT.toMillis()));
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sent.add(publish(a, "news", "m" + i));
        }
        session.get(WAIT.toSeconds() + 5, TimeUnit.SECONDS);
        assertEquals(sent, client.ids, "the ids A acknowledged, in order, once, on B over " + transport);
        assertEquals(List.of(), client.gaps);
    }

    /**
     * A client takes a cursor to a node whose cache has not seen that message yet (pub/sub is a moment behind, or was
     * reconnecting): the node looks at Redis again before it calls the cursor unknown, so the client resumes with no
     * gap and no replay. The message is appended without its pub/sub, so B cannot have seen it when the client comes.
     */
    @ParameterizedTest
    @MethodSource("transports")
    void aCursorAheadOfTheNodesCacheResumesThereWithoutAGap(String transport) throws Exception {
        start(false);
        Roamer holder = new Roamer(http, jdk, "lag", cursor(b, "lag"));
        CompletableFuture.runAsync(() -> holder.session("sse", b.uri(), System.currentTimeMillis() + WAIT.toMillis()));
        await().atMost(WAIT).until(() -> b.hub().subscriptionCount() == 1);
        String first = publish(a, "lag", "m1");
        await().atMost(WAIT).until(() -> holder.ids.size() == 1);

        String unseen = appendWithoutPubSub("lag", "m2");
        Roamer client = new Roamer(http, jdk, "lag", unseen).enough(1);
        CompletableFuture<Void> session = CompletableFuture.runAsync(
                () -> client.session(transport, b.uri(), System.currentTimeMillis() + WAIT.toMillis()));
        await().atMost(WAIT).until(() -> rereads("cursor") >= 1); // B read the topic again for the client's cursor
        String next = publish(a, "lag", "m3");
        session.get(WAIT.toSeconds() + 5, TimeUnit.SECONDS);
        assertEquals(List.of(next), client.ids, "only what came after the cursor, over " + transport);
        assertEquals(List.of(), client.gaps, "B's cache was behind, the cursor was not unknown");
        assertTrue(unseen.startsWith(first.substring(0, first.indexOf('-') + 1)), unseen + " in the epoch of " + first);
    }

    /**
     * Redis loses writes both nodes saw (as a failover to a replica that lacked them does) and then gives their ids
     * again: the nodes notice, the topic takes a new epoch, and the subscriber is told by a gap and then gets what
     * came after, rather than the new messages being taken for ones it already has and dropped.
     */
    @Test
    void redisGivingAnIdTwiceAfterLosingWritesGivesAnEpochGapNotASilentDrop() throws Exception {
        start(false);
        Roamer onB = new Roamer(http, jdk, "lost", cursor(b, "lost"));
        CompletableFuture.runAsync(() -> onB.session("sse", b.uri(), System.currentTimeMillis() + 30_000));
        await().atMost(WAIT).until(() -> b.hub().subscriptionCount() == 1);
        List<String> seen = List.of(publish(a, "lost", "m1"), publish(a, "lost", "m2"), publish(a, "lost", "m3"));
        await().atMost(WAIT).until(() -> onB.ids.size() == 3);

        forgetAllBut("lost", 1);
        String reused = publish(a, "lost", "m4");
        assertEquals(seen.get(1), reused, "Redis gave the lost id " + seen.get(1) + " again");
        await().atMost(WAIT).until(() -> !onB.gaps.isEmpty());
        String after = publishWhen(a, "lost", "m5", id -> !sameEpoch(id, reused));
        await().atMost(WAIT).until(() -> onB.ids.contains(after));
        assertEquals("epoch", onB.gaps.get(0).get("reason").asText(), onB.gaps.toString());
        assertEquals(1, onB.gaps.size(), onB.gaps.toString());
        List<String> newEpoch = onB.ids.subList(3, onB.ids.size());
        assertTrue(newEpoch.stream().allMatch(id -> sameEpoch(id, after)), "after the gap, only the new epoch: " + onB.ids);
        assertEquals(after, newEpoch.get(newEpoch.size() - 1));
        assertTrue(newEpoch.size() >= 2, "m4 was delivered in the new epoch too: " + onB.ids);
        assertTrue(rereads("lost-writes") >= 1, "B counted the lost writes it noticed (or A did first and B saw the epoch)"
                + " : " + rereads("lost-writes") + " lost-writes, " + rereads("epoch") + " epoch, " + rereads("probe") + " probe");
    }

    private double rereads(String reason) {
        return metersOfB.get("rtkit.log.rereads").tag("reason", reason).counter().count();
    }

    private static boolean sameEpoch(String id, String other) {
        return id.substring(0, id.lastIndexOf('-')).equals(other.substring(0, other.lastIndexOf('-')));
    }

    /** What a replica that missed the last writes holds: the topic's first {@code keep} messages only. */
    private void forgetAllBut(String topic, long keep) throws Exception {
        io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(redis.uri());
        try (var connection = client.connect()) {
            var redisSync = connection.sync();
            Keys keys = Keys.of(topic);
            for (var entry : redisSync.xrange(keys.stream(), io.lettuce.core.Range.create("-", "+"))) {
                if (Entries.seqOf(entry.getId()) > keep) {
                    redisSync.xdel(keys.stream(), entry.getId());
                }
            }
            redisSync.hset(keys.meta(), "seq", Long.toString(keep));
        } finally {
            client.shutdown();
        }
    }

    /** Publishes until the id given satisfies {@code accepted} (a node may take a moment to notice). */
    private String publishWhen(TestServer node, String topic, String body, java.util.function.Predicate<String> accepted) {
        String[] id = new String[1];
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> accepted.test(id[0] = publish(node, topic, body)));
        return id[0];
    }

    /** Appends as a node does, but publishes to a channel no node listens on. */
    private String appendWithoutPubSub(String topic, String data) throws Exception {
        io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(redis.uri());
        try (var connection = client.connect()) {
            List<Object> reply = Script.APPEND.run(connection.async(), Keys.of(topic).both(), Epochs.next(),
                    Long.toString(System.currentTimeMillis()), "1000", "3600000", "3600000", "3600000",
                    "rtkit-test-nowhere", "PUBLISH", "0", "", "0", data).toCompletableFuture().get(10, TimeUnit.SECONDS);
            return reply.get(0) + "-" + reply.get(1);
        } finally {
            client.shutdown();
        }
    }

    @Test
    void redisUnreachableGives503AndAnErrorFrameAndSubscribersAreServedAgainAfter() throws Exception {
        start(true);
        Roamer onB = new Roamer(http, jdk, "t", cursor(b, "t"));
        CompletableFuture<Void> sse = CompletableFuture.runAsync(
                () -> onB.session("sse", b.uri(), System.currentTimeMillis() + 30_000));
        await().atMost(WAIT).until(() -> b.hub().subscriptionCount() == 1);
        String first = publish(a, "t", "before");
        await().atMost(WAIT).until(() -> onB.ids.size() == 1);

        redis.stop();
        ContentResponse refused = post(a, "t", "during");
        assertEquals(503, refused.getStatus());
        assertTrue(JSON.readTree(refused.getContentAsString()).get("error").asText().contains("unavailable"),
                refused.getContentAsString());
        try (JettyWsClient ws = JettyWsClient.connect(URI.create("ws://127.0.0.1:" + a.port() + "/rt/ws"))) {
            ws.send("{\"type\":\"publish\",\"topic\":\"t\",\"data\":\"during\",\"ref\":\"r1\"}");
            JsonNode error = ws.nextOfType("error", WAIT);
            assertEquals("r1", error.get("ref").asText());
        }
        assertEquals(503, post(b, "t", "during").getStatus());
        assertTrue(metersOfB.get("rtkit.log.errors").tag("operation", "append").counter().count() >= 1,
                "B counted the append Redis did not take");
        assertTrue(!sse.isDone(), "the subscriber on B stays connected");
        assertEquals(200, http.GET(b.uri("/rt/poll/t?since=" + Roamer.enc(first))).getStatus(), "B serves what it holds");
        ContentResponse unknown = http.GET(b.uri("/rt/poll/elsewhere"));
        assertEquals(503, unknown.getStatus(), "a topic B does not hold cannot be read: " + unknown.getContentAsString());
        assertTrue(JSON.readTree(unknown.getContentAsString()).has("error"));

        redis.restart();
        List<String> after = new ArrayList<>();
        after.add(publishWhenAccepted(a, "t", "after-1"));
        after.add(publish(a, "t", "after-2"));
        await().atMost(WAIT).until(() -> onB.ids.size() == 3);
        assertEquals(List.of(first, after.get(0), after.get(1)), onB.ids);
        assertEquals(List.of(), onB.gaps, "with the AOF nothing was lost: no gap");
        assertTrue(!sse.isDone(), "the same SSE stream, never reconnected");
        assertTrue(metersOfB.get("rtkit.log.rereads").tag("reason", "reconnect").counter().count() >= 1,
                "B read its topic again after Lettuce reconnected");
    }

    /**
     * While Redis is away, polls whose cursor is ahead of the node (forged, or handed out by a node that saw more) wait
     * for a re-read that cannot come yet: they must wait without a thread. B has 12 threads and 40 such polls reach
     * it; a healthy poll is answered before any of them, which a thread per waiting poll would not allow. Each is
     * then answered, its cursor kept, once its wait ends, and gives back the connection permit it held meanwhile.
     */
    @Test
    void pollsWithACursorAheadWhileRedisIsAwayHoldNoThread() throws Exception {
        redis = RedisServer.start(false);
        b = node().maxThreads(12).start();
        http = Clients.HTTP_1_1.create();
        Roamer onB = new Roamer(http, jdk, "t", cursor(b, "t"));
        CompletableFuture.runAsync(() -> onB.session("sse", b.uri(), System.currentTimeMillis() + 30_000));
        await().atMost(WAIT).until(() -> b.hub().subscriptionCount() == 1);
        String first = publish(b, "t", "before");
        await().atMost(WAIT).until(() -> onB.ids.size() == 1);

        redis.stop();
        int dash = first.indexOf('-');
        String ahead = first.substring(0, dash + 1) + (Long.parseLong(first.substring(dash + 1)) + 1000);
        List<CompletableFuture<ContentResponse>> waiting = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            waiting.add(new CompletableResponseListener(http.newRequest(b.uri("/rt/poll/t?since=" + Roamer.enc(ahead)))
                    .timeout(20, TimeUnit.SECONDS)).send());
        }
        ServerConnector connector = (ServerConnector) b.server().getConnectors()[0];
        await().atMost(WAIT).until(() -> connector.getConnectedEndPoints().size() >= 41);
        ContentResponse healthy = http.newRequest(b.uri("/rt/poll/t?since=" + Roamer.enc(first))).timeout(10, TimeUnit.SECONDS).send();
        assertEquals(200, healthy.getStatus(), healthy.getContentAsString());
        assertEquals(0, waiting.stream().filter(CompletableFuture::isDone).count(), "answered before every waiting poll");
        for (CompletableFuture<ContentResponse> w : waiting) {
            ContentResponse r = w.get(15, TimeUnit.SECONDS);
            assertEquals(200, r.getStatus(), r.getContentAsString());
            JsonNode body = JSON.readTree(r.getContentAsString());
            assertEquals(0, body.get("messages").size(), r.getContentAsString());
            assertTrue(!body.has("gaps"), r.getContentAsString());
            assertEquals(ahead, body.get("cursor").asText(), "not known yet: the cursor is kept, not called unknown");
        }
        // Each waiting poll held a connection permit; answered, they are all returned (the SSE stream keeps its own).
        await().atMost(WAIT).until(() -> b.engine().guard().connections() == 1);
    }

    @Test
    void redisRestartWithoutPersistenceGivesAnEpochGapThenLive() throws Exception {
        start(false);
        Roamer onB = new Roamer(http, jdk, "t", cursor(b, "t"));
        CompletableFuture<Void> ws = CompletableFuture.runAsync(
                () -> onB.session("websocket", b.uri(), System.currentTimeMillis() + 30_000));
        await().atMost(WAIT).until(() -> b.hub().subscriptionCount() == 1);
        String old = publish(a, "t", "before");
        await().atMost(WAIT).until(() -> onB.ids.size() == 1);

        redis.restart();
        String fresh = publishWhenAccepted(a, "t", "after");
        assertTrue(!fresh.startsWith(old.substring(0, old.lastIndexOf('-') + 1)), "a new epoch: " + old + " then " + fresh);
        await().atMost(WAIT).until(() -> onB.ids.size() == 2);
        assertEquals(List.of(old, fresh), onB.ids);
        assertEquals(1, onB.gaps.size(), onB.gaps.toString());
        assertEquals("epoch", onB.gaps.get(0).get("reason").asText());

        JsonNode poll = JSON.readTree(http.GET(b.uri("/rt/poll/t?since=" + Roamer.enc(old))).getContentAsString());
        assertEquals("epoch", poll.get("gaps").get(0).get("reason").asText(), "a poll with the old cursor is told too");
        assertEquals(fresh, poll.get("messages").get(0).get("id").asText());
        assertTrue(!ws.isDone(), "the WebSocket stayed open through it");
    }

    @Test
    void aRedisOutageWhilePublishingGivesOnly503sAndLosesNoAcknowledgedMessage() throws Exception {
        start(true);
        Roamer onB = new Roamer(http, jdk, "busy", cursor(b, "busy"));
        CompletableFuture<Void> stream = CompletableFuture.runAsync(
                () -> onB.session("stream", b.uri(), System.currentTimeMillis() + 60_000));
        await().atMost(WAIT).until(() -> b.hub().subscriptionCount() == 1);
        List<String> acknowledged = new ArrayList<>();
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            if (i == 100) {
                redis.stop();
            }
            if (i == 150) {
                redis.restart();
            }
            ContentResponse r = post(a, "busy", "m" + i);
            statuses.add(r.getStatus());
            if (r.getStatus() == 202) {
                acknowledged.add(JSON.readTree(r.getContentAsString()).get("id").asText());
            } else {
                assertEquals(503, r.getStatus(), r.getContentAsString());
                assertTrue(JSON.readTree(r.getContentAsString()).has("error"), r.getContentAsString());
            }
        }
        assertTrue(statuses.contains(503), "the outage was seen");
        await().atMost(WAIT).until(() -> onB.ids.size() >= acknowledged.size());
        assertEquals(acknowledged, onB.ids, "every acknowledged message, once, in order, on the same stream");
        assertTrue(!stream.isDone(), "the stream on B stayed open");
    }

    private String cursor(TestServer node, String topic) throws Exception {
        return JSON.readTree(http.GET(node.uri("/rt/poll/" + topic)).getContentAsString()).get("cursor").asText();
    }

    private ContentResponse post(TestServer node, String topic, String body) throws Exception {
        return http.newRequest(node.uri("/rt/publish/" + topic)).method(HttpMethod.POST)
                .body(new StringRequestContent("text/plain", body, StandardCharsets.UTF_8))
                .timeout(10, TimeUnit.SECONDS).send();
    }

    private String publish(TestServer node, String topic, String body) throws Exception {
        ContentResponse r = post(node, topic, body);
        assertEquals(202, r.getStatus(), r.getContentAsString());
        return JSON.readTree(r.getContentAsString()).get("id").asText();
    }

    /** Publishes once Redis is back: 503s until then, as a client retrying would see. */
    private String publishWhenAccepted(TestServer node, String topic, String body) throws Exception {
        String[] id = new String[1];
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
            ContentResponse r = post(node, topic, body);
            if (r.getStatus() == 202) {
                id[0] = JSON.readTree(r.getContentAsString()).get("id").asText();
                return true;
            }
            assertEquals(503, r.getStatus(), r.getContentAsString());
            return false;
        });
        return id[0];
    }
}
