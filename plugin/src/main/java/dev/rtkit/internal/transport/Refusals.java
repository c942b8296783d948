package dev.rtkit.internal.transport;

import dev.rtkit.RtkitException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes refusals, logging each kind once a minute per client address rather than once per message, so an abusive
 * client cannot flood the log. What it remembers is bounded: past 10,000 keys it starts again.
 */
final class Refusals {
    private static final Logger LOG = LoggerFactory.getLogger(Guard.class);
    private static final long LOG_EVERY_NANOS = 60_000_000_000L;
    private static final int MAX_KEYS = 10_000;

    private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();
    private final dev.rtkit.internal.metrics.Metrics metrics;

    Refusals(dev.rtkit.internal.metrics.Metrics metrics) {
        this.metrics = metrics;
    }

    RtkitException refuse(RtkitException.Kind kind, String what, String address, String message) {
        metrics.rejected(what.equals("forbidden") ? dev.rtkit.internal.metrics.Rejection.AUTH
                : what.contains("rate") ? dev.rtkit.internal.metrics.Rejection.RATE : dev.rtkit.internal.metrics.Rejection.LIMIT);
        String key = what + " " + address;
        long now = System.nanoTime();
        Long last = lastLogged.get(key);
        if (last == null || now - last > LOG_EVERY_NANOS) {
            lastLogged.put(key, now);
            if (lastLogged.size() > MAX_KEYS) {
                lastLogged.clear();
            }
            LOG.warn("Refused {}: {} (logged once a minute per client)", address, message);
        }
        return new RtkitException(kind, message);
    }
}
