package dev.rtkit.bench.run;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * The open-loop publisher over rtkit's WebSocket: {@code {"type":"publish",…,"ref":n}} frames round-robin over a few
 * connections, each answered by an {@code ack} (or an {@code error}) frame. The same due-time payload as
 * {@link Publisher}, so latency is measured alike; a frame costs both ends less than an HTTP request, which tells
 * the cost of HTTP publishing from the cost of the log behind it. Public, for its listener (see {@link Answers}).
 */
public final class WebSocketPublisher implements AutoCloseable {
    private final WebSocketClient client;
    private final Publisher payloads;
    private final List<Session> sessions = new ArrayList<>();
    private final AtomicLong acks = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong lastAnswer = new AtomicLong();

    private WebSocketPublisher(WebSocketClient client, Publisher payloads) {
        this.client = client;
        this.payloads = payloads;
    }

    /** {@code connections} WebSockets to rtkit at {@code baseUrl} ({@code http://…/rt}). */
    static WebSocketPublisher open(HttpClient http, String baseUrl, int connections, int payloadBytes) throws Exception {
        WebSocketClient ws = new WebSocketClient(http);
        ws.start();
        WebSocketPublisher p = new WebSocketPublisher(ws, new Publisher(http, payloadBytes));
        try {
            for (int i = 0; i < connections; i++) {
                p.sessions.add(ws.connect(p.new Answers(), URI.create(baseUrl.replaceFirst("^http", "ws") + "/ws"))
                        .get(20, TimeUnit.SECONDS));
            }
        } catch (Exception e) {
            p.close();
            throw e;
        }
        return p;
    }

    Publisher.Outcome run(String topic, double ratePerSecond, double seconds, long window) throws InterruptedException {
        long period = (long) (1e9 / ratePerSecond);
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long acks0 = acks.get();
        long errors0 = errors.get();
        lastAnswer.set(start);
        long sent = 0;
        String head = "{\"type\":\"publish\",\"topic\":\"" + topic + "\",\"data\":";
        for (long due = start; due < end; due = start + sent * period) {
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            String data = new String(payloads.payload(due, window), StandardCharsets.UTF_8);
            sessions.get((int) (sent % sessions.size())).sendText(head + data + ",\"ref\":" + sent + "}", Callback.NOOP);
            sent++;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (acks.get() - acks0 + errors.get() - errors0 < sent && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return new Publisher.Outcome(sent, acks.get() - acks0, errors.get() - errors0, (lastAnswer.get() - start) / 1e9);
    }

    @Override
    public void close() throws Exception {
        for (Session s : sessions) {
            s.close();
        }
        client.stop();
    }

    /** Counts a connection's answers. Public, as Jetty calls listener methods through method handles. */
    public final class Answers implements Session.Listener.AutoDemanding {
        @Override
        public void onWebSocketText(String text) {
            if (text.startsWith("{\"type\":\"ack\"")) {
                acks.incrementAndGet();
            } else if (text.startsWith("{\"type\":\"error\"")) {
                errors.incrementAndGet();
            } else {
                return;
            }
            lastAnswer.accumulateAndGet(System.nanoTime(), Math::max);
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            // Closing the publisher closes its connections: an unanswered publish already shows in the outcome.
        }
    }
}
