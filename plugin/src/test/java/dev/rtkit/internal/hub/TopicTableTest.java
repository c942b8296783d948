package dev.rtkit.internal.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtkit.Event;
import dev.rtkit.Message;
import dev.rtkit.Payload;
import dev.rtkit.RtkitException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The topic table cannot be filled by readers or by one address, and resuming across it reports no false gap. */
class TopicTableTest {
    private Hub hub;

    @AfterEach
    void close() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void pollingUnknownTopicsTakesNoPlaceInTheTable() {
        hub = TestHubs.memory(HubConfig.DEFAULTS.withMaxTopics(10));
        for (int i = 0; i < 1000; i++) {
            try (Subscription s = hub.poll(List.of("unknown-" + i), null)) {
                assertTrue(s.poll(10).isEmpty());
            }
        }
        assertEquals(0, hub.topicCount());
        hub.publish("real", Payload.text("still room"), null).toCompletableFuture().join();
        assertEquals(1, hub.topicCount());
    }

    @Test
    void aCursorFromAPollOfAnUnknownTopicResumesWithoutAGap() {
        hub = TestHubs.memory(HubConfig.DEFAULTS);
        hub.publish("other", Payload.text("moves the log on"), null).toCompletableFuture().join();
        String cursor;
        try (Subscription s = hub.poll(List.of("x", "y"), null)) {
            cursor = s.cursor();
        }
        hub.publish("other", Payload.text("again"), null).toCompletableFuture().join();
        hub.publish("y", Payload.text("y1"), null).toCompletableFuture().join();
        hub.publish("x", Payload.text("x1"), null).toCompletableFuture().join();
        try (Subscription s = hub.poll(List.of("x", "y"), cursor)) {
            List<Event> events = s.poll(10);
            assertEquals(2, events.size(), events.toString());
            events.forEach(e -> assertInstanceOf(Message.class, e, "no gap: " + events));
        }
    }

    @Test
    void aReaderOfAPollOfAnUnknownTopicSeesWhatIsPublishedLater() {
        hub = TestHubs.memory(HubConfig.DEFAULTS);
        String cursor;
        try (Subscription s = hub.poll(List.of("later"), null)) {
            cursor = s.cursor();
        }
        Message m = hub.publish("later", Payload.text("hello"), null).toCompletableFuture().join();
        try (Subscription s = hub.poll(List.of("later"), cursor)) {
            assertEquals(List.of(m.id()), s.poll(10).stream().map(e -> ((Message) e).id()).toList());
        }
    }

    @Test
    void oneAddressMakesOnlyItsShareOfTopics() {
        hub = TestHubs.memory(HubConfig.DEFAULTS.withMaxTopicsPerAddress(3));
        for (int i = 0; i < 3; i++) {
            hub.subscribe("10.0.0.1", List.of("mine-" + i), null, () -> { });
        }
        RtkitException refused = assertThrows(RtkitException.class,
                () -> hub.publish("10.0.0.1", "mine-3", Payload.text("x"), null));
        assertEquals(RtkitException.Kind.LIMIT, refused.kind());
        assertTrue(refused.getMessage().contains("your address"), refused.getMessage());
        hub.subscribe("10.0.0.1", List.of("mine-0"), null, () -> { });
        hub.publish("10.0.0.2", "theirs", Payload.text("x"), null).toCompletableFuture().join();
        hub.publish("server-side", Payload.text("x"), null).toCompletableFuture().join();
    }

    @Test
    void whenTheTableIsFullEmptyTopicsNobodyReadsGiveWay() {
        hub = TestHubs.memory(HubConfig.DEFAULTS.withMaxTopics(5));
        for (int i = 0; i < 5; i++) {
            hub.subscribe("10.0.0.1", List.of("idle-" + i), null, () -> { }).close();
        }
        assertEquals(5, hub.topicCount());
        hub.publish("10.0.0.2", "fresh", Payload.text("x"), null).toCompletableFuture().join();
        assertTrue(hub.topicCount() <= 5);
    }

    @Test
    void aFullTableOfLiveTopicsRefusesNewOnes() {
        hub = TestHubs.memory(HubConfig.DEFAULTS.withMaxTopics(3));
        for (int i = 0; i < 3; i++) {
            hub.subscribe("10.0.0." + i, List.of("live-" + i), null, () -> { });
        }
        assertEquals(RtkitException.Kind.LIMIT, assertThrows(RtkitException.class,
                () -> hub.subscribe("10.0.0.9", List.of("one-more"), null, () -> { })).kind());
    }
}
