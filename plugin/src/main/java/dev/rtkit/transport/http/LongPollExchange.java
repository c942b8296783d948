package dev.rtkit.transport.http;

import dev.rtkit.hub.Event;
import dev.rtkit.hub.Subscriber;
import dev.rtkit.hub.Subscription;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A parked long-poll: no thread is held while it waits. The first publish to any of its topics, or the
 * timeout, answers it once with everything waiting (up to the batch limit).
 */
final class LongPollExchange implements Subscriber, AsyncListener {
    private static final Logger LOG = LoggerFactory.getLogger(LongPollExchange.class);

    private final int maxBatch;
    private final Set<LongPollExchange> parked;
    private volatile AsyncContext async;
    private Subscription subscription;
    private boolean answered;

    LongPollExchange(int maxBatch, Set<LongPollExchange> parked) {
        this.maxBatch = maxBatch;
        this.parked = parked;
    }

    void park(AsyncContext async, Subscription subscription, long timeoutMillis) {
        this.subscription = subscription;
        async.setTimeout(timeoutMillis);
        async.addListener(this);
        parked.add(this);
        this.async = async;
        // A publish between the first poll and now signalled before we were ready: look once more.
        answerIfReady(false);
    }

    @Override
    public void onReadable() {
        AsyncContext a = async;
        if (a != null) {
            try {
                a.start(() -> answerIfReady(false));
            } catch (IllegalStateException e) {
                // Answered or failed meanwhile.
            }
        }
    }

    /** Answers now with whatever is waiting, even nothing (timeout, shutdown). */
    void answerNow() {
        answerIfReady(true);
    }

    private void answerIfReady(boolean evenIfEmpty) {
        byte[] body;
        synchronized (this) {
            if (answered) {
                return;
            }
            List<Event> events = subscription.poll(maxBatch);
            if (events.isEmpty() && !evenIfEmpty) {
                return;
            }
            answered = true;
            body = Batch.encode(events, subscription.cursor());
        }
        release();
        try {
            HttpServletResponse resp = (HttpServletResponse) async.getResponse();
            HttpTransports.writeJson(resp, body);
        } catch (IOException | RuntimeException e) {
            LOG.debug("Long-poll answer failed, client gone", e);
        } finally {
            complete();
        }
    }

    private void release() {
        subscription.close();
        parked.remove(this);
    }

    private void complete() {
        try {
            async.complete();
        } catch (IllegalStateException e) {
            // Completed by the container after an error.
        }
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        answerNow();
    }

    @Override
    public void onError(AsyncEvent event) {
        synchronized (this) {
            answered = true;
        }
        release();
        complete();
    }

    @Override
    public void onComplete(AsyncEvent event) {
        release();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
    }
}
