package dev.rtkit.hub;

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
    private Hub hub = new Hub(HubConfig.DEFAULTS);

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
        Message a = hub.publish("t", "1", false, null);
        hub.publish("other", "x", false, null);
        Message b = hub.publish("t", "2", false, null);
        assertEquals(hub.epoch(), a.id().epoch());
        assertTrue(b.id().seq() > a.id().seq());
        assertEquals(b.id(), MessageId.parse(b.id().toString()));
    }

    @Test
    void subscriberResumesFromCursorWithHistoryThenLiveInOrder() {
        Message first = hub.publish("t", "1", false, null);
        hub.publish("t", "2", false, null);
        hub.publish("t", "3", false, null);
        AtomicInteger signals = new AtomicInteger();
        Subscription s = hub.subscribe(List.of("t"), first.id().toString(), signals::incrementAndGet);
        assertEquals(List.of("2", "3"), data(s.poll(100)));
        hub.publish("t", "4", false, null);
        assertEquals(1, signals.get());
        assertEquals(List.of("4"), data(s.poll(100)));
        assertEquals(List.of(), s.poll(100));
    }

    @Test
    void subscriberWithoutCursorGetsOnlyWhatIsPublishedAfterwards() {
        hub.publish("t", "old", false, null);
        Subscription s = hub.subscribe(List.of("t"), null, () -> { });
        hub.publish("t", "new", false, null);
        assertEquals(List.of("new"), data(s.poll(100)));
    }

    @Test
    void cursorOlderThanHistoryGetsAGapThenTheOldestRetained() {
        hub.close();
        hub = new Hub(HubConfig.DEFAULTS.withHistorySize(3));
        Message first = hub.publish("t", "1", false, null);
        for (int i = 2; i <= 6; i++) {
            hub.publish("t", Integer.toString(i), false, null);
        }
        Subscription s = hub.subscribe(List.of("t"), first.id().toString(), null);
        List<Event> events = s.poll(100);
        assertEquals(List.of("GAP:expired", "4", "5", "6"), data(events));
        Gap gap = (Gap) events.get(0);
        assertEquals(first.id().toString(), gap.since());
        assertEquals(((Message) events.get(1)).id().toString(), gap.next());
    }

    @Test
    void cursorFromAnotherEpochGetsAGap() {
        hub.publish("t", "1", false, null);
        Subscription s = hub.subscribe(List.of("t"), "zz0000-5", null);
        assertEquals(List.of("GAP:epoch", "1"), data(s.poll(100)));
    }

    @Test
    void cursorBeyondTheLastPositionGetsAnUnknownGap() {
        hub.publish("t", "1", false, null);
        Subscription s = hub.subscribe(List.of("t"), hub.epoch() + "-999999", null);
        assertEquals(List.of("GAP:unknown", "1"), data(s.poll(100)));
    }

    @Test
    void cursorWithinHistoryHasNoGap() {
        Message m = hub.publish("t", "1", false, null);
        Subscription s = hub.subscribe(List.of("t"), m.id().toString(), null);
        assertEquals(List.of(), s.poll(100));
        assertEquals(m.id().toString(), s.cursor());
    }

    @Test
    void slowSubscriberThatFallsBehindHistoryGetsAGapAndCarriesOn() {
        hub.close();
        hub = new Hub(HubConfig.DEFAULTS.withHistorySize(10));
        Subscription slow = hub.subscribe(List.of("t"), null, () -> { });
        hub.publish("t", "0", false, null);
        assertEquals(List.of("0"), data(slow.poll(1)));
        for (int i = 1; i <= 25; i++) {
            hub.publish("t", Integer.toString(i), false, null);
        }
        List<Event> events = slow.poll(100);
        assertEquals("GAP:expired", data(events).get(0));
        assertEquals("16", data(events).get(1));
        assertEquals(11, events.size());
    }

    @Test
    void messagesOlderThanTheMaxAgeAreForgottenAndResumingOverThemGivesAGap() throws Exception {
        hub.close();
        hub = new Hub(HubConfig.DEFAULTS.withHistoryMaxAge(Duration.ofMillis(200)));
        Message m = hub.publish("t", "1", false, null);
        hub.publish("t", "2", false, null);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<Event> events;
        do {
            events = hub.subscribe(List.of("t"), m.id().toString(), null).poll(10);
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
        hub.publish("a", "a1", false, null);
        hub.publish("b", "b1", false, null);
        assertEquals(2, s.poll(100).size());
        String cursor = s.cursor();
        assertTrue(cursor.startsWith("a@") && cursor.contains(",b@"), cursor);
        hub.publish("a", "a2", false, null);
        hub.publish("b", "b2", false, null);
        Subscription resumed = hub.subscribe(List.of("a", "b"), cursor, null);
        List<String> got = data(resumed.poll(100));
        got.sort(null);
        assertEquals(List.of("a2", "b2"), got);
    }

    @Test
    void aBareIdIsRefusedAsCursorForSeveralTopics() {
        HubException e = assertThrows(HubException.class, () -> hub.subscribe(List.of("a", "b"), hub.epoch() + "-1", null));
        assertEquals(HubException.Kind.BAD_REQUEST, e.kind());
    }

    @Test
    void malformedCursorsAreRefused() {
        for (String bad : List.of("abc", "-5", "x-", "X-1", "a-1-b", "a@", "@a-1", "a@b@c", "e-99999999999999999999999")) {
            HubException e = assertThrows(HubException.class, () -> hub.subscribe(List.of("a"), bad, null), bad);
            assertEquals(HubException.Kind.BAD_REQUEST, e.kind(), bad);
        }
    }

    @Test
    void invalidTopicNamesAreRefused() {
        for (String bad : List.of("", "a b", "../etc", "a//b", "/a", "a/", "a/./b", "x".repeat(201), "ü", "a\nb")) {
            assertThrows(HubException.class, () -> hub.publish(bad, "x", false, null), bad);
        }
        assertEquals("news/eu-west_1.v2", TopicName.validate("news/eu-west_1.v2"));
    }

    @Test
    void jsonPayloadsAreValidatedAndCompacted() {
        Message m = hub.publish("t", "{ \"a\" :\n [1, 2] }", true, null);
        assertEquals("{\"a\":[1,2]}", m.data());
        assertEquals("{\"type\":\"message\",\"topic\":\"t\",\"id\":\"" + m.id() + "\",\"data\":{\"a\":[1,2]}}",
                new String(m.json(), java.nio.charset.StandardCharsets.UTF_8));
        assertThrows(HubException.class, () -> hub.publish("t", "{oops", true, null));
        assertThrows(HubException.class, () -> hub.publish("t", "1 2", true, null));
        assertThrows(HubException.class, () -> hub.publish("t", "[".repeat(100) + "]".repeat(100), true, null));
    }

    @Test
    void oversizePayloadsAreRefused() {
        hub.close();
        hub = new Hub(HubConfig.DEFAULTS.withMaxMessageSize(10));
        assertEquals(HubException.Kind.TOO_LARGE,
                assertThrows(HubException.class, () -> hub.publish("t", "é".repeat(6), false, null)).kind());
        hub.publish("t", "é".repeat(5), false, null);
    }

    @Test
    void topicCountIsBounded() {
        hub.close();
        hub = new Hub(HubConfig.DEFAULTS.withMaxTopics(3));
        hub.publish("a", "", false, null);
        hub.publish("b", "", false, null);
        hub.publish("c", "", false, null);
        assertEquals(HubException.Kind.LIMIT, assertThrows(HubException.class, () -> hub.publish("d", "", false, null)).kind());
    }

    @Test
    void eachFormatIsEncodedOnceAndTheSameBytesServeEverySubscriber() {
        AtomicInteger encodings = new AtomicInteger();
        WireFormat upper = WireFormat.of(m -> {
            encodings.incrementAndGet();
            return m.data().toUpperCase().getBytes();
        });
        Subscription s1 = hub.subscribe(List.of("t"), null, () -> { });
        Subscription s2 = hub.subscribe(List.of("t"), null, () -> { });
        hub.publish("t", "hello", false, null);
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
        hub.publish("t", "x", false, null);
        assertEquals(0, signals.get());
        assertInstanceOf(String.class, s.cursor());
        assertNotEquals(0, hub.topicCount());
    }
}
