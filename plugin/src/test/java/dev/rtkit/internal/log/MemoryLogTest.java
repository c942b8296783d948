package dev.rtkit.internal.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtkit.Message;
import dev.rtkit.Payload;
import dev.rtkit.spi.TopicLog;
import dev.rtkit.spi.TopicLogFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The in-memory log meets the log contract, and holds no more than its byte budget in total. */
class MemoryLogTest extends TopicLogContract {
    private static final String KIB = "x".repeat(1024);

    @Override
    protected TopicLog newLog(TopicLogFactory.Options options) {
        return new MemoryLog(options);
    }

    private static MemoryLog budgeted(long maxBytes, int historySize) {
        return new MemoryLog(new TopicLogFactory.Options(historySize, Duration.ofMinutes(5), maxBytes, Map.of()));
    }

    private static Message append(TopicLog.Topic topic, String text) {
        return topic.append(Payload.text(text), null, System.currentTimeMillis()).toCompletableFuture().join();
    }

    @Test
    void pastTheByteBudgetTheOldestMessagesOfAllTopicsAreForgottenFirstAndPublishingGoesOn() {
        long oneMessage = ByteBudget.estimate(new Message("t", new dev.rtkit.MessageId("e", 1), null, Payload.text(KIB), 0));
        MemoryLog log = budgeted(10 * oneMessage, 1000);
        TopicLog.Topic a = log.open("a", () -> { });
        TopicLog.Topic b = log.open("b", () -> { });
        Message firstOfA = append(a, KIB);
        Message firstOfB = append(b, KIB);
        List<Message> all = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            all.add(append(i % 2 == 0 ? a : b, KIB));
        }
        Message last = all.get(all.size() - 1);
        assertTrue(log.retainedBytes() <= 10 * oneMessage, "counted " + log.retainedBytes());
        TopicLog.Read readA = a.readAfter(0, 1000);
        TopicLog.Read readB = b.readAfter(0, 1000);
        int kept = readA.messages().size() + readB.messages().size();
        assertTrue(kept >= 8 && kept <= 10, "about the ten the budget holds remain: " + kept);
        List<Message> newest = all.subList(all.size() - kept, all.size());
        assertTrue(newest.containsAll(readA.messages()) && newest.containsAll(readB.messages()),
                "what remains is the newest of both topics");
        assertTrue(readA.forgottenSeq() >= firstOfA.id().seq() && readB.forgottenSeq() >= firstOfB.id().seq(),
                "a reader from the start is told history was forgotten");
        assertEquals(last.id(), readB.messages().get(readB.messages().size() - 1).id());
        // A reader whose position is older than the forgotten one gets the documented expired gap (Subscription).
        assertTrue(readA.messages().get(0).id().seq() > readA.forgottenSeq());
    }

    @Test
    void aBigTopicGivesWayToNewMessagesOfAnother() {
        long oneMessage = ByteBudget.estimate(new Message("t", new dev.rtkit.MessageId("e", 1), null, Payload.text(KIB), 0));
        MemoryLog log = budgeted(20 * oneMessage, 1000);
        TopicLog.Topic big = log.open("big", () -> { });
        for (int i = 0; i < 20; i++) {
            append(big, KIB);
        }
        TopicLog.Topic small = log.open("small", () -> { });
        Message kept = append(small, KIB);
        assertEquals(List.of(kept.id()), small.readAfter(0, 10).messages().stream().map(Message::id).toList());
        List<Message> left = big.readAfter(0, 100).messages();
        assertTrue(left.size() >= 18 && left.size() < 20, "the oldest messages of the big topic went: " + left.size());
    }

    @Test
    void messagesForgottenByCountOrAgeAreReclaimedFromTheCount() {
        MemoryLog log = budgeted(1L << 30, 5);
        TopicLog.Topic hot = log.open("hot", () -> { });
        for (int i = 0; i < 1000; i++) {
            append(hot, KIB);
        }
        long five = hot.readAfter(0, 10).messages().stream().mapToLong(ByteBudget::estimate).sum();
        assertEquals(5, hot.readAfter(0, 10).messages().size());
        assertEquals(five, log.retainedBytes(), "only the five the count bound keeps are counted");
        log.expireBefore(System.currentTimeMillis() + 1);
        assertEquals(0, log.retainedBytes());
        assertTrue(hot.isEmpty());
    }

    @Test
    void aColdMessageAmongAHotTopicStillBoundsTheCount() {
        MemoryLog log = budgeted(64 * 1024, 5);
        TopicLog.Topic cold = log.open("cold", () -> { });
        Message old = append(cold, KIB);
        TopicLog.Topic hot = log.open("hot", () -> { });
        for (int i = 0; i < 10_000; i++) {
            append(hot, KIB);
        }
        assertTrue(log.retainedBytes() <= 64 * 1024, "counted " + log.retainedBytes());
        assertTrue(cold.readAfter(0, 10).messages().isEmpty(), "the oldest message went first: " + old.id());
        assertEquals(5, hot.readAfter(0, 10).messages().size());
    }

    @Test
    void aMessageLargerThanTheWholeBudgetIsStillPublishedThenForgotten() {
        MemoryLog log = budgeted(100, 10);
        TopicLog.Topic t = log.open("t", () -> { });
        Message m = append(t, KIB);
        assertTrue(m.id().seq() > 0);
        assertTrue(t.isEmpty());
        assertEquals(m.id().seq(), t.readAfter(0, 10).forgottenSeq());
    }
}
