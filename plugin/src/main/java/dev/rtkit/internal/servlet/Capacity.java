package dev.rtkit.internal.servlet;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * What this process can hold: the default {@code maxConnections} follows from its descriptor limit and heap, and a
 * configured one above the descriptor limit fails start-up, because past it the acceptor loops on "Too many open
 * files" and the JVM cannot even open its own jars.
 */
final class Capacity {
    /** Heap one long-lived connection may cost: a parked long-poll measured 66 KiB, with the container's buffers. UNIT: bytes. */
    static final long HEAP_PER_CONNECTION = 128 * 1024;
    /** Descriptors kept for jars, logs, the listening sockets and short requests. */
    static final int RESERVED_DESCRIPTORS = 512;
    static final int CEILING = 20_000;

    private Capacity() {
    }

    /** The process's descriptor limit ({@code ulimit -n}), or -1 where the platform does not say. */
    static long descriptorLimit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : -1;
    }

    /** At most 20,000, at most the descriptors left after the reserve, at most the heap over 128 KiB each. */
    static int defaultMaxConnections() {
        long limit = CEILING;
        long fds = descriptorLimit();
        if (fds > 0) {
            limit = Math.min(limit, fds - RESERVED_DESCRIPTORS);
        }
        limit = Math.min(limit, Runtime.getRuntime().maxMemory() / HEAP_PER_CONNECTION);
        return (int) Math.max(16, limit);
    }

    /** {@code maxConnections} as configured, refused when the process could not open that many descriptors. */
    static int checked(int maxConnections) {
        long fds = descriptorLimit();
        if (fds > 0 && maxConnections > fds - RESERVED_DESCRIPTORS) {
            throw new IllegalArgumentException("Invalid rtkit init-param " + Settings.MAX_CONNECTIONS + "='" + maxConnections
                    + "': this process may open only " + fds + " descriptors (ulimit -n), " + RESERVED_DESCRIPTORS
                    + " of them kept for files and short requests; raise the limit or lower " + Settings.MAX_CONNECTIONS);
        }
        return maxConnections;
    }
}
