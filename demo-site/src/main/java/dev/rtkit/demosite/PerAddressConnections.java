package dev.rtkit.demosite;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TCP connections counted per client IP address at the connector; one past the limit is closed as soon as it
 * opens, before a byte is parsed, so one address cannot take every descriptor. Counts network endpoints, not
 * protocol connections: a TLS connection (TLS, then HTTP) or an h2c upgrade counts once.
 */
final class PerAddressConnections implements Connection.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(PerAddressConnections.class);
    private static final long LOG_EVERY_NANOS = 60_000_000_000L;

    private final int max;
    private final Map<EndPoint, InetAddress> counted = new ConcurrentHashMap<>();
    private final Map<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private volatile long lastLogged = System.nanoTime() - LOG_EVERY_NANOS;

    PerAddressConnections(int max) {
        this.max = max;
    }

    @Override
    public void onOpened(Connection connection) {
        EndPoint endPoint = connection.getEndPoint();
        InetAddress address = address(endPoint.getRemoteSocketAddress());
        if (!(endPoint instanceof SocketChannelEndPoint) || address == null || counted.putIfAbsent(endPoint, address) != null) {
            return;
        }
        int n = perAddress.computeIfAbsent(address, a -> new AtomicInteger()).incrementAndGet();
        if (n > max) {
            long now = System.nanoTime();
            if (now - lastLogged > LOG_EVERY_NANOS) {
                lastLogged = now;
                LOG.warn("Closing connections from {} past {} at once (logged once a minute)", address.getHostAddress(), max);
            }
            endPoint.close();
        }
    }

    @Override
    public void onClosed(Connection connection) {
        EndPoint endPoint = connection.getEndPoint();
        // An upgrade (h2c) closes the old connection on an endpoint that stays open: still one connection.
        if (endPoint.isOpen()) {
            return;
        }
        InetAddress address = counted.remove(endPoint);
        if (address != null) {
            AtomicInteger n = perAddress.get(address);
            if (n != null && n.decrementAndGet() <= 0) {
                perAddress.remove(address, n);
            }
        }
    }

    /** Connections open now from {@code address}. */
    int count(InetAddress address) {
        AtomicInteger n = perAddress.get(address);
        return n == null ? 0 : n.get();
    }

    private static InetAddress address(SocketAddress remote) {
        return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
