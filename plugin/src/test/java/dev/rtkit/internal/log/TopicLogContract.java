package dev.rtkit.internal.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtkit.Message;
import dev.rtkit.Payload;
import dev.rtkit.spi.TopicLog;
import dev.rtkit.spi.TopicLogFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TopicLog} promises the hub: ordering, reads after a position, retention by count and age with
 * the forgotten position reported, one epoch per history, no position named twice, concurrency. Each log's test
 * extends this class and says how to make a fresh log.
 */
public abstract class TopicLogContract {
    private final List<TopicLog> opened = new ArrayList<>();

    /** A fresh, empty log with these bounds. */
    protected abstract TopicLog newLog(TopicLogFactory.Options options);

    /** Waits until a shared log has made its own appends readable (the memory log: at once). */
    protected void awaitReadable(TopicLog.Topic topic, long seq) {
    }

    private TopicLog log(int historySize) {
        TopicLog log = newLog(new TopicLogFactory.Options(historySize, Duration.ofMinutes(5), 64L << 20, Map.of()));
        opened.add(log);
        return log;
    }

    /** A topic name no earlier run used, for logs that outlive a test. */
    protected String topicName(String base) {
        return base + "-" + System.nanoTime();
    }

    @AfterEach
    void closeLogs() {
        opened.forEach(TopicLog::close);
    }

    private static Message append(TopicLog.Topic topic, String text) {
        return topic.append(Payload.text(text), null, System.currentTimeMillis()).toCompletableFuture().join();
    }

    @Test
    void appendsGetIncreasingSeqsInOneEpochAndReadBackInOrder() {
        TopicLog.Topic topic = log(100).open(topicName("order"), () -> { });
        List<Message> sent = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            sent.add(append(topic, "m" + i));
        }
        awaitReadable(topic, sent.get(9).id().seq());
        for (int i = 1; i < sent.size(); i++) {
            assertTrue(sent.get(i).id().seq() > sent.get(i - 1).id().seq(), "seqs increase");
            assertEquals(topic.epoch(), sent.get(i).id().epoch());
        }
        TopicLog.Read read = topic.readAfter(0, 100);
        assertEquals(sent.stream().map(m -> m.id()).toList(), read.messages().stream().map(m -> m.id()).toList());
        assertEquals(sent.get(9).id().seq(), topic.lastSeq());
        assertEquals(topic.epoch(), read.epoch());
    }

    @Test
    void aReadAfterAPositionReturnsOnlyLaterMessagesUpToMax() {
        TopicLog.Topic topic = log(100).open(topicName("after"), () -> { });
        List<Message> sent = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            sent.add(append(topic, "m" + i));
        }
        awaitReadable(topic, sent.get(5).id().seq());
        TopicLog.Read read = topic.readAfter(sent.get(1).id().seq(), 3);
        assertEquals(List.of("m2", "m3", "m4"), read.messages().stream().map(Message::data).toList());
        assertTrue(topic.readAfter(sent.get(5).id().seq(), 10).messages().isEmpty(), "nothing after the last");
    }

    @Test
    void theCountBoundForgetsTheOldestAndSaysWhereHistoryStarts() {
        TopicLog.Topic topic = log(3).open(topicName("count"), () -> { });
        List<Message> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sent.add(append(topic, "m" + i));
        }
        awaitReadable(topic, sent.get(4).id().seq());
        TopicLog.Read read = topic.readAfter(sent.get(0).id().seq(), 10);
        assertEquals(List.of("m2", "m3", "m4"), read.messages().stream().map(Message::data).toList());
        assertTrue(read.forgottenSeq() >= sent.get(1).id().seq(), "a reader at m0 is told it missed m1");
        assertTrue(read.forgottenSeq() < sent.get(2).id().seq(), "m2 is still retained");
    }

    @Test
    void theAgeBoundForgetsWhatWasAcceptedBeforeTheCutoff() {
        TopicLog log = log(100);
        TopicLog.Topic topic = log.open(topicName("age"), () -> { });
        Message m = append(topic, "old");
        awaitReadable(topic, m.id().seq());
        log.expireBefore(System.currentTimeMillis() + 1_000);
        TopicLog.Read read = topic.readAfter(0, 10);
        assertTrue(read.messages().isEmpty());
        assertTrue(topic.isEmpty());
        assertEquals(m.id().seq(), read.forgottenSeq(), "the expired message is reported as forgotten");
    }

    @Test
    void everyAppendIsSignalled() {
        AtomicInteger signals = new AtomicInteger();
        TopicLog.Topic topic = log(100).open(topicName("signal"), signals::incrementAndGet);
        Message last = null;
        for (int i = 0; i < 5; i++) {
            last = append(topic, "m" + i);
        }
        awaitReadable(topic, last.id().seq());
        assertTrue(signals.get() >= 1, "told at least once that something is readable");
        assertEquals(5, topic.readAfter(0, 10).messages().size());
    }

    @Test
    void aTopicOpenedAgainNeverNamesAnOldPositionTwice() {
        TopicLog log = log(100);
        String name = topicName("again");
        TopicLog.Topic first = log.open(name, () -> { });
        Message before = append(first, "before");
        first.release();
        TopicLog.Topic second = log.open(name, () -> { });
        Message after = append(second, "after");
        assertTrue(!after.id().epoch().equals(before.id().epoch()) || after.id().seq() > before.id().seq(),
                "a position is never reused within an epoch");
    }

    @Test
    void payloadsAndEventNamesComeBackAsTheyWent() {
        TopicLog.Topic topic = log(100).open(topicName("payload"), () -> { });
        Message json = topic.append(Payload.json("{\"a\":[1,2.50,\"\\u00e9\"]}"), "price", 1L).toCompletableFuture().join();
        Message text = topic.append(Payload.text("línea\n二"), null, 2L).toCompletableFuture().join();
        awaitReadable(topic, text.id().seq());
        List<Message> read = topic.readAfter(0, 10).messages();
        assertEquals("{\"a\":[1,2.50,\"\\u00e9\"]}", read.get(0).data());
        assertTrue(read.get(0).isJson());
        assertEquals("price", read.get(0).event());
        assertEquals(json.id(), read.get(0).id());
        assertEquals("línea\n二", read.get(1).data());
        assertFalse(read.get(1).isJson());
        assertEquals(null, read.get(1).event());
    }

    @Test
    void concurrentAppendsAreAllKeptOnceInOneOrder() throws Exception {
        TopicLog.Topic topic = log(10_000).open(topicName("concurrent"), () -> { });
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Message>>> results = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                int publisher = p;
                results.add(pool.submit(() -> {
                    List<CompletableFuture<Message>> mine = new ArrayList<>();
                    for (int i = 0; i < 250; i++) {
                        mine.add(topic.append(Payload.text(publisher + ":" + i), null, System.currentTimeMillis()).toCompletableFuture());
                    }
                    return mine.stream().map(CompletableFuture::join).toList();
                }));
            }
            long maxSeq = 0;
            for (Future<List<Message>> f : results) {
                List<Message> mine = f.get(30, TimeUnit.SECONDS);
                for (int i = 1; i < mine.size(); i++) {
                    assertTrue(mine.get(i).id().seq() > mine.get(i - 1).id().seq(), "one publisher's messages keep its order");
                }
                maxSeq = Math.max(maxSeq, mine.get(mine.size() - 1).id().seq());
            }
            awaitReadable(topic, maxSeq);
            List<Message> all = new ArrayList<>();
            long after = 0;
            List<Message> batch;
            while (!(batch = topic.readAfter(after, 300).messages()).isEmpty()) {
                all.addAll(batch);
                after = batch.get(batch.size() - 1).id().seq();
            }
            assertEquals(1000, all.size(), "every append kept once");
            for (int i = 1; i < all.size(); i++) {
                assertTrue(all.get(i).id().seq() > all.get(i - 1).id().seq(), "one order for every reader");
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
