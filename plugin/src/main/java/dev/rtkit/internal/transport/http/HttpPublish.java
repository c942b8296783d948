package dev.rtkit.internal.transport.http;

import dev.rtkit.Message;
import dev.rtkit.Payload;
import dev.rtkit.RtkitException;
import dev.rtkit.internal.hub.Hub;
import dev.rtkit.internal.transport.Errors;
import dev.rtkit.internal.transport.Guard;
import dev.rtkit.internal.transport.RequestCaller;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST publish/{topic}} once access was checked: the rate per connection and per address and the bodies
 * under way per address are bounded (429 + {@code Retry-After}); the body is read without holding a thread
 * ({@link PublishBody}: 408 when too slow, 413 when too large); the answer is 202 once the log holds the message.
 */
final class HttpPublish {
    private static final Logger LOG = LoggerFactory.getLogger(HttpPublish.class);

    private final Hub hub;
    private final Guard guard;
    private final ScheduledExecutorService scheduler;

    HttpPublish(Hub hub, Guard guard, ScheduledExecutorService scheduler) {
        this.hub = hub;
        this.guard = guard;
        this.scheduler = scheduler;
    }

    void publish(HttpServletRequest req, HttpServletResponse resp, String topic, RequestCaller caller) throws IOException {
        String address = caller.address();
        Runnable leave;
        try {
            guard.checkRate(guard.publishRate(caller.connection()), address);
            leave = guard.enterPublish(address);
        } catch (RtkitException e) {
            Errors.send(resp, Errors.status(e), e.getMessage(), 1);
            return;
        }
        try {
            readAndPublish(req, resp, topic, address, leave);
        } catch (IOException | RuntimeException e) {
            leave.run();
            throw e;
        }
    }

    private void readAndPublish(HttpServletRequest req, HttpServletResponse resp, String topic, String address, Runnable leave)
            throws IOException {
        int max = hub.config().maxMessageSize();
        long declared = req.getContentLengthLong();
        if (declared > max) {
            throw tooLarge(max);
        }
        String contentType = req.getContentType();
        boolean json = contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/json");
        String event = queryParameter(req, "event");
        Guard.PublishLimits limits = guard.limits().publish();
        AsyncContext async = req.startAsync();
        // A backstop only: the body watchdog answers first, and a log's acknowledgement is awaited without a timeout.
        async.setTimeout(0);
        PublishBody body = new PublishBody(req.getInputStream(), declared, max, limits, new PublishBody.Outcome() {
            @Override
            public void body(String text) {
                CompletableFuture<Message> published;
                try {
                    published = hub.publish(address, topic, new Payload(text, json), event).toCompletableFuture();
                } catch (RuntimeException e) {
                    published = CompletableFuture.failedFuture(e);
                }
                published.whenComplete((m, failure) -> answer(async, resp, leave, m, failure));
            }

            @Override
            public void refused(int status, RtkitException reason) {
                // The rest of the body stays unread: Jetty then does not reuse the connection.
                answer(async, resp, leave, null, new Refusal(status, reason));
            }

            @Override
            public void gone(Throwable cause) {
                LOG.debug("Client gone while sending a publish body", cause);
                leave.run();
                async.complete();
            }
        });
        body.start(scheduler);
    }

    /** A refusal with its own status (408, 413 from the body reader). */
    private static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        Refusal(int status, RtkitException reason) {
            super(reason.getMessage(), null, false, false);
            this.status = status;
        }
    }

    private static void answer(AsyncContext async, HttpServletResponse resp, Runnable leave, Message m, Throwable failure) {
        try {
            if (failure instanceof Refusal r) {
                Errors.send(resp, r.status, r.getMessage());
            } else {
                answerPublish(resp, m, failure);
            }
        } catch (IOException e) {
            LOG.debug("Client gone before its publish was answered", e);
        } catch (RuntimeException e) {
            LOG.error("Failed to answer a publish", e);
        } finally {
            leave.run();
            async.complete();
        }
    }

    private static void answerPublish(HttpServletResponse resp, Message m, Throwable failure) throws IOException {
        if (failure != null) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            RtkitException refusal = cause instanceof RtkitException r ? r
                    : new RtkitException(RtkitException.Kind.UNAVAILABLE, "the message log is unavailable; try again");
            Errors.send(resp, Errors.status(refusal), refusal.getMessage());
            return;
        }
        resp.setStatus(HttpServletResponse.SC_ACCEPTED);
        HttpTransports.writeJson(resp, ("{\"topic\":\"" + m.topic() + "\",\"id\":\"" + m.id() + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A parameter of the query string alone: {@code getParameter} would parse a form-encoded body as parameters
     * and leave nothing of it to publish.
     */
    private static String queryParameter(HttpServletRequest req, String name) {
        String query = req.getQueryString();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if ((eq < 0 ? pair : pair.substring(0, eq)).equals(name)) {
                try {
                    return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw new RtkitException(RtkitException.Kind.BAD_REQUEST, "malformed query string: '" + name + "' is not percent-encoded");
                }
            }
        }
        return null;
    }

    private static RtkitException tooLarge(int max) {
        return new RtkitException(RtkitException.Kind.TOO_LARGE, "message is larger than " + max + " bytes");
    }
}
