package dev.rtkit.demosite;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;

/**
 * A deadline for a request's head and for the TLS handshake. Jetty's idle timeout restarts with every byte, so a
 * client dripping one header byte every few seconds would hold its connection for ever; here an HTTP/1.1 head
 * still incomplete after the deadline (or a handshake not done by then) closes the connection. Checked once a
 * second; a connection between requests, or streaming a response, is not affected.
 */
final class HeaderDeadline extends AbstractLifeCycle implements Connection.Listener {
    private final long deadlineNanos;
    private final Map<Connection, Long> watched = new ConcurrentHashMap<>();
    private ScheduledExecutorService timer;

    HeaderDeadline(long deadlineMillis) {
        this.deadlineNanos = TimeUnit.MILLISECONDS.toNanos(deadlineMillis);
    }

    @Override
    protected void doStart() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-header-deadline");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::check, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    protected void doStop() {
        timer.shutdownNow();
        watched.clear();
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof HttpConnection) {
            watched.put(connection, 0L);
        } else if (connection instanceof SslConnection tls) {
            watched.put(connection, System.nanoTime());
            tls.addHandshakeListener(new SslHandshakeListener() {
                @Override
                public void handshakeSucceeded(Event event) {
                    watched.remove(connection);
                }
            });
        }
    }

    @Override
    public void onClosed(Connection connection) {
        watched.remove(connection);
    }

    /** Value 0: no head under way; otherwise when the head (or the handshake) began. */
    private void check() {
        long now = System.nanoTime();
        for (Map.Entry<Connection, Long> e : watched.entrySet()) {
            Connection c = e.getKey();
            long since = e.getValue();
            if (c instanceof HttpConnection http) {
                // Read without the connection's lock: a stale answer only delays the verdict by a second.
                boolean midHead = http.getParser().inHeaderState() && !http.getParser().isStart();
                if (!midHead) {
                    e.setValue(0L);
                    continue;
                }
                if (since == 0L) {
                    e.setValue(now);
                    continue;
                }
            }
            if (since != 0L && now - since > deadlineNanos) {
                watched.remove(c);
                c.getEndPoint().close();
            }
        }
    }
}
