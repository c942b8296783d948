package dev.rtkit.bench.baseline;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The baseline's topics by name, made on first use, sharing one sequence. */
public final class BaselineHub {
    private final Map<String, Channel> channels = new ConcurrentHashMap<>();
    private final AtomicLong seqs = new AtomicLong();

    public Channel channel(String topic) {
        return channels.computeIfAbsent(topic, t -> new Channel(t, seqs));
    }
}
