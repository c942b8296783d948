package dev.rtkit.internal.hub;

import dev.rtkit.Payload;
import dev.rtkit.MessageId;
import dev.rtkit.Gap;
import dev.rtkit.Event;
import dev.rtkit.Message;
import dev.rtkit.RtkitException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HubTest {
    private Hub hub = TestHubs.memory(HubConfig.DEFAULTS);

    @AfterEach
    void close() {
        hub.close();
    }

    private static List<String> data(List<Event> events) {
        List<String> out = new ArrayList<>();
        for (Event e : events) {
            out.add(e instanceof Message m ? m.data() : "GAP:" + ((Gap) e).reason().wireName());
        }
        return out;
    }

    @Test
    void idsIncreaseWithinATopicAndCarryTheEpoch() {
        Message a = hub.publish("t", Payload.text("1"), null).toCompletableFuture().join();
        hub.publish("other", Payload.text("x"), null).toCompletableFuture().join();
        Message b = hub.publish("t", Payload.text("2"), null).toCompletableFuture().join();
        assertEquals(TestHubs.epoch(hub), a.id().epoch());
        assertTrue(b.id().seq() > a.id().seq());
        assertEquals(b.id(), MessageId.parse(b.id().toString()));
    }

    @Test
    void subscriberResumesFromCursorWithHistoryThenLiveInOrder() {
        Message first = hub.publish("t", Payload.text("1"), null).toCompletableFuture().join();
        hub.publish("t", Payload.text("2"), null).toCompletableFuture().join();
        hub.publish("t", Payload.text("3"), null).toCompletableFuture().join();
        AtomicInteger signals = new AtomicInteger();
        Subscription s = hub.subscribe(List.of("t"), first.id().toString(), signals::incrementAndGet);
        assertEquals(List.of("2", "3"), data(s.poll(100)));
        hub.publish("t", Payload.text("4"), null).toCompletableFuture().join();
        assertEquals(1, signals.get());
        assertEquals(List.of("4"), data(s.poll(100)));
        assertEquals(List.of(), s.poll(100));
    }

    @Test
    void subscriberWithoutCursorGetsOnlyWhatIsPublishedAfterwards() {
        hub.publish("t", Payload.text("old"), null).toCompletableFuture().join();
        Subscription s = hub.subscribe(List.of("t"), null, () -> { });
        hub.publish("t", Payload.text("new"), null).toCompletableFuture().join();
        assertEquals(List.of("new"), data(s.poll(100)));
    }

    @Test
    void cursorOlderThanHistoryGetsAGapThenTheOldestRetained() {
        hub.close();
        hub = TestHubs.memory(HubConfig.DEFAULTS.withHistorySize(3));
        Message first = hub.publish("t", Payload.text("1"), null).toCompletableFuture().join();
        for (int i = 2; i <= 6; i++) {
            hub.publish("t", Payload.text(Integer.toString(i)), null).toCompletableFuture().join();
        }
        Subscription s = hub.poll(List.of("t"), first.id().toString());
        List<Event> events = s.poll(100);
        assertEquals(List.of("GAP:expired", "4", "5", "6"), data(events));
        Gap gap = (Gap) events.get(0);
        assertEquals(first.id().toString(), gap.since());
        assertEquals(((Message) events.get(1)).id().toString(), gap.next());
    }

    @Test
    void cursorFromAnotherEpochGetsAGap() {
        hub.publish("t", Payload.text("1"), null).toCompletableFuture().join();
        Subscription s = hub.poll(List.of("t"), "zz0000-5");
        assertEquals(List.of("GAP:epoch", "1"), data(s.poll(100)));
    }

    @Test
    void cursorBeyondTheLastPositionGetsAnUnknownGap() {
        hub.publish("t", Payload.text("1"), null).toCompletableFuture().join();
        Subscription s = hub.poll(List.of("t"), TestHubs.epoch(hub) + "-999999");
        assertEquals(List.of("GAP:unknown", "1"), data(s.poll(100)));
    }

    @Test
    void cursorWithinHistoryHasNoGap() {
        Message m = hub.publish("t", Payload.text("1"), null).toCompletableFuture().join();
        Subscription s = hub.poll(List.of("t"), m.id().toString());
        assertEquals(List.of(), s.poll(100));
        assertEquals(m.id().toString(), s.cursor());
    }

    @Test
    void slowSubscriberThatFallsBehindHistoryGetsAGapAndCarriesOn() {
        hub.close();
        hub = TestHubs.memory(HubConfig.DEFAULTS.withHistorySize(10));
        Subscription slow = hub.subscribe(List.of("t"), null, () -> { });
        hub.publish("t", Payload.text("0"), null).toCompletableFuture().join();
        assertEquals(List.of("0"), data(slow.poll(1)));
        for (int i = 1; i <= 25; i++) {
            hub.publish("t", Payload.text(Integer.toString(i)), null).toCompletableFuture().join();
        }
        List<Event> events = slow.poll(100);
        assertEquals("GAP:expired", data(events).get(0));
        assertEquals("16", data(events).get(1));
        assertEquals(11, events.size());
    }

    @Test
    void messagesOlderThanTheMaxAgeAreForgottenAndResumingOverThemGivesAGap() throws Exception {
        hub.close();
        hub = TestHubs.memory(HubConfig.DEFAULTS.withHistoryMaxAge(Duration.ofMillis(200)));
        Message m = hub.publish("t", Payload.text("1"), null).toCompletableFuture().join();
        hub.publish("t", Payload.text("2"), null).toCompletableFuture().join();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<Event> events;
        do {
            events = hub.poll(List.of("t"), m.id().toString()).poll(10);
        } while (!events.isEmpty() && events.get(0) instanceof Message && System.nanoTime() < deadline && pause());
        assertEquals(List.of("GAP:expired"), data(events));
    }

    private static boolean pause() {
        java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
        return true;
    }

    @Test
    void severalTopicsResumeFromOneCursor() {
        Subscription s = hub.subscribe(List.of("a", "b"), null, () -> { });
        hub.publish("a", Payload.text("a1"), null).toCompletableFuture().join();
        hub.publish("b", Payload.text("b1"), null).toCompletableFuture().join();
        assertEquals(2, s.poll(100).size());
        String cursor = s.cursor();
        assertTrue(cursor.startsWith("a@") && cursor.contains(",b@"), cursor);
        hub.publish("a", Payload.text("a2"), null).toCompletableFuture().join();
        hub.publish("b", Payload.text("b2"), null).toCompletableFuture().join();
        Subscription resumed = hub.poll(List.of("a", "b"), cursor);
        List<String> got = data(resumed.poll(100));
        got.sort(null);
        assertEquals(List.of("a2", "b2"), got);
    }

    @Test
    void aBareIdIsRefusedAsCursorForSeveralTopics() {
        RtkitException e = assertThrows(RtkitException.class, () -> hub.poll(List.of("a", "b"), TestHubs.epoch(hub) + "-1"));
        assertEquals(RtkitException.Kind.BAD_REQUEST, e.kind());
    }

    @Test
    void malformedCursorsAreRefused() {
        for (String bad : List.of("abc", "-5", "x-", "X-1", "a-1-b", "a@", "@a-1", "a@b@c", "e-99999999999999999999999")) {
            RtkitException e = assertThrows(RtkitException.class, () -> hub.poll(List.of("a"), bad), bad);
            assertEquals(RtkitException.Kind.BAD_REQUEST, e.kind(), bad);
        }
    }

    @Test
    void invalidTopicNamesAreRefused() {
        for (String bad : List.of("", "a b", "../etc", "a//b", "/a", "a/", "a/./b", "x".repeat(201), "ü", "a\nb")) {
            assertThrows(RtkitException.class, () -> hub.publish(bad, Payload.text("x"), null).toCompletableFuture().join(), bad);
        }
        assertEquals("news/eu-west_1.v2", TopicName.validate("news/eu-west_1.v2"));
    }

    @Test
    void jsonPayloadsAreValidatedAndCompacted() {
        Message m = hub.publish("t", Payload.json("{ \"a\" :\n [1, 2] }"), null).toCompletableFuture().join();
        assertEquals("{\"a\":[1,2]}", m.data());
        assertEquals("{\"type\":\"message\",\"topic\":\"t\",\"id\":\"" + m.id() + "\",\"data\":{\"a\":[1,2]}}",
                new String(m.json(), java.nio.charset.StandardCharsets.UTF_8));
        assertThrows(RtkitException.class, () -> hub.publish("t", Payload.json("{oops"), null).toCompletableFuture().join());
        assertThrows(RtkitException.class, () -> hub.publish("t", Payload.json("1 2"), null).toCompletableFuture().join());
        assertThrows(RtkitException.class, () -> hub.publish("t", Payload.json("[".repeat(100) + "]".repeat(100)), null).toCompletableFuture().join());
    }

    @Test
    void oversizePayloadsAreRefused() {
        hub.close();
        hub = TestHubs.memory(HubConfig.DEFAULTS.withMaxMessageSize(10));
        assertEquals(RtkitException.Kind.TOO_LARGE,
                assertThrows(RtkitException.class, () -> hub.publish("t", Payload.text("é".repeat(6)), null).toCompletableFuture().join()).kind());
        hub.publish("t", Payload.text("é".repeat(5)), null).toCompletableFuture().join();
    }

    @Test
    void topicCountIsBounded() {
        hub.close();
        hub = TestHubs.memory(HubConfig.DEFAULTS.withMaxTopics(3));
        hub.publish("a", Payload.text(""), null).toCompletableFuture().join();
        hub.publish("b", Payload.text(""), null).toCompletableFuture().join();
        hub.publish("c", Payload.text(""), null).toCompletableFuture().join();
        assertEquals(RtkitException.Kind.LIMIT, assertThrows(RtkitException.class, () -> hub.publish("d", Payload.text(""), null).toCompletableFuture().join()).kind());
    }

    @Test
    void eachFormatIsEncodedOnceAndTheSameBytesServeEverySubscriber() {
        AtomicInteger encodings = new AtomicInteger();
        Message.Encoding upper = Message.Encoding.of(m -> {
            encodings.incrementAndGet();
            return m.data().toUpperCase().getBytes();
        });
        Subscription s1 = hub.subscribe(List.of("t"), null, () -> { });
        Subscription s2 = hub.subscribe(List.of("t"), null, () -> { });
        hub.publish("t", Payload.text("hello"), null).toCompletableFuture().join();
        Message m1 = (Message) s1.poll(1).get(0);
        Message m2 = (Message) s2.poll(1).get(0);
        assertSame(m1.encoded(upper), m2.encoded(upper));
        assertEquals(1, encodings.get());
        assertSame(m1.json(), m2.json());
    }

    @Test
    void closedSubscriptionsAreReleasedAndNoLongerSignalled() {
        AtomicInteger signals = new AtomicInteger();
        Subscription s = hub.subscribe(List.of("t"), null, signals::incrementAndGet);
        assertEquals(1, hub.subscriptionCount());
        s.close();
        assertEquals(0, hub.subscriptionCount());
        hub.publish("t", Payload.text("x"), null).toCompletableFuture().join();
        assertEquals(0, signals.get());
        assertInstanceOf(String.class, s.cursor());
        assertNotEquals(0, hub.topicCount());
    }
}
