package dev.rtkit.internal.hub;

import dev.rtkit.Payload;
import dev.rtkit.Gap;
import dev.rtkit.Event;
import dev.rtkit.Message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Many publishers and subscribers at once: every subscriber sees every message of its topics once, in order. */
class HubConcurrencyTest {
    private static final int PUBLISHERS = 4;
    private static final int PER_PUBLISHER = 5_000;
    private static final int SUBSCRIBERS = 16;
    private static final List<String> TOPICS = List.of("a", "b", "c");

    @Test
    void concurrentPublishersAndSubscribersLoseNothingAndDuplicateNothing() throws Exception {
        try (Hub hub = TestHubs.memory(HubConfig.DEFAULTS.withHistorySize(PUBLISHERS * PER_PUBLISHER))) {
            ExecutorService pool = Executors.newFixedThreadPool(PUBLISHERS + SUBSCRIBERS);
            CountDownLatch go = new CountDownLatch(1);
            AtomicBoolean publishing = new AtomicBoolean(true);
            List<Future<Map<String, List<Long>>>> received = new ArrayList<>();
            for (int s = 0; s < SUBSCRIBERS; s++) {
                // Half subscribe to everything, half to one topic, all from the start of the epoch.
                List<String> topics = s % 2 == 0 ? TOPICS : List.of(TOPICS.get(s % 3));
                received.add(pool.submit(() -> drain(hub, topics, go, publishing)));
            }
            List<Future<?>> publishers = new ArrayList<>();
            for (int p = 0; p < PUBLISHERS; p++) {
                int id = p;
                publishers.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < PER_PUBLISHER; i++) {
                        hub.publish(TOPICS.get((i + id) % TOPICS.size()), Payload.text(id + ":" + i), null).toCompletableFuture().join();
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : publishers) {
                f.get(60, TimeUnit.SECONDS);
            }
            publishing.set(false);
            Map<String, Integer> expected = new HashMap<>();
            for (int p = 0; p < PUBLISHERS; p++) {
                for (int i = 0; i < PER_PUBLISHER; i++) {
                    expected.merge(TOPICS.get((i + p) % TOPICS.size()), 1, Integer::sum);
                }
            }
            for (Future<Map<String, List<Long>>> f : received) {
                Map<String, List<Long>> got = f.get(60, TimeUnit.SECONDS);
                for (Map.Entry<String, List<Long>> e : got.entrySet()) {
                    List<Long> seqs = e.getValue();
                    assertEquals(expected.get(e.getKey()), seqs.size(), "messages of " + e.getKey());
                    for (int i = 1; i < seqs.size(); i++) {
                        assertTrue(seqs.get(i) > seqs.get(i - 1), "strictly increasing, so in order and no duplicate");
                    }
                }
            }
            assertEquals(0, hub.subscriptionCount());
            pool.shutdownNow();
        }
    }

    private static Map<String, List<Long>> drain(Hub hub, List<String> topics, CountDownLatch go, AtomicBoolean publishing)
            throws InterruptedException {
        Map<String, List<Long>> got = new HashMap<>();
        topics.forEach(t -> got.put(t, new ArrayList<>()));
        StringBuilder cursor = new StringBuilder();
        for (String t : topics) {
            cursor.append(cursor.length() == 0 ? "" : ",").append(t).append('@').append(TestHubs.epoch(hub)).append("-0");
        }
        Object lock = new Object();
        try (Subscription s = hub.subscribe(topics, cursor.toString(), () -> {
            synchronized (lock) {
                lock.notifyAll();
            }
        })) {
            go.await();
            while (true) {
                boolean last = !publishing.get();
                List<Event> events = s.poll(97);
                for (Event e : events) {
                    if (e instanceof Gap g) {
                        throw new AssertionError("unexpected gap " + g);
                    }
                    got.get(e.topic()).add(((Message) e).id().seq());
                }
                if (events.isEmpty()) {
                    if (last) {
                        return got;
                    }
                    synchronized (lock) {
                        lock.wait(5);
                    }
                }
            }
        }
    }
}
