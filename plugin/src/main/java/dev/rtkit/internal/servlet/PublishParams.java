package dev.rtkit.internal.servlet;

import dev.rtkit.internal.transport.Guard;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The init-params bounding publishing per client address (see {@link Guard.PublishLimits}). */
final class PublishParams {
    /** Publishes per second per client address, over all its connections; beyond it 429 + Retry-After. Default 1000. */
    static final String RATE_PER_ADDRESS = "maxPublishRatePerAddress";
    /** HTTP publishes of one client address whose body is still arriving; beyond it 429 + Retry-After. Default 32. */
    static final String IN_FLIGHT = "maxPublishesInFlightPerAddress";
    /** How long a publish body may take to arrive in full; beyond it 408. UNIT: milliseconds. Default 10000. */
    static final String BODY_TIMEOUT = "publishBodyTimeoutMillis";
    /** Slowest a publish body may arrive, averaged from its third second on; below it 408. UNIT: bytes/s. Default 1024. */
    static final String MIN_BODY_RATE = "minPublishBodyBytesPerSecond";
    static final List<String> NAMES = List.of(RATE_PER_ADDRESS, IN_FLIGHT, BODY_TIMEOUT, MIN_BODY_RATE);

    private PublishParams() {
    }

    static Guard.PublishLimits read(InitParams r) {
        Guard.PublishLimits d = Guard.PublishLimits.DEFAULTS;
        return new Guard.PublishLimits(r.positiveInt(RATE_PER_ADDRESS, d.ratePerAddress()),
                r.positiveInt(IN_FLIGHT, d.inFlightPerAddress()),
                Duration.ofMillis(r.positiveInt(BODY_TIMEOUT, (int) d.bodyTimeout().toMillis())),
                r.positiveInt(MIN_BODY_RATE, d.minBodyRate()));
    }

    static Map<String, Object> describe(Guard.PublishLimits limits) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(RATE_PER_ADDRESS, limits.ratePerAddress());
        m.put(IN_FLIGHT, limits.inFlightPerAddress());
        m.put(BODY_TIMEOUT, limits.bodyTimeout().toMillis());
        m.put(MIN_BODY_RATE, limits.minBodyRate());
        return m;
    }
}
