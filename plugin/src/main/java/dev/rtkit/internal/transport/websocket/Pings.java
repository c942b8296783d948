package dev.rtkit.internal.transport.websocket;

import jakarta.websocket.Session;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Sends WebSocket pings without blocking. The Jakarta API has only a blocking {@code sendPing} (Jetty waits for
 * the write, so a peer that stops reading held the shared timer thread for the whole write timeout), so on Jetty
 * the ping goes through its own non-blocking frame API ({@link JettyFrames}). Elsewhere no protocol ping is sent:
 * the text heartbeat (asynchronous) and the stalled-send check keep watch.
 */
final class Pings {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final JettyFrames frames;

    private Pings(JettyFrames frames) {
        this.frames = frames;
    }

    /** The non-blocking pinger for this kind of session, or empty when the container offers none. */
    static Optional<Pings> forSession(Session session) {
        return JettyFrames.forSession(session).map(Pings::new);
    }

    /** Queues one ping and returns at once; {@code done} gets null once it is written, or the failure. */
    void ping(Session session, Consumer<Throwable> done) {
        try {
            Object cb = frames.callback(() -> done.accept(null), done);
            frames.send(frames.core(session), JettyFrames.PING, EMPTY.duplicate(), cb, false);
        } catch (RuntimeException e) {
            done.accept(e);
        }
    }
}
