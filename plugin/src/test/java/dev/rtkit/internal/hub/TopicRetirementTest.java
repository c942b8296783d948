package dev.rtkit.internal.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rtkit.Message;
import dev.rtkit.Payload;
import dev.rtkit.internal.log.MemoryLog;
import dev.rtkit.spi.TopicLog;
import dev.rtkit.spi.TopicLogFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Retiring idle topics races publishes to them without ever taking an acknowledged message along. */
class TopicRetirementTest {
    private static final int PUBLISHERS = 2;
    private static final int ROUNDS = 3_000;
    private static final int TOPICS_PER_ROUND = 8;

    @Test
    void aPublishRacingTheIdleSweepKeepsItsMessage() throws Exception {
        HubConfig config = HubConfig.DEFAULTS;
        // A fresh table each round keeps it small, so the sweep passes over every new topic again and again.
        AtomicReference<TopicTable> table = new AtomicReference<>();
        Runnable newTable = () -> table.set(new TopicTable(config, new SlowToAnswerEmpty(new MemoryLog(new TopicLogFactory.Options(
                config.historySize(), config.historyMaxAge(), Long.MAX_VALUE, Map.of()))), Runnable::run));
        newTable.run();
        CyclicBarrier nextRound = new CyclicBarrier(PUBLISHERS, newTable);
        AtomicBoolean sweeping = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(PUBLISHERS + 1);
        try {
            // Every topic is idle to this sweep while its log is empty: a new topic is, until its append.
            Future<?> sweeper = pool.submit(() -> {
                while (sweeping.get()) {
                    table.get().retireIdle(Long.MAX_VALUE);
                }
            });
            List<Future<List<TopicTable>>> publishers = new ArrayList<>();
            for (int p = 0; p < PUBLISHERS; p++) {
                int id = p;
                publishers.add(pool.submit(() -> {
                    List<TopicTable> rounds = new ArrayList<>();
                    for (int round = 0; round < ROUNDS; round++) {
                        nextRound.await(10, TimeUnit.SECONDS);
                        TopicTable t = table.get();
                        rounds.add(t);
                        for (int i = 0; i < TOPICS_PER_ROUND; i++) {
                            String name = "p" + id + "-" + i;
                            CompletionStage<Message> m;
                            while ((m = t.topic(name, null).publish(Payload.text(name), null, System.currentTimeMillis())) == null) {
                                Thread.onSpinWait(); // retired, or being retired: the table's topic of the name again
                            }
                            m.toCompletableFuture().join();
                        }
                    }
                    return rounds;
                }));
            }
            List<List<TopicTable>> rounds = new ArrayList<>();
            for (Future<List<TopicTable>> f : publishers) {
                rounds.add(f.get(120, TimeUnit.SECONDS));
            }
            sweeping.set(false);
            sweeper.get(10, TimeUnit.SECONDS);

            // Once all is quiet: every acknowledged message is still in its table's topic.
            List<String> lost = new ArrayList<>();
            for (int p = 0; p < PUBLISHERS; p++) {
                for (int round = 0; round < ROUNDS; round++) {
                    for (int i = 0; i < TOPICS_PER_ROUND; i++) {
                        String name = "p" + p + "-" + i;
                        if (rounds.get(p).get(round).existingOrTransient(name).log.readAfter(0, 10).messages().size() != 1) {
                            lost.add(name + " in round " + round);
                        }
                    }
                }
            }
            assertEquals(List.of(), lost.subList(0, Math.min(5, lost.size())), lost.size() + " acknowledged messages gone");
        } finally {
            sweeping.set(false);
            pool.shutdownNow();
        }
    }

    /**
     * The in-memory log, but a moment slow to tell whether a topic is empty: a publish can then begin and end
     * between the sweep's look and its decision, the interleaving that would lose an acknowledged message.
     */
    private record SlowToAnswerEmpty(TopicLog log) implements TopicLog {
        @Override
        public Topic open(String name, Runnable onAppend) {
            Topic t = log.open(name, onAppend);
            return new Topic() {
                @Override
                public String name() {
                    return t.name();
                }

                @Override
                public CompletionStage<Message> append(Payload payload, String event, long nowMillis) {
                    return t.append(payload, event, nowMillis);
                }

                @Override
                public String epoch() {
                    return t.epoch();
                }

                @Override
                public long lastSeq() {
                    return t.lastSeq();
                }

                @Override
                public Read readAfter(long afterSeq, int max) {
                    return t.readAfter(afterSeq, max);
                }

                @Override
                public boolean isEmpty() {
                    boolean empty = t.isEmpty();
                    long until = System.nanoTime() + 20_000;
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                    return empty;
                }

                @Override
                public void release() {
                    t.release();
                }
            };
        }
    }
}
