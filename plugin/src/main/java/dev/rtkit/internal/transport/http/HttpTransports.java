package dev.rtkit.internal.transport.http;

import dev.rtkit.internal.hub.Hub;
import dev.rtkit.RtkitException;
import dev.rtkit.Payload;
import dev.rtkit.internal.transport.Errors;
import jakarta.servlet.AsyncContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import dev.rtkit.Message;
import dev.rtkit.internal.transport.Guard;
import dev.rtkit.internal.transport.RequestCaller;
import dev.rtkit.internal.transport.TransportOptions;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP family of transports over one hub: publish here; poll, long-poll, NDJSON stream and SSE in
 * {@link HttpSubscriptions}. Input problems surface as {@link RtkitException}s for the edge to answer.
 */
public final class HttpTransports implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HttpTransports.class);
    public static final String LAST_EVENT_ID = "Last-Event-ID";

    private final Hub hub;
    private final TransportOptions options;
    private final Guard guard;
    private final HttpSubscriptions subscriptions;
    private final Map<String, Guard.RateLimit> publishRates = new ConcurrentHashMap<>();

    public HttpTransports(Hub hub, TransportOptions options, Guard guard, ScheduledExecutorService scheduler) {
        this.hub = hub;
        this.options = options;
        this.guard = guard;
        this.subscriptions = new HttpSubscriptions(hub, options, guard, scheduler);
        // Rate budgets of connections gone quiet are forgotten; a returning connection starts with a full budget.
        scheduler.scheduleWithFixedDelay(publishRates::clear, 60, 60, TimeUnit.SECONDS);
    }

    /**
     * Lets the container challenge for credentials when a role is required and none were sent.
     * Returns false when a challenge (401) was sent.
     */
    private boolean authenticated(HttpServletRequest req, HttpServletResponse resp, RequestCaller caller, boolean publish)
            throws IOException {
        return !guard.needsLogin(caller, publish) || !challenged(req, resp);
    }

    /** True when the container sent its login challenge (401, with a JSON body). */
    static boolean challenged(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        return Challenge.sent(req, resp, "authentication required");
    }

    /** {@code POST publish/{topic}}: answers 202 {@code {"topic":"t","id":"…"}}. */
    public void publish(HttpServletRequest req, HttpServletResponse resp, String topic) throws IOException {
        RequestCaller caller = new RequestCaller(req);
        if (!authenticated(req, resp, caller, true)) {
            return;
        }
        guard.checkPublish(caller, topic);
        guard.checkRate(publishRates.computeIfAbsent(caller.connection(), c -> guard.publishRate()), caller.address());
        String contentType = req.getContentType();
        boolean json = contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/json");
        String data = readBody(req);
        CompletableFuture<Message> published = hub.publish(topic, new Payload(data, json), queryParameter(req, "event"))
                .toCompletableFuture();
        if (published.isDone() && !published.isCompletedExceptionally()) {
            answerPublish(resp, published.getNow(null), null);
            return;
        }
        // A shared log acknowledges later: hold the request without a thread until it does.
        AsyncContext async = req.startAsync();
        async.setTimeout(0);
        published.whenComplete((m, failure) -> {
            try {
                answerPublish(resp, m, failure);
            } catch (IOException e) {
                LOG.debug("Client gone before its publish was answered", e);
            } finally {
                async.complete();
            }
        });
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
        writeJson(resp, ("{\"topic\":\"" + m.topic() + "\",\"id\":\"" + m.id() + "\"}").getBytes(StandardCharsets.UTF_8));
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

    private String readBody(HttpServletRequest req) throws IOException {
        int max = hub.config().maxMessageSize();
        long declared = req.getContentLengthLong();
        if (declared > max) {
            throw tooLarge(max);
        }
        byte[] body = req.getInputStream().readNBytes(max + 1);
        if (body.length > max) {
            throw tooLarge(max);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new RtkitException(RtkitException.Kind.BAD_REQUEST, "body is not valid UTF-8");
        }
    }

    private static RtkitException tooLarge(int max) {
        return new RtkitException(RtkitException.Kind.TOO_LARGE, "message is larger than " + max + " bytes");
    }

    /** {@code GET poll}: the batch after the cursor, at once. */
    public void poll(HttpServletRequest req, HttpServletResponse resp, List<String> topics, String since) throws IOException {
        subscriptions.poll(req, resp, topics, since);
    }

    /** {@code GET longpoll}: the batch after the cursor, waiting for one up to the timeout. */
    public void longPoll(HttpServletRequest req, HttpServletResponse resp, List<String> topics, String since) throws IOException {
        subscriptions.longPoll(req, resp, topics, since);
    }

    /** {@code GET stream}: NDJSON, kept open. */
    public void stream(HttpServletRequest req, HttpServletResponse resp, List<String> topics, String since) throws IOException {
        subscriptions.stream(req, resp, new NdjsonFraming(), topics, since);
    }

    /** {@code GET sse}: {@code text/event-stream}, resuming from {@code Last-Event-ID} over {@code since}. */
    public void sse(HttpServletRequest req, HttpServletResponse resp, List<String> topics, String since) throws IOException {
        String lastEventId = req.getHeader(LAST_EVENT_ID);
        boolean json = "json".equals(req.getParameter("format"));
        subscriptions.stream(req, resp, new SseFraming(json, options.sseRetry().toMillis()), topics,
                lastEventId != null && !lastEventId.isEmpty() ? lastEventId : since);
    }

    /** Ends every stream cleanly and answers every parked long-poll, so clients reconnect elsewhere. */
    @Override
    public void close() {
        subscriptions.close();
    }

    static void writeJson(HttpServletResponse resp, byte[] body) throws IOException {
        resp.setContentType("application/json");
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
