package dev.rtkit.internal.transport.websocket;

import jakarta.websocket.Session;
import java.util.Optional;

/**
 * Whether one WebSocket peer is alive and reading, judged at each heartbeat: a ping (non-blocking, at most one in
 * flight) unless the peer has been heard within the interval, a verdict from when it was last heard and how long
 * its writes have waited. Nothing here ever waits on the peer: the heartbeat runs on the shared timer.
 */
final class Liveness {
    enum Verdict {
        /** Heard from recently and reading: keep going. */
        ALIVE,
        /** Nothing heard (not even a pong) for two intervals, or a ping failed: presumed dead. */
        SILENT,
        /** A frame or a ping has waited for the peer to read for two intervals. */
        STALLED
    }

    private final Session session;
    private final Optional<Pings> pings;
    private final long intervalNanos;
    private volatile long lastHeard;
    private volatile boolean pingInFlight;
    private volatile long pingQueued;
    private volatile Throwable pingFailure;

    Liveness(Session session, long intervalNanos, long now) {
        this.session = session;
        this.pings = Pings.forSession(session);
        this.intervalNanos = intervalNanos;
        this.lastHeard = now;
    }

    /** A frame or a pong came from the peer. */
    void heard(long now) {
        lastHeard = now;
    }

    /** Judges the peer; when alive, pings it (no ping goes out while one is in flight). */
    Verdict beat(long now, long sendStalledNanos) {
        if (pingFailure != null || (pings.isPresent() && now - lastHeard > 2 * intervalNanos)) {
            return Verdict.SILENT;
        }
        boolean inFlight = pingInFlight;
        long pingStalled = inFlight ? now - pingQueued : 0;
        if (Math.max(sendStalledNanos, pingStalled) > 2 * intervalNanos) {
            return Verdict.STALLED;
        }
        if (!inFlight && pings.isPresent()) {
            pingQueued = now;
            pingInFlight = true;
            pings.get().ping(session, this::pingDone);
        }
        return Verdict.ALIVE;
    }

    private void pingDone(Throwable failure) {
        if (failure != null) {
            pingFailure = failure;
        }
        pingInFlight = false;
    }
}
