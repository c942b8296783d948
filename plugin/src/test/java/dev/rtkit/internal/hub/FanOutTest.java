package dev.rtkit.internal.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtkit.Event;
import dev.rtkit.Message;
import dev.rtkit.Payload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A busy topic tells its subscribers in chunks on the executor. Subscribers here read only when told (no timed
 * polling), so a signal lost in the chunking would leave one short of the last message and fail the wait.
 */
class FanOutTest {
    private static final int MESSAGES = 300;
    private final ExecutorService pool = Executors.newFixedThreadPool(3);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    /** Reads its subscription only when signalled, one pass at a time, and records the seqs and threads. */
    private static final class Reader implements Subscriber {
        final List<Long> seqs = new ArrayList<>();
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();
        private final AtomicInteger wip = new AtomicInteger();
        volatile Subscription subscription;

        @Override
        public void onReadable() {
            threads.add(Thread.currentThread());
            if (wip.getAndIncrement() != 0) {
                return;
            }
            int missed = 1;
            do {
                Subscription s = subscription;
                List<Event> events;
                while (s != null && !(events = s.poll(7)).isEmpty()) {
                    synchronized (seqs) {
                        events.forEach(e -> seqs.add(((Message) e).id().seq()));
                    }
                }
                missed = wip.addAndGet(-missed);
            } while (missed != 0);
        }

        int count() {
            synchronized (seqs) {
                return seqs.size();
            }
        }
    }

    private static List<Reader> subscribe(Hub hub, int n) {
        List<Reader> readers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Reader r = new Reader();
            r.subscription = hub.subscribe(List.of("busy"), null, r);
            readers.add(r);
        }
        return readers;
    }

    @Test
    void everySubscriberOfABusyTopicGetsEveryMessageInOrderOffThePublishersThread() {
        try (Hub hub = TestHubs.memory(HubConfig.DEFAULTS.withHistorySize(MESSAGES), pool)) {
            List<Reader> readers = subscribe(hub, FanOut.CHUNK * 4 + 3);
            for (int i = 0; i < MESSAGES; i++) {
                hub.publish("busy", Payload.text("m" + i), null).toCompletableFuture().join();
            }
            Awaitility.await("every reader has every message").atMost(Duration.ofSeconds(20))
                    .until(() -> readers.stream().allMatch(r -> r.count() == MESSAGES));
            for (Reader r : readers) {
                for (int i = 1; i < r.seqs.size(); i++) {
                    assertTrue(r.seqs.get(i) > r.seqs.get(i - 1), "in order, none twice");
                }
                assertTrue(r.threads.stream().noneMatch(t -> t == Thread.currentThread()), "told on the executor");
            }
        }
    }

    @Test
    void subscribersJoiningAndLeavingDuringPublishesMissNothingAfterTheyJoined() throws Exception {
        try (Hub hub = TestHubs.memory(HubConfig.DEFAULTS.withHistorySize(MESSAGES * 2), pool)) {
            List<Reader> steady = subscribe(hub, FanOut.CHUNK * 2);
            Thread churn = new Thread(() -> {
                // Membership changes all the time, so the fan-out rebuilds its chunks while it tells them.
                while (!Thread.currentThread().isInterrupted()) {
                    subscribe(hub, 5).forEach(r -> r.subscription.close());
                }
            });
            churn.start();
            try {
                for (int i = 0; i < MESSAGES; i++) {
                    hub.publish("busy", Payload.text("m" + i), null).toCompletableFuture().join();
                }
            } finally {
                churn.interrupt();
                churn.join();
            }
            Awaitility.await("every steady reader has every message").atMost(Duration.ofSeconds(20))
                    .until(() -> steady.stream().allMatch(r -> r.count() == MESSAGES));
            assertEquals(steady.size(), hub.subscriptionCount());
        }
    }

    @Test
    void slotsLeftByDepartedSubscribersAreReusedAndTheRestStillHearEveryMessage() {
        try (Hub hub = TestHubs.memory(HubConfig.DEFAULTS, pool)) {
            List<Reader> first = subscribe(hub, FanOut.CHUNK * 3);
            // Every other one leaves: holes in every block.
            List<Reader> stayed = new ArrayList<>();
            for (int i = 0; i < first.size(); i++) {
                if (i % 2 == 0) {
                    first.get(i).subscription.close();
                } else {
                    stayed.add(first.get(i));
                }
            }
            hub.publish("busy", Payload.text("one"), null).toCompletableFuture().join();
            List<Reader> joined = subscribe(hub, FanOut.CHUNK * 2);
            hub.publish("busy", Payload.text("two"), null).toCompletableFuture().join();
            Awaitility.await("stayers have both, joiners the second").atMost(Duration.ofSeconds(20))
                    .until(() -> stayed.stream().allMatch(r -> r.count() == 2) && joined.stream().allMatch(r -> r.count() == 1));
            assertEquals(stayed.size() + joined.size(), hub.subscriptionCount());
            assertTrue(first.stream().filter(r -> r.subscription.isClosed()).allMatch(r -> r.count() == 0), "the departed hear nothing");
        }
    }

    @Test
    void aFewSubscribersAreToldOnThePublishersThread() {
        try (Hub hub = TestHubs.memory(HubConfig.DEFAULTS, pool)) {
            List<Reader> readers = subscribe(hub, FanOut.INLINE);
            hub.publish("busy", Payload.text("m"), null).toCompletableFuture().join();
            for (Reader r : readers) {
                assertEquals(1, r.count(), "read before the publish returned");
                assertEquals(Set.of(Thread.currentThread()), r.threads);
            }
        }
    }
}
