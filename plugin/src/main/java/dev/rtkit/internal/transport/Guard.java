package dev.rtkit.internal.transport;

import dev.rtkit.spi.Authorizer;
import dev.rtkit.spi.Caller;
import dev.rtkit.RtkitException;
import dev.rtkit.internal.metrics.Metrics;
import java.time.Duration;
import java.util.Collection;

/**
 * Who may do what, and how much, shared by every transport: {@link Access} (roles, the authorizer),
 * {@link ConnectionLimits} (long-lived connections in total and per address), {@link PublishRates} (per
 * connection, per address, bodies under way). A refusal is logged once a minute per kind and address.
 */
public final class Guard {
    private final Limits limits;
    private final Access access;
    private final ConnectionLimits connections;
    private final PublishRates rates;

    /**
     * @param maxConnections           long-lived connections (streams, SSE, long-polls, WebSockets) in total
     * @param maxConnectionsPerAddress the same, per client IP address
     * @param maxPublishRate           publishes per second per connection (the burst allowed is the same number)
     * @param publishRole              role needed to publish, or null for anyone
     * @param subscribeRole            role needed to subscribe, or null for anyone
     * @param publish                  bounds on publishing per client address
     */
    public record Limits(int maxConnections, int maxConnectionsPerAddress, int maxPublishRate,
                         String publishRole, String subscribeRole, PublishLimits publish) {
    }

    /**
     * @param ratePerAddress     publishes per second per client address, over all its connections
     * @param inFlightPerAddress HTTP publishes of one address whose body is still arriving
     * @param bodyTimeout        how long a publish body may take in full
     * @param minBodyRate        slowest average a body may arrive at, from its third second on (bytes/s)
     */
    public record PublishLimits(int ratePerAddress, int inFlightPerAddress, Duration bodyTimeout, int minBodyRate) {
        public static final PublishLimits DEFAULTS = new PublishLimits(1000, 32, Duration.ofSeconds(10), 1024);
    }

    public Guard(Limits limits, Authorizer authorizer) {
        this(limits, authorizer, Metrics.NONE);
    }

    public Guard(Limits limits, Authorizer authorizer, Metrics metrics) {
        this.limits = limits;
        Refusals refusals = new Refusals(metrics);
        this.access = new Access(limits.publishRole(), limits.subscribeRole(), authorizer, refusals);
        this.connections = new ConnectionLimits(limits.maxConnections(), limits.maxConnectionsPerAddress(), refusals);
        this.rates = new PublishRates(limits.maxPublishRate(), limits.publish().ratePerAddress(),
                limits.publish().inFlightPerAddress(), refusals);
    }

    public Limits limits() {
        return limits;
    }

    /** Throws {@link dev.rtkit.RtkitException} ({@code FORBIDDEN}) unless the caller may publish to the topic. */
    public void checkPublish(Caller caller, String topic) {
        access.checkPublish(caller, topic);
    }

    /** Throws {@link dev.rtkit.RtkitException} ({@code FORBIDDEN}) unless the caller may subscribe to every topic. */
    public void checkSubscribe(Caller caller, Collection<String> topics) {
        access.checkSubscribe(caller, topics);
    }

    /** True when a role is required and the caller has not authenticated yet (the edge may then challenge). */
    public boolean needsLogin(Caller caller, boolean publish) {
        return access.needsLogin(caller, publish);
    }

    /**
     * A copy of the caller that outlives its request, for a WebSocket: the roles rtkit checks (publishRole,
     * subscribeRole) are answered as they were at the handshake; any other role is answered false.
     */
    public Caller snapshot(Caller live) {
        return access.snapshot(live);
    }

    /**
     * Counts a long-lived connection from {@code address}; close the permit when it ends.
     *
     * @throws dev.rtkit.RtkitException ({@code TOO_MANY} per address, {@code UNAVAILABLE} in total) at a limit
     */
    public Permit open(String address) {
        return new Permit(connections.open(address));
    }

    /** Long-lived connections open now. */
    public int connections() {
        return connections.open();
    }

    /** A new publish-rate budget for one connection (a WebSocket keeps its own). */
    public RateLimit publishRate() {
        return rates.newConnectionBudget();
    }

    /** The budget of an HTTP connection ({@code address:port}); keep-alive requests share it. */
    public RateLimit publishRate(String connection) {
        return rates.connection(connection);
    }

    /** Throws {@link dev.rtkit.RtkitException} ({@code TOO_MANY}) when the connection's or the address's budget is spent. */
    public void checkRate(RateLimit rate, String address) {
        rates.check(rate, address);
    }

    /** Counts an HTTP publish whose body is arriving; run the returned release once it is answered. */
    public Runnable enterPublish(String address) {
        return rates.enter(address);
    }

    /** Forgets the budgets of clients gone quiet; called each minute. */
    public void forgetQuietBudgets() {
        rates.forgetQuiet();
    }

    /** One counted connection; closing it twice is harmless. */
    public static final class Permit implements AutoCloseable {
        private Runnable release;

        private Permit(Runnable release) {
            this.release = release;
        }

        @Override
        public synchronized void close() {
            if (release != null) {
                release.run();
                release = null;
            }
        }
    }

    /** A token bucket: {@code rate} a second, bursts up to {@code rate}. */
    public static final class RateLimit {
        private final double perNano;
        private final double burst;
        private double tokens;
        private long last = System.nanoTime();

        RateLimit(int rate) {
            this.perNano = rate / 1e9;
            this.burst = rate;
            this.tokens = rate;
        }

        synchronized boolean tryAcquire(long now) {
            tokens = Math.min(burst, tokens + (now - last) * perNano);
            last = now;
            if (tokens < 1) {
                return false;
            }
            tokens--;
            return true;
        }
    }
}
