package dev.rtkit.internal.transport.http;

import dev.rtkit.Message;
import dev.rtkit.Payload;
import dev.rtkit.RtkitException;
import dev.rtkit.internal.transport.Errors;
import dev.rtkit.internal.transport.Guard;
import dev.rtkit.internal.transport.RequestCaller;
import dev.rtkit.internal.transport.command.CommandHandler;
import dev.rtkit.internal.transport.command.Publish;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST publish/{topic}} parsed into a {@link Publish} command: the {@link CommandHandler} clears it (access,
 * topic name, rate: 403, 400, 429 + {@code Retry-After}) before the body is read, the bodies under way per address
 * are bounded (429 + {@code Retry-After}); the body is read without holding a thread ({@link PublishBody}: 408
 * when too slow, 413 when too large); the answer is 202 once the log holds the message.
 */
final class HttpPublish {
    private static final Logger LOG = LoggerFactory.getLogger(HttpPublish.class);

    private final int maxMessageSize;
    private final Guard guard;
    private final CommandHandler commands;
    private final ScheduledExecutorService scheduler;

    HttpPublish(int maxMessageSize, Guard guard, CommandHandler commands, ScheduledExecutorService scheduler) {
        this.maxMessageSize = maxMessageSize;
        this.guard = guard;
        this.commands = commands;
        this.scheduler = scheduler;
    }

    void publish(HttpServletRequest req, HttpServletResponse resp, String topic) throws IOException {
        RequestCaller caller = new RequestCaller(req);
        // A role is required and none was sent: the container challenges for credentials where a login is configured.
        if (guard.needsLogin(caller, true) && HttpTransports.challenged(req, resp)) {
            return;
        }
        CommandHandler.Cleared cleared;
        Runnable leave;
        try {
            cleared = commands.clear(caller, guard.publishRate(caller.connection()), topic);
            leave = guard.enterPublish(caller.address());
        } catch (RtkitException e) {
            refused(req, resp, caller, e);
            return;
        }
        try {
            readAndPublish(req, resp, topic, cleared, leave);
        } catch (IOException | RuntimeException e) {
            leave.run();
            throw e;
        }
    }

    private static void refused(HttpServletRequest req, HttpServletResponse resp, RequestCaller caller, RtkitException e)
            throws IOException {
        // Refused by the authorizer while anonymous: a login might change that, so ask for one where configured.
        if (e.kind() == RtkitException.Kind.FORBIDDEN && caller.user() == null && HttpTransports.challenged(req, resp)) {
            return;
        }
        if (e.kind() == RtkitException.Kind.TOO_MANY) {
            // A rate or the bodies under way: a second is enough for either to allow one more.
            Errors.send(resp, Errors.status(e), e.getMessage(), 1);
            return;
        }
        throw e;
    }

    private void readAndPublish(HttpServletRequest req, HttpServletResponse resp, String topic,
                                CommandHandler.Cleared cleared, Runnable leave) throws IOException {
        long declared = req.getContentLengthLong();
        if (declared > maxMessageSize) {
            throw new RtkitException(RtkitException.Kind.TOO_LARGE, "message is larger than " + maxMessageSize + " bytes");
        }
        String contentType = req.getContentType();
        boolean json = contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/json");
        String event = queryParameter(req, "event");
        AsyncContext async = req.startAsync();
        // A backstop only: the body watchdog answers first, and a log's acknowledgement is awaited without a timeout.
        async.setTimeout(0);
        PublishBody body = new PublishBody(req.getInputStream(), declared, maxMessageSize, guard.limits().publish(),
                new PublishBody.Outcome() {
            @Override
            public void body(String text) {
                CompletableFuture<Message> published;
                try {
                    published = commands.publish(cleared, new Publish(topic, new Payload(text, json), event)).toCompletableFuture();
                } catch (RuntimeException e) {
                    published = CompletableFuture.failedFuture(e);
                }
                published.whenComplete((m, failure) -> answer(async, resp, leave, m, failure));
            }

            @Override
            public void refused(int status, RtkitException reason) {
                // The rest of the body stays unread: Jetty then does not reuse the connection.
                answer(async, resp, leave, null, new BodyRefused(status, reason));
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
    private static final class BodyRefused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        BodyRefused(int status, RtkitException reason) {
            super(reason.getMessage(), null, false, false);
            this.status = status;
        }
    }

    private static void answer(AsyncContext async, HttpServletResponse resp, Runnable leave, Message m, Throwable failure) {
        try {
            if (failure instanceof BodyRefused r) {
                Errors.send(resp, r.status, r.getMessage());
            } else if (failure != null) {
                RtkitException refusal = CommandHandler.refusal(failure);
                Errors.send(resp, Errors.status(refusal), refusal.getMessage());
            } else {
                resp.setStatus(HttpServletResponse.SC_ACCEPTED);
                HttpTransports.writeJson(resp, ("{\"topic\":\"" + m.topic() + "\",\"id\":\"" + m.id() + "\"}")
                        .getBytes(StandardCharsets.UTF_8));
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
}
