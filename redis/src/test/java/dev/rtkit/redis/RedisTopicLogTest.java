package dev.rtkit.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtkit.Message;
import dev.rtkit.Payload;
import dev.rtkit.RtkitException;
import dev.rtkit.spi.TopicLog;
import dev.rtkit.spi.TopicLogFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two logs on one real redis-server, as two nodes would hold them. */
class RedisTopicLogTest {
    private static final TopicLogFactory.Options OPTIONS =
            new TopicLogFactory.Options(100, Duration.ofMinutes(5), 64L << 20, Map.of());

    private RedisServer redis;
    private TopicLog a;
    private TopicLog b;

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start();
        a = new RedisTopicLogFactory().create(redis.uri(), OPTIONS);
        b = new RedisTopicLogFactory().create(redis.uri(), OPTIONS);
    }

    @AfterEach
    void stop() throws Exception {
        a.close();
        b.close();
        redis.close();
    }

    @Test
    void messageAppendedOnOneNodeIsReadableOnTheOtherWithTheSameId() throws Exception {
        AtomicInteger signals = new AtomicInteger();
        TopicLog.Topic onA = a.open("prices", () -> { });
        TopicLog.Topic onB = b.open("prices", signals::incrementAndGet);
        assertEquals(onA.epoch(), onB.epoch());

        Message sent = append(onA, "{\"p\":1}", "tick");

        await().atMost(5, TimeUnit.SECONDS).until(() -> onB.lastSeq() == sent.id().seq());
        Message got = onB.readAfter(0, 10).messages().get(0);
        assertEquals(sent.id(), got.id());
        assertEquals("{\"p\":1}", got.data());
        assertEquals("tick", got.event());
        assertTrue(got.isJson());
        assertTrue(signals.get() > 0);
    }

    @Test
    void seqsFromBothNodesInterleaveWithoutHolesOrRepeats() throws Exception {
        TopicLog.Topic onA = a.open("t", () -> { });
        TopicLog.Topic onB = b.open("t", () -> { });
        for (int i = 0; i < 50; i++) {
            (i % 2 == 0 ? onA : onB).append(Payload.text("m" + i), null, System.currentTimeMillis());
        }
        await().atMost(5, TimeUnit.SECONDS).until(() -> onA.lastSeq() == 50 && onB.lastSeq() == 50);
        List<Message> onANow = onA.readAfter(0, 100).messages();
        List<Message> onBNow = onB.readAfter(0, 100).messages();
        assertEquals(50, onANow.size());
        for (int i = 0; i < 50; i++) {
            assertEquals(i + 1, onANow.get(i).id().seq());
            assertEquals(onANow.get(i).data(), onBNow.get(i).data());
        }
    }

    @Test
    void nodeOpeningLaterReadsTheHistoryFromRedis() throws Exception {
        TopicLog.Topic onA = a.open("t", () -> { });
        for (int i = 0; i < 5; i++) {
            append(onA, "\"m" + i + "\"", null);
        }
        TopicLog.Topic onB = b.open("t", () -> { });
        TopicLog.Read read = onB.readAfter(2, 10);
        assertEquals(List.of(3L, 4L, 5L), read.messages().stream().map(m -> m.id().seq()).toList());
        assertEquals(onA.epoch(), read.epoch());
    }

    @Test
    void historyIsBoundedByCountInRedisAndInTheCache() throws Exception {
        TopicLog.Topic onA = a.open("t", () -> { });
        for (int i = 0; i < 130; i++) {
            onA.append(Payload.text("m" + i), null, System.currentTimeMillis());
        }
        await().atMost(5, TimeUnit.SECONDS).until(() -> onA.lastSeq() == 130);
        TopicLog.Topic onB = b.open("t", () -> { });
        TopicLog.Read read = onB.readAfter(0, 1000);
        assertEquals(100, read.messages().size());
        assertEquals(30, read.forgottenSeq());
        assertEquals(31, read.messages().get(0).id().seq());
        assertEquals(30, onA.readAfter(0, 1000).forgottenSeq());
    }

    @Test
    void appendFailsAsUnavailableWhileRedisIsDownAndSubscribersCatchUpAfter() throws Exception {
        TopicLog.Topic onA = a.open("t", () -> { });
        TopicLog.Topic onB = b.open("t", () -> { });
        append(onA, "\"before\"", null);
        await().atMost(5, TimeUnit.SECONDS).until(() -> onB.lastSeq() == 1);

        redis.stop();
        CompletionException failed = assertThrows(CompletionException.class,
                () -> onA.append(Payload.text("lost"), null, System.currentTimeMillis()).toCompletableFuture().join());
        RtkitException cause = (RtkitException) failed.getCause();
        assertEquals(RtkitException.Kind.UNAVAILABLE, cause.kind());
        assertEquals(1, onB.readAfter(0, 10).messages().size(), "readers keep what the cache holds");
        assertThrows(RtkitException.class, () -> b.open("other", () -> { }));

        redis.restart();
        // Without persistence the restarted Redis is empty: both nodes move to one new epoch.
        await().atMost(10, TimeUnit.SECONDS).until(() -> appendSucceeds(onA));
        await().atMost(10, TimeUnit.SECONDS).until(() -> onB.epoch().equals(onA.epoch()) && onB.lastSeq() == onA.lastSeq());
        assertEquals(onA.readAfter(0, 10).messages().stream().map(Message::data).toList(),
                onB.readAfter(0, 10).messages().stream().map(Message::data).toList());
    }

    @Test
    void redisRestartWithoutPersistenceChangesTheEpochEvenWithoutAppends() throws Exception {
        TopicLog.Topic onB = b.open("t", () -> { });
        TopicLog.Topic onA = a.open("t", () -> { });
        append(onA, "\"x\"", null);
        String before = onB.epoch();
        redis.restart();
        await().atMost(10, TimeUnit.SECONDS).until(() -> !onB.epoch().equals(before));
        await().atMost(10, TimeUnit.SECONDS).until(() -> onA.epoch().equals(onB.epoch()));
        assertNotEquals(before, onA.epoch());
        assertEquals(0, onB.lastSeq());
        assertTrue(onB.isEmpty());
    }

    @Test
    void redisRestartWithAppendOnlyFileKeepsEpochAndHistory() throws Exception {
        a.close();
        b.close();
        redis.close();
        redis = RedisServer.start(true);
        a = new RedisTopicLogFactory().create(redis.uri(), OPTIONS);
        b = new RedisTopicLogFactory().create(redis.uri(), OPTIONS);
        TopicLog.Topic onA = a.open("t", () -> { });
        append(onA, "\"x\"", null);
        String epoch = onA.epoch();
        redis.restart();
        await().atMost(10, TimeUnit.SECONDS).until(() -> appendSucceeds(onA));
        // B's connections may still be reconnecting: until then opening a topic it does not hold is refused at once
        // (UNAVAILABLE, a 503 to a client), and a client retries.
        TopicLog.Topic onB = await().atMost(10, TimeUnit.SECONDS).until(() -> openOrNull(b, "t"), java.util.Objects::nonNull);
        assertEquals(epoch, onB.epoch());
        assertEquals(List.of("\"x\"", "again"), onB.readAfter(0, 10).messages().stream().map(Message::data).toList());
    }

    private static TopicLog.Topic openOrNull(TopicLog log, String name) {
        try {
            return log.open(name, () -> { });
        } catch (dev.rtkit.RtkitException e) {
            return null;
        }
    }

    @Test
    void thePasswordComesFromTheInitParamAndWithoutItStartUpFailsNamingRedis() throws Exception {
        try (RedisServer locked = RedisServer.start(false, "s3cret")) {
            TopicLogFactory.Options withPassword = new TopicLogFactory.Options(100, Duration.ofMinutes(5), 64L << 20,
                    Map.of(RedisTopicLogFactory.PASSWORD, "s3cret"));
            TopicLog log = new RedisTopicLogFactory().create(locked.uri(), withPassword);
            try {
                assertEquals(1, append(log.open("t", () -> { }), "1", null).id().seq());
            } finally {
                log.close();
            }
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> new RedisTopicLogFactory().create(locked.uri(), OPTIONS));
            assertTrue(refused.getMessage().contains("127.0.0.1:" + locked.port()), refused.getMessage());
            TopicLog inUri = new RedisTopicLogFactory().create("redis://:s3cret@127.0.0.1:" + locked.port(), OPTIONS);
            inUri.close();
        }
    }

    @Test
    void onlyRedisUrisAreAcceptedAndABadOneIsRefusedWithoutItsPassword() {
        RedisTopicLogFactory factory = new RedisTopicLogFactory();
        assertTrue(factory.accepts("redis://h:6379") && factory.accepts("rediss://h:6380/2"));
        assertTrue(!factory.accepts("memory") && !factory.accepts("http://h"));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> factory.create("redis://:topsecret@/x", OPTIONS));
        assertTrue(!bad.getMessage().contains("topsecret"), bad.getMessage());
    }

    private static boolean appendSucceeds(TopicLog.Topic topic) {
        try {
            topic.append(Payload.text("again"), null, System.currentTimeMillis()).toCompletableFuture().join();
            return true;
        } catch (CompletionException e) {
            return false;
        }
    }

    private static Message append(TopicLog.Topic topic, String json, String event) {
        return topic.append(Payload.json(json), event, System.currentTimeMillis()).toCompletableFuture().join();
    }
}
