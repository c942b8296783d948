package dev.rtkit.internal.transport;

import dev.rtkit.RtkitException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Long-lived connections (streams, SSE, parked long-polls, WebSockets) counted in total and per client address. */
final class ConnectionLimits {
    private final int max;
    private final int perAddressMax;
    private final Refusals refusals;
    private final AtomicInteger total = new AtomicInteger();
    private final Map<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();

    ConnectionLimits(int max, int perAddressMax, Refusals refusals) {
        this.max = max;
        this.perAddressMax = perAddressMax;
        this.refusals = refusals;
    }

    /** Counts one; the returned release undoes it. */
    Runnable open(String address) {
        AtomicInteger mine = perAddress.computeIfAbsent(address, a -> new AtomicInteger());
        if (mine.incrementAndGet() > perAddressMax) {
            release(address, mine);
            throw refusals.refuse(RtkitException.Kind.TOO_MANY, "per-address", address,
                    "too many connections from your address (at most " + perAddressMax + ")");
        }
        if (total.incrementAndGet() > max) {
            total.decrementAndGet();
            release(address, mine);
            throw refusals.refuse(RtkitException.Kind.UNAVAILABLE, "total", address, "server is at its connection limit, try again later");
        }
        return () -> {
            total.decrementAndGet();
            release(address, mine);
        };
    }

    private void release(String address, AtomicInteger count) {
        if (count.decrementAndGet() <= 0) {
            perAddress.remove(address, count);
        }
    }

    int open() {
        return total.get();
    }
}
