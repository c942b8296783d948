package dev.rtkit.bench.baseline;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/** A waiting long-poll: answered once, by the next publish or the timeout. */
final class ParkedPoll implements AsyncListener {
    private final Channel channel;
    private final AsyncContext async;
    private final long since;
    private final AtomicBoolean answered = new AtomicBoolean();

    ParkedPoll(Channel channel, AsyncContext async, long since) {
        this.channel = channel;
        this.async = async;
        this.since = since;
        async.addListener(this);
    }

    void answer() {
        if (answered.compareAndSet(false, true)) {
            try {
                BaselineServlet.writeJson((HttpServletResponse) async.getResponse(), channel.batchAfter(since, true));
            } catch (IOException | RuntimeException e) {
                // Client gone.
            }
            try {
                async.complete();
            } catch (IllegalStateException e) {
                // Completed after an error.
            }
        }
    }

    /** A publish between the first look and parking would otherwise go unnoticed until the timeout. */
    void answerIfReady() {
        if (channel.lastSeq() > since) {
            channel.parked.remove(this);
            answer();
        }
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        channel.parked.remove(this);
        answer();
    }

    @Override
    public void onError(AsyncEvent event) {
        answered.set(true);
        channel.parked.remove(this);
    }

    @Override
    public void onComplete(AsyncEvent event) {
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
    }
}
