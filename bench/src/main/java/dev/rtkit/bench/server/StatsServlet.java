package dev.rtkit.bench.server;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.http2.HTTP2Connection;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractConnector;

/**
 * {@code GET /bench/stats[?gc=true]}: the server's own process CPU time and the part of it its JIT compiler threads
 * took, heap and direct memory in use (after
 * full collections when {@code gc=true}), the part of each idle in Jetty's buffer pool, open connections, and the
 * meters in rtkit's registry (0 with metrics off), HTTP/2 streams open, as one JSON line.
 */
final class StatsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient AbstractConnector connector;

    StatsServlet(AbstractConnector connector) {
        this.connector = connector;
    }

    /** Meters in the registry handed to rtkit (the metrics scenario checks that "on" records and "off" does not). */
    private int meters() {
        Object r = getServletContext().getAttribute("dev.rtkit.meterRegistry");
        return r instanceof io.micrometer.core.instrument.MeterRegistry registry ? registry.getMeters().size() : 0;
    }

    /**
     * CPU time of the JIT compiler threads (HotSpot's "C1/C2 CompilerThreadN", hidden from the thread MXBean), from
     * Linux's per-thread {@code schedstat} in nanoseconds; 0 where /proc cannot tell.
     */
    static long compilerNanos() {
        long sum = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    if (Files.readString(task.resolve("comm")).matches("C[12] CompilerThre.*\\s*")) {
                        String run = Files.readString(task.resolve("schedstat"));
                        sum += Long.parseLong(run.substring(0, run.indexOf(' ')));
                    }
                } catch (IOException | RuntimeException e) {
                    // The thread ended meanwhile.
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return sum;
    }

    private static long direct() {
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                return pool.getMemoryUsed();
            }
        }
        return 0;
    }

    /** HTTP/2 streams open on the connector: over h2c one connection carries many parked requests. */
    private long streams() {
        long n = 0;
        for (EndPoint e : connector.getConnectedEndPoints()) {
            if (e.getConnection() instanceof HTTP2Connection c) {
                n += c.getSession().getStreamCount();
            }
        }
        return n;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if ("true".equals(req.getParameter("gc"))) {
            // Twice: the first collection may leave objects that only become unreachable through finalisation.
            System.gc();
            System.gc();
            // Direct buffers are freed by their cleaners after the collection, on a thread of their own: weighed before
            // that, a previous scenario's buffers would count here and go missing from the next reading.
            long last = direct();
            for (int i = 0; i < 40; i++) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                long now = direct();
                if (now == last) {
                    break;
                }
                last = now;
            }
            // Once more, so the heap is weighed right after a collection and not after the wait's allocations.
            System.gc();
        }
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long direct = direct();
        // Buffers idle in Jetty's pool belong to no connection: count only what is checked out.
        long pooledHeap = 0;
        long pooledDirect = 0;
        if (connector.getByteBufferPool() instanceof ArrayByteBufferPool pool) {
            pooledHeap = pool.getAvailableHeapMemory();
            pooledDirect = pool.getAvailableDirectMemory();
        }
        String json = "{\"cpuNanos\":" + os.getProcessCpuTime()
                + ",\"compilerNanos\":" + compilerNanos()
                + ",\"heap\":" + heap
                + ",\"direct\":" + direct
                + ",\"pooledHeap\":" + pooledHeap
                + ",\"pooledDirect\":" + pooledDirect
                + ",\"connections\":" + connector.getConnectedEndPoints().size()
                + ",\"streams\":" + streams()
                + ",\"threads\":" + Thread.activeCount()
                + ",\"meters\":" + meters() + "}";
        resp.setContentType("application/json");
        resp.getOutputStream().write(json.getBytes(StandardCharsets.UTF_8));
    }
}
