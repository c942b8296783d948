package dev.rtkit.bench.load;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * Subscribers of one transport to one topic, opened from one source address with their own HttpClient (and
 * WebSocketClient), so closing the group closes every connection it made. At most {@code concurrency}
 * subscribers are opening at once: a burst of thousands of connects would only overflow backlogs.
 */
final class Group implements AutoCloseable {
    final Probe probe;
    final Transport transport;
    final Dialect dialect;
    final String baseUrl;
    final String topic;
    final long pollMillis;
    final ScheduledExecutorService timer;
    final HttpClient http;
    final WebSocketClient ws;
    private final Semaphore opening;
    private final AtomicInteger ready = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger lost = new AtomicInteger();
    private final List<Subscriber> subscribers = new ArrayList<>();
    private volatile boolean closing;
    private volatile String firstFailure;

    Group(Probe probe, Transport transport, Dialect dialect, String baseUrl, String topic, String bindIp, long pollMillis,
            int concurrency, int count, boolean h2c, ScheduledExecutorService timer) throws Exception {
        this.probe = probe;
        this.transport = transport;
        this.dialect = dialect;
        this.baseUrl = baseUrl;
        this.topic = topic;
        this.pollMillis = pollMillis;
        this.timer = timer;
        this.opening = new Semaphore(concurrency);
        ClientConnector connector = new ClientConnector();
        connector.setSelectors(1);
        connector.setBindAddress(new InetSocketAddress(bindIp, 0));
        QueuedThreadPool pool = new QueuedThreadPool(32, 4);
        pool.setName("agent-" + transport.wireName());
        connector.setExecutor(pool);
        // h2c: prior knowledge, and as many requests to a connection as the server's stream limit lets the client's pool put there.
        http = new HttpClient(h2c ? new HttpClientTransportOverHTTP2(new HTTP2Client(connector)) : new HttpClientTransportOverHTTP(connector));
        http.setExecutor(pool);
        // Over h2c a connection carries up to the server's stream limit (Jetty's default: 128); without a cap the pool
        // would open a connection for each request sent before the first one's SETTINGS came back.
        http.setMaxConnectionsPerDestination(h2c ? count / 100 + 1 : count + 64);
        http.setMaxRequestsQueuedPerDestination(2 * count + 1024);
        http.setIdleTimeout(120_000);
        http.setConnectTimeout(30_000);
        http.setFollowRedirects(false);
        // Every subscriber is a browser of its own: cookies are theirs (CometD's), not the group's.
        http.setHttpCookieStore(new org.eclipse.jetty.http.HttpCookieStore.Empty());
        http.start();
        if (transport == Transport.WEBSOCKET) {
            ws = new WebSocketClient(http);
            ws.setIdleTimeout(Duration.ofMinutes(2));
            ws.start();
        } else {
            ws = null;
        }
    }

    /** Opens {@code count} subscribers and waits until each is ready or failed, or the deadline passes. */
    String open(int count, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (int i = 0; i < count && System.nanoTime() < deadline; i++) {
            if (!opening.tryAcquire(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                break;
            }
            Subscriber s = dialect.subscriber(this);
            subscribers.add(s);
            s.open();
        }
        while (ready.get() + failed.get() < subscribers.size() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        String why = firstFailure;
        return "ready=" + ready.get() + " failed=" + (count - ready.get())
                + (why == null || ready.get() == count ? "" : " error=" + why.replaceAll("\\s+", " "));
    }

    /** Keeps the first reason a subscriber failed, for the report. */
    void failure(Throwable t) {
        failure(String.valueOf(t));
    }

    void failure(String why) {
        if (firstFailure == null && !closing) {
            firstFailure = why;
        }
    }

    boolean closing() {
        return closing;
    }

    void settled(boolean ok) {
        (ok ? ready : failed).incrementAndGet();
        opening.release();
    }

    void lost() {
        if (!closing) {
            lost.incrementAndGet();
        }
    }

    int lostCount() {
        return lost.get();
    }

    @Override
    public void close() throws Exception {
        closing = true;
        subscribers.forEach(Subscriber::close);
        if (ws != null) {
            ws.stop();
        }
        http.stop();
    }
}
