package dev.rtkit.internal.transport.http;

import dev.rtkit.Event;
import dev.rtkit.internal.hub.Hub;
import dev.rtkit.RtkitException;
import dev.rtkit.Payload;
import dev.rtkit.internal.transport.Errors;
import dev.rtkit.Transport;
import dev.rtkit.internal.metrics.Closed;
import dev.rtkit.internal.metrics.Metrics;
import jakarta.servlet.AsyncContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import dev.rtkit.Message;
import dev.rtkit.internal.hub.Subscription;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP family of transports over one hub: publish, poll, long-poll, NDJSON stream and SSE.
 * Input problems surface as {@link RtkitException}s for the edge to answer.
 */
public final class HttpTransports implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HttpTransports.class);
    public static final String LAST_EVENT_ID = "Last-Event-ID";
    /** Output buffer of a stream or SSE response. UNIT: bytes. */
    static final int STREAM_BUFFER_BYTES = 4096;

    private final Hub hub;
    private final TransportOptions options;
    private final Guard guard;
    private final Streams streams;
    private final Set<LongPollExchange> parked = ConcurrentHashMap.newKeySet();
    private final Map<String, Guard.RateLimit> publishRates = new ConcurrentHashMap<>();

    public HttpTransports(Hub hub, TransportOptions options, Guard guard, ScheduledExecutorService scheduler) {
        this.hub = hub;
        this.options = options;
        this.guard = guard;
        this.streams = new Streams(scheduler, options.heartbeatInterval());
        // Rate budgets of connections gone quiet are forgotten; a returning connection starts with a full budget.
        scheduler.scheduleWithFixedDelay(publishRates::clear, 60, 60, TimeUnit.SECONDS);
    }

    /**
     * Lets the container challenge for credentials when a role is required and none were sent.
     * Returns false when a challenge (401) was sent.
     */
    private boolean authenticated(HttpServletRequest req, HttpServletResponse resp, RequestCaller caller, boolean publish)
            throws IOException {
        if (!guard.needsLogin(caller, publish)) {
            return true;
        }
        try {
            return req.authenticate(resp);
        } catch (ServletException e) {
            // No login configured for this application: the role check below refuses with 403.
            return true;
        }
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
        if (published.isDone()) {
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
        if (!mayRead(req, resp, topics)) {
            return;
        }
        checkTopicCount(topics);
        try (Subscription s = hub.poll(topics, since)) {
            List<Event> events = s.poll(options.maxBatch());
            byte[] body = Batch.encode(events, s.cursor());
            Metrics.Connection meter = opened(Transport.POLL, since);
            meter.delivered(events);
            meter.sent(body.length);
            meter.closed(Closed.ANSWERED);
            writeJson(resp, body);
        }
    }

    /** {@code GET longpoll}: the batch after the cursor, waiting for one up to the timeout. */
    public void longPoll(HttpServletRequest req, HttpServletResponse resp, List<String> topics, String since) throws IOException {
        if (!mayRead(req, resp, topics)) {
            return;
        }
        Guard.Permit permit = guard.open(req.getRemoteAddr());
        LongPollExchange exchange = new LongPollExchange(options.maxBatch(), parked, permit);
        Subscription s;
        try {
            s = subscribe(topics, since, exchange);
        } catch (RuntimeException e) {
            permit.close();
            throw e;
        }
        Metrics.Connection meter = opened(Transport.LONGPOLL, since);
        List<Event> ready = s.poll(options.maxBatch());
        if (!ready.isEmpty()) {
            s.close();
            permit.close();
            byte[] body = Batch.encode(ready, s.cursor());
            meter.delivered(ready);
            meter.sent(body.length);
            meter.closed(Closed.ANSWERED);
            writeJson(resp, body);
            return;
        }
        exchange.park(req.startAsync(), s, options.longPollTimeout().toMillis(), meter);
    }

    /** {@code GET stream}: NDJSON, kept open. */
    public void stream(HttpServletRequest req, HttpServletResponse resp, List<String> topics, String since) throws IOException {
        open(req, resp, Transport.STREAM, new NdjsonFraming(), topics, since);
    }

    /** {@code GET sse}: {@code text/event-stream}, resuming from {@code Last-Event-ID} over {@code since}. */
    public void sse(HttpServletRequest req, HttpServletResponse resp, List<String> topics, String since) throws IOException {
        String lastEventId = req.getHeader(LAST_EVENT_ID);
        boolean json = "json".equals(req.getParameter("format"));
        open(req, resp, Transport.SSE, new SseFraming(json, options.sseRetry().toMillis()), topics,
                lastEventId != null && !lastEventId.isEmpty() ? lastEventId : since);
    }

    private void open(HttpServletRequest req, HttpServletResponse resp, Transport transport, Framing framing,
                      List<String> topics, String since) throws IOException {
        if (!mayRead(req, resp, topics)) {
            return;
        }
        Guard.Permit permit = guard.open(req.getRemoteAddr());
        StreamingResponse stream = new StreamingResponse(framing, options.maxBatch(), streams, permit);
        Subscription s;
        try {
            s = subscribe(topics, since, stream);
        } catch (RuntimeException e) {
            permit.close();
            throw e;
        }
        Metrics.Connection meter = opened(transport, since);
        try {
            resp.setStatus(HttpServletResponse.SC_OK);
            resp.setContentType(framing.contentType());
            resp.setHeader("Cache-Control", "no-cache, no-store");
            // Tells nginx-style proxies not to buffer the stream.
            resp.setHeader("X-Accel-Buffering", "no");
            // An open stream keeps its output buffer for life: the container's default (32 KiB in Jetty) per idle
            // connection. Events are flushed one batch at a time, and larger writes bypass the buffer anyway.
            resp.setBufferSize(STREAM_BUFFER_BYTES);
            stream.start(req.startAsync(), s, meter);
        } catch (IOException | RuntimeException e) {
            s.close();
            permit.close();
            meter.closed(Closed.CLIENT);
            throw e;
        }
    }

    /** Counts a connection (and a resume when it came with a cursor) once it passed the guard. */
    private Metrics.Connection opened(Transport transport, String since) {
        if (since != null && !since.isEmpty()) {
            hub.metrics().resumed(transport);
        }
        return hub.metrics().open(transport);
    }

    private boolean mayRead(HttpServletRequest req, HttpServletResponse resp, List<String> topics) throws IOException {
        RequestCaller caller = new RequestCaller(req);
        if (!authenticated(req, resp, caller, false)) {
            return false;
        }
        guard.checkSubscribe(caller, topics);
        return true;
    }

    private Subscription subscribe(List<String> topics, String since, dev.rtkit.internal.hub.Subscriber subscriber) {
        checkTopicCount(topics);
        return hub.subscribe(topics, since, subscriber);
    }

    private void checkTopicCount(List<String> topics) {
        if (topics.size() > options.maxTopicsPerConnection()) {
            throw new RtkitException(RtkitException.Kind.BAD_REQUEST,
                    "too many topics: at most " + options.maxTopicsPerConnection() + " per connection");
        }
    }

    /** Ends every stream cleanly and answers every parked long-poll, so clients reconnect elsewhere. */
    @Override
    public void close() {
        streams.close();
        parked.forEach(LongPollExchange::answerNow);
    }

    static void writeJson(HttpServletResponse resp, byte[] body) throws IOException {
        resp.setContentType("application/json");
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
