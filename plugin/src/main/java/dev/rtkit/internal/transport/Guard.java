package dev.rtkit.internal.transport;

import dev.rtkit.spi.Authorizer;
import dev.rtkit.spi.Caller;

import dev.rtkit.RtkitException;
import dev.rtkit.internal.metrics.Metrics;
import dev.rtkit.internal.metrics.Rejection;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may do what, and how much: roles and the {@link Authorizer} per topic, connection counts in total and per
 * client address, publish rate per connection. Shared by every transport. A refusal is logged once a minute per
 * kind and address, not once per message, so an abusive client cannot flood the log.
 */
public final class Guard {
    private static final Logger LOG = LoggerFactory.getLogger(Guard.class);
    private static final long LOG_EVERY_NANOS = 60_000_000_000L;

    private final Limits limits;
    private final Authorizer authorizer;
    private final Metrics metrics;
    private final AtomicInteger connections = new AtomicInteger();
    private final Map<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();

    /**
     * @param maxConnections           long-lived connections (streams, SSE, long-polls, WebSockets) in total
     * @param maxConnectionsPerAddress the same, per client IP address
     * @param maxPublishRate           publishes per second per connection (the burst allowed is the same number)
     * @param publishRole              role needed to publish, or null for anyone
     * @param subscribeRole            role needed to subscribe, or null for anyone
     */
    public record Limits(int maxConnections, int maxConnectionsPerAddress, int maxPublishRate,
                         String publishRole, String subscribeRole) {
    }

    public Guard(Limits limits, Authorizer authorizer) {
        this(limits, authorizer, Metrics.NONE);
    }

    public Guard(Limits limits, Authorizer authorizer, Metrics metrics) {
        this.limits = limits;
        this.authorizer = authorizer;
        this.metrics = metrics;
    }

    /** Throws {@link RtkitException} ({@code FORBIDDEN}) unless the caller may publish to the topic. */
    public void checkPublish(Caller caller, String topic) {
        if (!hasRole(caller, limits.publishRole()) || (authorizer != null && !authorizer.mayPublish(caller, topic))) {
            throw refuse(RtkitException.Kind.FORBIDDEN, "forbidden", caller.address(), "not allowed to publish to " + topic);
        }
    }

    /** Throws {@link RtkitException} ({@code FORBIDDEN}) unless the caller may subscribe to every topic. */
    public void checkSubscribe(Caller caller, Collection<String> topics) {
        if (!hasRole(caller, limits.subscribeRole())) {
            throw refuse(RtkitException.Kind.FORBIDDEN, "forbidden", caller.address(), "not allowed to subscribe");
        }
        if (authorizer != null) {
            for (String topic : topics) {
                if (!authorizer.maySubscribe(caller, topic)) {
                    throw refuse(RtkitException.Kind.FORBIDDEN, "forbidden", caller.address(), "not allowed to subscribe to " + topic);
                }
            }
        }
    }

    /** True when a role is required and the caller has not authenticated yet (the edge may then challenge). */
    public boolean needsLogin(Caller caller, boolean publish) {
        String role = publish ? limits.publishRole() : limits.subscribeRole();
        return role != null && caller.user() == null;
    }

    /**
     * A copy of the caller that outlives its request, for a WebSocket: the roles rtkit checks (publishRole,
     * subscribeRole) are answered as they were at the handshake; any other role is answered false.
     */
    public Caller snapshot(Caller live) {
        java.util.Set<String> roles = new java.util.HashSet<>();
        for (String role : new String[] {limits.publishRole(), limits.subscribeRole()}) {
            if (role != null && live.user() != null && live.isUserInRole(role)) {
                roles.add(role);
            }
        }
        java.security.Principal user = live.user();
        String address = live.address();
        return new Caller() {
            @Override
            public java.security.Principal user() {
                return user;
            }

            @Override
            public boolean isUserInRole(String role) {
                return roles.contains(role);
            }

            @Override
            public String address() {
                return address;
            }
        };
    }

    private static boolean hasRole(Caller caller, String role) {
        return role == null || (caller.user() != null && caller.isUserInRole(role));
    }

    /**
     * Counts a long-lived connection from {@code address}; close the permit when it ends.
     *
     * @throws RtkitException ({@code TOO_MANY} per address, {@code UNAVAILABLE} in total) when a connection limit is reached
     */
    public Permit open(String address) {
        AtomicInteger mine = perAddress.computeIfAbsent(address, a -> new AtomicInteger());
        if (mine.incrementAndGet() > limits.maxConnectionsPerAddress()) {
            release(address, mine);
            throw refuse(RtkitException.Kind.TOO_MANY, "per-address", address,
                    "too many connections from your address (at most " + limits.maxConnectionsPerAddress() + ")");
        }
        if (connections.incrementAndGet() > limits.maxConnections()) {
            connections.decrementAndGet();
            release(address, mine);
            throw refuse(RtkitException.Kind.UNAVAILABLE, "total", address, "server is at its connection limit, try again later");
        }
        return new Permit(address, mine);
    }

    private void release(String address, AtomicInteger count) {
        if (count.decrementAndGet() <= 0) {
            perAddress.remove(address, count);
        }
    }

    /** Long-lived connections open now. */
    public int connections() {
        return connections.get();
    }

    /** A new publish-rate budget for one connection. */
    public RateLimit publishRate() {
        return new RateLimit(limits.maxPublishRate());
    }

    /** Throws {@link RtkitException} ({@code TOO_MANY}) when the connection's budget is spent. */
    public void checkRate(RateLimit rate, String address) {
        if (!rate.tryAcquire(System.nanoTime())) {
            throw refuse(RtkitException.Kind.TOO_MANY, "rate", address,
                    "publishing too fast: at most " + limits.maxPublishRate() + " messages a second");
        }
    }

    private RtkitException refuse(RtkitException.Kind kind, String what, String address, String message) {
        metrics.rejected(what.equals("forbidden") ? Rejection.AUTH : what.equals("rate") ? Rejection.RATE : Rejection.LIMIT);
        String key = what + " " + address;
        long now = System.nanoTime();
        Long last = lastLogged.get(key);
        if (last == null || now - last > LOG_EVERY_NANOS) {
            lastLogged.put(key, now);
            if (lastLogged.size() > 10_000) {
                lastLogged.clear();
            }
            LOG.warn("Refused {}: {} (logged once a minute per client)", address, message);
        }
        return new RtkitException(kind, message);
    }

    /** One counted connection; closing it twice is harmless. */
    public final class Permit implements AutoCloseable {
        private final String address;
        private final AtomicInteger count;
        private boolean closed;

        private Permit(String address, AtomicInteger count) {
            this.address = address;
            this.count = count;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                connections.decrementAndGet();
                release(address, count);
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
