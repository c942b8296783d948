package dev.rtkit.internal.transport.http;

import dev.rtkit.RtkitException;
import dev.rtkit.internal.hub.Subscription;
import dev.rtkit.internal.transport.Errors;
import dev.rtkit.internal.transport.Guard;
import dev.rtkit.internal.util.ErrorThrottle;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A poll whose cursor is ahead of this node's shared log (the client got the message from another node): it is
 * answered once the log has looked again ({@link Subscription#decided()}), or after {@link #MAX_WAIT_MILLIS} with
 * the cursor kept, and holds no thread meanwhile: while the store is away, polls with forged future cursors must not
 * pin the container's threads. It holds a connection permit, as a parked long-poll does.
 */
final class CatchingUpPoll implements AsyncListener {
    private static final Logger LOG = LoggerFactory.getLogger(CatchingUpPoll.class);
    private static final ErrorThrottle ERRORS = new ErrorThrottle(LOG);
    /** How long a poll waits for the log to look again (one round trip, normally). */
    static final long MAX_WAIT_MILLIS = 2000;

    /** Polls the subscription and writes the answer. */
    interface Answer {
        void write(HttpServletResponse resp) throws IOException;
    }

    private final Subscription subscription;
    private final Guard.Permit permit;
    private final Answer answer;
    private final AtomicBoolean done = new AtomicBoolean();
    private AsyncContext async;

    private CatchingUpPoll(Subscription subscription, Guard.Permit permit, Answer answer) {
        this.subscription = subscription;
        this.permit = permit;
        this.answer = answer;
    }

    /**
     * Suspends {@code req} until {@code subscription} is decided, then runs {@code answer} on a container thread (it
     * polls and writes; the async request is completed after it). The subscription and the permit are closed here.
     */
    static void start(HttpServletRequest req, Subscription subscription, Guard.Permit permit, Answer answer) {
        CatchingUpPoll poll = new CatchingUpPoll(subscription, permit, answer);
        try {
            poll.async = req.startAsync();
            poll.async.setTimeout(MAX_WAIT_MILLIS);
            poll.async.addListener(poll);
        } catch (RuntimeException e) {
            poll.release();
            throw e;
        }
        subscription.decided().thenRun(() -> {
            try {
                poll.async.start(poll::answer);
            } catch (IllegalStateException e) {
                // The request is already over (timed out, client gone).
                poll.release();
            }
        });
    }

    /** Answers once: after the decision, or at the timeout with what is known then (the cursor kept). */
    private void answer() {
        if (!done.compareAndSet(false, true)) {
            return;
        }
        HttpServletResponse resp = (HttpServletResponse) async.getResponse();
        try {
            answer.write(resp);
        } catch (IOException e) {
            LOG.debug("Poll answer failed, client gone", e);
        } catch (RuntimeException e) {
            // Outside the servlet's own handling: answered as it would have, never an empty 200.
            int status = HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
            String message = "internal error";
            if (e instanceof RtkitException r) {
                status = Errors.status(r);
                message = r.getMessage();
            } else {
                ERRORS.error("poll-answer", "Failed a poll answered once its log looked again", e);
            }
            if (!resp.isCommitted()) {
                try {
                    Errors.send(resp, status, message);
                } catch (IOException gone) {
                    LOG.debug("Poll error answer failed, client gone", gone);
                }
            }
        } finally {
            closeHeld();
            try {
                async.complete();
            } catch (IllegalStateException e) {
                // Completed by the container after an error.
            }
        }
    }

    private void release() {
        if (done.compareAndSet(false, true)) {
            closeHeld();
        }
    }

    private void closeHeld() {
        subscription.close();
        permit.close();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        answer();
    }

    @Override
    public void onError(AsyncEvent event) {
        release();
    }

    @Override
    public void onComplete(AsyncEvent event) {
        release();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
    }
}
