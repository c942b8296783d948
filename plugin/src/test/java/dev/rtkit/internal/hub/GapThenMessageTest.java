package dev.rtkit.internal.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtkit.Event;
import dev.rtkit.Gap;
import dev.rtkit.Message;
import dev.rtkit.Payload;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Writers of several-topic streams poll one event at a time (each message carries its own cursor): a gap must
 * count as one of those events, so the message after it is not skipped.
 */
class GapThenMessageTest {
    private final Hub hub = TestHubs.memory(HubConfig.DEFAULTS.withHistorySize(2));

    @AfterEach
    void close() {
        hub.close();
    }

    private Message publish(String topic, String text) {
        return hub.publish(topic, Payload.text(text), null).toCompletableFuture().join();
    }

    @Test
    void pollingOneAtATimeDeliversTheGapThenEveryRetainedMessage() {
        Message old = publish("t", "1");
        publish("t", "2");
        publish("t", "3");
        publish("t", "4");
        List<Event> got = new ArrayList<>();
        try (Subscription s = hub.poll(List.of("t", "other"), "t@" + old.id())) {
            for (int i = 0; i < 10; i++) {
                List<Event> one = s.poll(1);
                assertTrue(one.size() <= 1, "at most the one event asked for: " + one);
                got.addAll(one);
            }
        }
        assertEquals(3, got.size(), got.toString());
        assertEquals(Gap.Reason.EXPIRED, assertInstanceOf(Gap.class, got.get(0)).reason());
        assertEquals("3", ((Message) got.get(1)).data());
        assertEquals("4", ((Message) got.get(2)).data());
    }

    @Test
    void anEpochGapPolledAloneIsFollowedByTheOldestRetained() {
        publish("e", "a");
        publish("e", "b");
        List<Event> got = new ArrayList<>();
        try (Subscription s = hub.poll(List.of("e", "other"), "e@0000-1,other@0000-1")) {
            for (int i = 0; i < 10; i++) {
                List<Event> one = s.poll(1);
                assertTrue(one.size() <= 1, "at most the one event asked for: " + one);
                got.addAll(one);
            }
        }
        List<String> onE = got.stream().filter(e -> e.topic().equals("e"))
                .map(e -> e instanceof Gap g ? "gap " + g.reason() : ((Message) e).data()).toList();
        List<String> onOther = got.stream().filter(e -> e.topic().equals("other"))
                .map(e -> e instanceof Gap g ? "gap " + g.reason() : ((Message) e).data()).toList();
        assertEquals(List.of("gap EPOCH", "a", "b"), onE);
        assertEquals(List.of("gap EPOCH"), onOther);
    }
}
