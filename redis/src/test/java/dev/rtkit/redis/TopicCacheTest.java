package dev.rtkit.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtkit.Message;
import dev.rtkit.MessageId;
import dev.rtkit.Payload;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The per-node cache's ordering rules, on its own (no Redis needed for these). */
class TopicCacheTest {
    private final ByteBudget budget = new ByteBudget(1L << 30);
    private final TopicCache cache = new TopicCache(5, budget);

    private static Message m(String epoch, long seq) {
        return new Message("t", new MessageId(epoch, seq), null, Payload.text("m" + seq), 1000 + seq);
    }

    private List<Long> seqs() {
        return cache.readAfter(0, 100).stream().map(x -> x.id().seq()).toList();
    }

    @Test
    void aMessageBeyondAHoleWaitsUntilTheHoleIsFilled() {
        cache.sync("e1", 1, 0, List.of(m("e1", 1)));
        assertEquals(TopicCache.Offer.HOLE, cache.offer(m("e1", 3)));
        assertEquals(List.of(1L), seqs(), "3 is not readable while 2 is missing");
        assertTrue(cache.hasHole());
        assertEquals(TopicCache.Offer.ADDED, cache.offer(m("e1", 2)));
        assertEquals(List.of(1L, 2L, 3L), seqs());
        assertFalse(cache.hasHole());
        assertEquals(TopicCache.Offer.DUPLICATE, cache.offer(m("e1", 3)));
    }

    @Test
    void aReadFromRedisFillsTheHoleAndDropsWhatItAlreadyHad() {
        cache.sync("e1", 1, 0, List.of(m("e1", 1)));
        cache.offer(m("e1", 4));
        assertTrue(cache.sync("e1", 3, 0, List.of(m("e1", 1), m("e1", 2), m("e1", 3))));
        assertEquals(List.of(1L, 2L, 3L, 4L), seqs());
        assertEquals(4, cache.last());
    }

    @Test
    void anIdGivenTwiceOrARedisBehindWhatThisNodeSawIsLostWrites() {
        cache.sync("e1", 3, 0, List.of(m("e1", 1), m("e1", 2), m("e1", 3)));
        assertFalse(cache.conflicts(m("e1", 2)), "the same message again (pub/sub after the append's reply)");
        Message other = new Message("t", new MessageId("e1", 2), null, Payload.text("another"), 1002);
        assertTrue(cache.conflicts(other), "one id, another message");
        assertFalse(cache.conflicts(new Message("t", new MessageId("e2", 2), null, Payload.text("x"), 1)), "another epoch");
        assertTrue(cache.lostWrites("e1", 1, 3, List.of(m("e1", 1))), "Redis behind what this node saw when it asked");
        assertFalse(cache.lostWrites("e1", 1, 1, List.of(m("e1", 1))), "seen since it asked: the answer is older, not lost");
        assertTrue(cache.lostWrites("e1", 3, 3, List.of(m("e1", 1), other, m("e1", 3))), "as far, but not the same");
        assertFalse(cache.lostWrites("e1", 4, 3, List.of(m("e1", 3), m("e1", 4))), "ahead is normal");
        assertFalse(cache.lostWrites("e2", 0, 3, List.of()), "a new epoch is not lost writes: it is told as such");
    }

    @Test
    void aNewEpochReplacesEverything() {
        cache.sync("e1", 2, 0, List.of(m("e1", 1), m("e1", 2)));
        assertEquals(TopicCache.Offer.OTHER_EPOCH, cache.offer(m("e2", 1)));
        assertTrue(cache.sync("e2", 1, 0, List.of(m("e2", 1))));
        assertEquals("e2", cache.epoch());
        assertEquals(List.of(1L), seqs());
        assertEquals(0, cache.forgotten());
    }

    @Test
    void whatRedisNoLongerHoldsIsForgottenHereToo() {
        cache.sync("e1", 2, 0, List.of(m("e1", 1), m("e1", 2)));
        // Missed 3..7; Redis holds only 6..8 now.
        cache.sync("e1", 8, 5, List.of(m("e1", 6), m("e1", 7), m("e1", 8)));
        assertEquals(List.of(6L, 7L, 8L), seqs());
        assertEquals(5, cache.forgotten(), "a reader at 2 is told it missed 3..5");
        // Redis holds nothing at all any more (its stream expired): the cache says so.
        cache.sync("e1", 12, 12, List.of());
        assertTrue(cache.isEmpty());
        assertEquals(12, cache.forgotten());
        assertEquals(12, cache.last());
    }

    @Test
    void theCountBoundAndTheByteBudgetEvictTheOldest() {
        cache.sync("e1", 0, 0, List.of());
        LongStream.rangeClosed(1, 7).forEach(s -> cache.offer(m("e1", s)));
        assertEquals(List.of(3L, 4L, 5L, 6L, 7L), seqs());
        assertEquals(2, cache.forgotten());

        ByteBudget tight = new ByteBudget(2 * TopicCache.bytes(m("e1", 1)));
        TopicCache small = new TopicCache(100, tight);
        small.sync("e1", 0, 0, List.of());
        LongStream.rangeClosed(1, 5).forEach(s -> small.offer(m("e1", s)));
        assertEquals(2, small.readAfter(0, 100).size(), "the shared budget bounds the bytes held");
        small.clear();
        assertEquals(0, tight.used(), "bytes go back to the budget");
    }
}
