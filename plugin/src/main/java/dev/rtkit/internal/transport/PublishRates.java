package dev.rtkit.internal.transport;

import dev.rtkit.RtkitException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How fast and how much a client may publish: a token bucket per connection ({@code maxPublishRate}) and one per
 * client address over all its connections ({@code maxPublishRatePerAddress}: fresh connections do not buy a
 * fresh budget), and HTTP publishes whose body is still arriving, per address. Budgets of quiet clients are
 * forgotten each minute; a returning client starts with a full one.
 */
final class PublishRates {
    /** More budgets than this and all are forgotten at once (addresses are cheap to vary with IPv6). */
    private static final int MAX_BUDGETS = 100_000;

    private final int perConnection;
    private final int perAddress;
    private final int inFlightMax;
    private final Refusals refusals;
    private final Map<String, Guard.RateLimit> connections = new ConcurrentHashMap<>();
    private final Map<String, Guard.RateLimit> addresses = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    PublishRates(int perConnection, int perAddress, int inFlightMax, Refusals refusals) {
        this.perConnection = perConnection;
        this.perAddress = perAddress;
        this.inFlightMax = inFlightMax;
        this.refusals = refusals;
    }

    Guard.RateLimit newConnectionBudget() {
        return new Guard.RateLimit(perConnection);
    }

    /** The budget of an HTTP connection ({@code address:port}), made on first use. */
    Guard.RateLimit connection(String connection) {
        if (connections.size() > MAX_BUDGETS) {
            connections.clear();
        }
        return connections.computeIfAbsent(connection, c -> newConnectionBudget());
    }

    /** Spends one publish from the connection's and the address's budget; refuses when either is spent. */
    void check(Guard.RateLimit connectionBudget, String address) {
        long now = System.nanoTime();
        if (!connectionBudget.tryAcquire(now)) {
            throw refusals.refuse(RtkitException.Kind.TOO_MANY, "rate", address,
                    "publishing too fast: at most " + perConnection + " messages a second");
        }
        if (addresses.size() > MAX_BUDGETS) {
            addresses.clear();
        }
        if (!addresses.computeIfAbsent(address, a -> new Guard.RateLimit(perAddress)).tryAcquire(now)) {
            throw refusals.refuse(RtkitException.Kind.TOO_MANY, "address-rate", address,
                    "publishing too fast from your address: at most " + perAddress + " messages a second");
        }
    }

    /** Counts a publish whose body is arriving; the returned release undoes it. */
    Runnable enter(String address) {
        AtomicInteger mine = inFlight.computeIfAbsent(address, a -> new AtomicInteger());
        if (mine.incrementAndGet() > inFlightMax) {
            leave(address, mine);
            throw refusals.refuse(RtkitException.Kind.TOO_MANY, "in-flight", address,
                    "too many publishes under way from your address (at most " + inFlightMax + ")");
        }
        return () -> leave(address, mine);
    }

    private void leave(String address, AtomicInteger count) {
        if (count.decrementAndGet() <= 0) {
            inFlight.remove(address, count);
        }
    }

    void forgetQuiet() {
        connections.clear();
        addresses.clear();
    }
}
