package dev.rtkit.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtkit.Message;
import dev.rtkit.MessageId;
import dev.rtkit.Payload;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A pub/sub message's header is read without its payload, and an echo is told from a conflicting message. */
class PublishedTest {
    @Test
    void theHeaderAndPayloadAreReadAsAppendLuaWritesThem() {
        Entries.Published p = Entries.Published.parse("e1|7|1234|1|4|tick{\"a\":\"x|y\"}");
        assertEquals("e1", p.epoch());
        assertEquals(7, p.seq());
        assertEquals(1234, p.ms());
        Message m = p.message("t");
        assertEquals(new MessageId("e1", 7), m.id());
        assertEquals("tick", m.event());
        assertEquals("{\"a\":\"x|y\"}", m.data());
        assertTrue(m.isJson());
        assertNull(Entries.Published.parse("not ours"));
    }

    @Test
    void anEchoIsTheHeldMessageAndAnotherPayloadOrTimeUnderTheSameIdIsNot() {
        Message held = new Message("t", new MessageId("e1", 7), null, Payload.text("hello"), 1234);
        assertTrue(Entries.Published.parse("e1|7|1234|0|0|hello").sameAs(held));
        assertFalse(Entries.Published.parse("e1|7|1234|0|0|hullo").sameAs(held), "another payload");
        assertFalse(Entries.Published.parse("e1|7|1234|0|0|hello!").sameAs(held), "a longer payload");
        assertFalse(Entries.Published.parse("e1|7|1235|0|0|hello").sameAs(held), "another time");
    }

    @Test
    void theCacheTellsSeenFromHeld() {
        TopicCache cache = new TopicCache(2, new ByteBudget(1L << 30));
        cache.sync("e1", 3, 0, List.of(new Message("t", new MessageId("e1", 1), null, Payload.text("a"), 1),
                new Message("t", new MessageId("e1", 2), null, Payload.text("b"), 2),
                new Message("t", new MessageId("e1", 3), null, Payload.text("c"), 3)));
        assertTrue(cache.seen("e1", 1));
        assertNull(cache.held("e1", 1), "seen but no longer held (capacity 2)");
        assertEquals("c", cache.held("e1", 3).data());
        assertFalse(cache.seen("e1", 4));
        assertFalse(cache.seen("e2", 3), "another epoch");
        assertNull(cache.held("e2", 3));
    }
}
