package dev.rtkit.demosite;

import java.lang.management.ManagementFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * What the demo's connectors let clients hold, derived from this process's descriptor limit and heap so that no
 * client, or set of clients, can exhaust either: connections in total (past it Jetty stops accepting and idle
 * connections are timed out sooner) and per client address (closed at once), a deadline for request heads and
 * TLS handshakes, no header cache, small socket buffers. Override with system properties
 * {@code rtkit.demo.maxConnections}, {@code rtkit.demo.maxConnectionsPerAddress} and
 * {@code rtkit.demo.headerDeadlineMillis}; settings the process could not honour fail start-up.
 */
final class ConnectorLimits {
    /** Descriptors kept for the JVM's jars, logs, the listening sockets and outgoing clients. */
    static final int RESERVED_DESCRIPTORS = 512;
    /** Heap an idle connection may cost once the header cache is off (buffers, parser, endpoint). UNIT: bytes. */
    static final long HEAP_PER_CONNECTION = 48 * 1024;
    static final long IDLE_TIMEOUT_MILLIS = 60_000;
    /** When at the limit: longer than a long-poll (25 s) and two heartbeats (15 s), so live clients survive. */
    static final long IDLE_TIMEOUT_AT_LIMIT_MILLIS = 32_000;
    static final long HEADER_DEADLINE_MILLIS = 10_000;
    /** Kernel socket buffers per accepted connection: what a reader that stops reading can pin. UNIT: bytes. */
    static final int SOCKET_BUFFER_BYTES = 64 * 1024;

    private final int maxConnections;
    private final int maxPerAddress;
    private final PerAddressConnections perAddress;

    private ConnectorLimits(int maxConnections, int maxPerAddress) {
        this.maxConnections = maxConnections;
        this.maxPerAddress = maxPerAddress;
        this.perAddress = new PerAddressConnections(maxPerAddress);
    }

    /** The limits for this process; throws {@link IllegalArgumentException} naming what is inconsistent. */
    static ConnectorLimits forThisProcess() {
        long fds = descriptorLimit();
        long byDescriptors = fds > 0 ? fds - RESERVED_DESCRIPTORS : Integer.MAX_VALUE;
        long byHeap = Runtime.getRuntime().maxMemory() / HEAP_PER_CONNECTION;
        int total = Integer.getInteger("rtkit.demo.maxConnections", (int) Math.max(64, Math.min(byDescriptors, byHeap)));
        int perAddress = Integer.getInteger("rtkit.demo.maxConnectionsPerAddress", Math.max(16, total / 4));
        if (total < 1 || perAddress < 1) {
            throw new IllegalArgumentException("rtkit.demo.maxConnections and rtkit.demo.maxConnectionsPerAddress must be positive");
        }
        if (fds > 0 && total > byDescriptors) {
            throw new IllegalArgumentException("rtkit.demo.maxConnections=" + total + " is more than this process can open: "
                    + "its descriptor limit is " + fds + " (ulimit -n), " + RESERVED_DESCRIPTORS + " of them kept for the JVM");
        }
        if (perAddress > total) {
            throw new IllegalArgumentException("rtkit.demo.maxConnectionsPerAddress=" + perAddress
                    + " is above rtkit.demo.maxConnections=" + total);
        }
        return new ConnectorLimits(total, perAddress);
    }

    static long descriptorLimit() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount() : -1;
    }

    int maxConnections() {
        return maxConnections;
    }

    int maxPerAddress() {
        return maxPerAddress;
    }

    /** Counts every connector's connections against the total. */
    void limitTotal(Server server) {
        NetworkConnectionLimit limit = new NetworkConnectionLimit(maxConnections, server);
        limit.setEndPointIdleTimeout(IDLE_TIMEOUT_AT_LIMIT_MILLIS);
        server.addBean(limit);
    }

    /** No header cache: it is what made each idle keep-alive connection hold ~100 KiB (a char[49152] and more). */
    void configure(HttpConfiguration config) {
        config.setHeaderCacheSize(0);
    }

    void configure(ServerConnector connector) {
        connector.setIdleTimeout(IDLE_TIMEOUT_MILLIS);
        connector.setAcceptedSendBufferSize(SOCKET_BUFFER_BYTES);
        connector.setAcceptedReceiveBufferSize(SOCKET_BUFFER_BYTES);
        connector.addBean(perAddress);
        connector.addBean(new HeaderDeadline(Long.getLong("rtkit.demo.headerDeadlineMillis", HEADER_DEADLINE_MILLIS)));
    }

    @Override
    public String toString() {
        return "at most " + maxConnections + " connections, " + maxPerAddress + " per address";
    }
}
