package dev.rtkit.internal.transport.http;

import dev.rtkit.Event;
import dev.rtkit.internal.hub.Hub;
import dev.rtkit.RtkitException;
import dev.rtkit.internal.transport.Errors;
import dev.rtkit.internal.hub.Subscription;
import dev.rtkit.internal.transport.Guard;
import dev.rtkit.internal.transport.RequestCaller;
import dev.rtkit.internal.transport.TransportOptions;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
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
    private final HttpPublish publishes;

    public HttpTransports(Hub hub, TransportOptions options, Guard guard, ScheduledExecutorService scheduler) {
        this.hub = hub;
        this.options = options;
        this.guard = guard;
        this.publishes = new HttpPublish(hub, guard, scheduler);
        this.streams = new Streams(scheduler, options.heartbeatInterval());
        // Rate budgets of clients gone quiet are forgotten; a returning client starts with a full budget.
        scheduler.scheduleWithFixedDelay(guard::forgetQuietBudgets, 60, 60, TimeUnit.SECONDS);
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

    /** {@code POST publish/{topic}}: answers 202 {@code {"topic":"t","id":"…"}} (see {@link HttpPublish}). */
    public void publish(HttpServletRequest req, HttpServletResponse resp, String topic) throws IOException {
        RequestCaller caller = new RequestCaller(req);
        if (!authenticated(req, resp, caller, true)) {
            return;
        }
        guard.checkPublish(caller, topic);
        publishes.publish(req, resp, topic, caller);
    }

    /** {@code GET poll}: the batch after the cursor, at once. */
    public void poll(HttpServletRequest req, HttpServletResponse resp, List<String> topics, String since) throws IOException {
        if (!mayRead(req, resp, topics)) {
            return;
        }
        checkTopicCount(topics);
        try (Subscription s = hub.poll(topics, since)) {
            writeJson(resp, Batch.encode(s.poll(options.maxBatch()), s.cursor()));
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
            s = subscribe(req, topics, since, exchange);
        } catch (RuntimeException e) {
            permit.close();
            throw e;
        }
        List<Event> ready = s.poll(options.maxBatch());
        if (!ready.isEmpty()) {
            s.close();
            permit.close();
            writeJson(resp, Batch.encode(ready, s.cursor()));
            return;
        }
        exchange.park(req.startAsync(), s, options.longPollTimeout().toMillis());
    }

    /** {@code GET stream}: NDJSON, kept open. */
    public void stream(HttpServletRequest req, HttpServletResponse resp, List<String> topics, String since) throws IOException {
        open(req, resp, new NdjsonFraming(), topics, since);
    }

    /** {@code GET sse}: {@code text/event-stream}, resuming from {@code Last-Event-ID} over {@code since}. */
    public void sse(HttpServletRequest req, HttpServletResponse resp, List<String> topics, String since) throws IOException {
        String lastEventId = req.getHeader(LAST_EVENT_ID);
        boolean json = "json".equals(req.getParameter("format"));
        open(req, resp, new SseFraming(json, options.sseRetry().toMillis()), topics,
                lastEventId != null && !lastEventId.isEmpty() ? lastEventId : since);
    }

    private void open(HttpServletRequest req, HttpServletResponse resp, Framing framing, List<String> topics, String since)
            throws IOException {
        if (!mayRead(req, resp, topics)) {
            return;
        }
        Guard.Permit permit = guard.open(req.getRemoteAddr());
        StreamingResponse stream = new StreamingResponse(framing, options.maxBatch(), streams, permit);
        Subscription s;
        try {
            s = subscribe(req, topics, since, stream);
        } catch (RuntimeException e) {
            permit.close();
            throw e;
        }
        try {
            resp.setStatus(HttpServletResponse.SC_OK);
            resp.setContentType(framing.contentType());
            resp.setHeader("Cache-Control", "no-cache, no-store");
            // Tells nginx-style proxies not to buffer the stream.
            resp.setHeader("X-Accel-Buffering", "no");
            // An open stream keeps its output buffer for life: the container's default (32 KiB in Jetty) per idle
            // connection. Events are flushed one batch at a time, and larger writes bypass the buffer anyway.
            resp.setBufferSize(STREAM_BUFFER_BYTES);
            stream.start(req.startAsync(), s);
        } catch (IOException | RuntimeException e) {
            s.close();
            permit.close();
            throw e;
        }
    }

    private boolean mayRead(HttpServletRequest req, HttpServletResponse resp, List<String> topics) throws IOException {
        RequestCaller caller = new RequestCaller(req);
        if (!authenticated(req, resp, caller, false)) {
            return false;
        }
        guard.checkSubscribe(caller, topics);
        return true;
    }

    private Subscription subscribe(HttpServletRequest req, List<String> topics, String since,
                                   dev.rtkit.internal.hub.Subscriber subscriber) {
        checkTopicCount(topics);
        // The address pays for topics the subscription makes (maxTopicsPerAddress).
        return hub.subscribe(req.getRemoteAddr(), topics, since, subscriber);
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
