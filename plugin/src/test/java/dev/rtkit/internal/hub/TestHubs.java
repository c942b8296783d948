package dev.rtkit.internal.hub;

import dev.rtkit.internal.log.MemoryLog;
import dev.rtkit.spi.TopicLogFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/** Hubs on the in-memory log, for tests of the hub alone. */
public final class TestHubs {
    private TestHubs() {
    }

    public static Hub memory(HubConfig config) {
        return memory(config, Runnable::run);
    }

    /** A hub whose busy topics tell their subscribers on {@code fanOut}. */
    public static Hub memory(HubConfig config, Executor fanOut) {
        return new Hub(config, new MemoryLog(new TopicLogFactory.Options(config.historySize(), config.historyMaxAge(),
                Long.MAX_VALUE, Map.of())), dev.rtkit.internal.metrics.Metrics.NONE, fanOut);
    }

    /** The epoch a new reader of {@code topic} is handed (the in-memory log has one for every topic). */
    public static String epoch(Hub hub, String topic) {
        try (Subscription s = hub.poll(List.of(topic), null)) {
            String cursor = s.cursor();
            return cursor.substring(0, cursor.lastIndexOf('-'));
        }
    }

    public static String epoch(Hub hub) {
        return epoch(hub, "epoch-probe");
    }
}
