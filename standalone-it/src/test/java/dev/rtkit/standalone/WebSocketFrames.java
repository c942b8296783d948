package dev.rtkit.standalone;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/** Text frames received on one client WebSocket, awaited with deadlines. */
public final class WebSocketFrames implements Session.Listener.AutoDemanding {
    private static final String CLOSED = "\u0000<closed>";
    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();
    private volatile Session session;
    private volatile String closeReason = "";
    private volatile java.util.concurrent.CompletableFuture<Void> pong = new java.util.concurrent.CompletableFuture<>();

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
    }

    @Override
    public void onWebSocketText(String message) {
        frames.add(message);
    }

    @Override
    public void onWebSocketPong(java.nio.ByteBuffer payload) {
        pong.complete(null);
    }

    /**
     * Jetty's WebSocketClient over HTTP/2 (12.1.14) now and then loses a frame sent soon after the upgrade (a
     * client-side fault; the plugin's JettyWsClient does the same): ping until a pong comes back, so the test sees
     * every frame that follows.
     */
    void prime() throws Exception {
        for (int i = 0; i < 20; i++) {
            pong = new java.util.concurrent.CompletableFuture<>();
            session.sendPing(java.nio.ByteBuffer.allocate(0), Callback.NOOP);
            try {
                pong.get(250, java.util.concurrent.TimeUnit.MILLISECONDS);
                return;
            } catch (java.util.concurrent.TimeoutException e) {
                // Lost or late: ask again.
            }
        }
        throw new AssertionError("no pong over HTTP/2 after 20 pings");
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        closeReason = statusCode + " " + reason;
        frames.add(CLOSED);
        callback.succeed();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        closeReason = cause.toString();
        frames.add(CLOSED);
    }

    void send(String text) {
        session.sendText(text, Callback.NOOP);
    }

    /** Reads frames until one matches; fails on close or when the deadline passes. */
    String until(Predicate<String> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String frame = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
            if (frame == null) {
                throw new AssertionError("no matching frame within " + timeout + "; received " + seen);
            }
            if (frame.equals(CLOSED)) {
                frames.add(CLOSED);
                throw new AssertionError("WebSocket closed (" + closeReason + "); received " + seen);
            }
            seen.add(frame);
            if (match.test(frame)) {
                return frame;
            }
        }
    }

    /** Every frame {@link #until} has read so far, in order. */
    List<String> seen() {
        return List.copyOf(seen);
    }

    void close() {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.close();
        }
    }
}
