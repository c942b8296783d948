package dev.rtkit.bench.load;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.Request;

/**
 * Poll or long-poll: a first poll learns the cursor (ready for poll); then each answer's cursor is sent back
 * at once (long-poll: ready once the first long-poll is sent) or after the poll interval.
 */
final class PollSubscriber extends Settling {
    private final LineBuffer body = new LineBuffer();
    private final boolean longPoll;
    private volatile Request request;

    PollSubscriber(Group group) {
        super(group);
        this.longPoll = group.transport == Transport.LONGPOLL;
    }

    @Override
    public void open() {
        send(url("poll"), true);
    }

    private void next(String cursor) {
        if (group.closing()) {
            return;
        }
        String url = url(longPoll ? "longpoll" : "poll") + "?since=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8);
        if (longPoll) {
            send(url, false);
        } else {
            group.timer.schedule(() -> send(url, false), group.pollMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void send(String url, boolean first) {
        if (group.closing()) {
            return;
        }
        group.probe.request();
        Request r = group.http.newRequest(url)
                .idleTimeout(120, TimeUnit.SECONDS)
                .onResponseContent((response, buf) -> body.append(buf));
        if (longPoll && !first) {
            r.onRequestSuccess(req -> ready());
        }
        request = r;
        r.send(result -> {
            String cursor = result.isSucceeded() && result.getResponse().getStatus() == 200 ? body.scanAll(group.probe) : null;
            body.clear();
            if (cursor == null) {
                failed();
                return;
            }
            if (first && !longPoll) {
                // Spread the pollers over the interval rather than polling in lockstep.
                group.timer.schedule(() -> {
                    ready();
                    next(cursor);
                }, ThreadLocalRandom.current().nextLong(group.pollMillis), TimeUnit.MILLISECONDS);
                return;
            }
            next(cursor);
        });
    }

    @Override
    public void close() {
        Request r = request;
        if (r != null) {
            r.abort(new java.io.IOException("closed"));
        }
    }
}
