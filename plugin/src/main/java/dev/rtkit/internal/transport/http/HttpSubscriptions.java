package dev.rtkit.internal.transport.http;

import dev.rtkit.Event;
import dev.rtkit.RtkitException;
import dev.rtkit.internal.hub.Hub;
import dev.rtkit.internal.hub.Subscription;
import dev.rtkit.internal.transport.Guard;
import dev.rtkit.Transport;
import dev.rtkit.internal.metrics.Closed;
import dev.rtkit.internal.metrics.Metrics;
import dev.rtkit.internal.transport.RequestCaller;
import dev.rtkit.internal.transport.TransportOptions;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The reading side of the HTTP family: poll at once, and the suspended exchanges (long-poll, NDJSON stream,
 * SSE). Topics refused inside a several-topic request are named in the answer; the others are served.
 */
final class HttpSubscriptions implements AutoCloseable {
    /** Output buffer of a stream or SSE response. UNIT: bytes. */
    static final int STREAM_BUFFER_BYTES = 4096;

    private final Hub hub;
    private final TransportOptions options;
    private final Guard guard;
    private final Exchanges exchanges;

    HttpSubscriptions(Hub hub, TransportOptions options, Guard guard, ScheduledExecutorService scheduler) {
        this.hub = hub;
        this.options = options;
        this.guard = guard;
        this.exchanges = new Exchanges(scheduler, options.heartbeatInterval());
    }

    void poll(HttpServletRequest req, HttpServletResponse resp, List<String> topics, String since) throws IOException {
        Admission admitted = admit(req, resp, topics, since, false);
        if (admitted == null) {
            return;
        }
        try (Subscription s = hub.poll(admitted.topics(), since)) {
            List<Event> events = s.poll(options.maxBatch());
            answered(opened(Transport.POLL, since), events, resp, Batch.encode(events, s.cursor(), admitted.refused()));
        }
    }

    void longPoll(HttpServletRequest req, HttpServletResponse resp, List<String> topics, String since) throws IOException {
        Admission admitted = admit(req, resp, topics, since, true);
        if (admitted == null) {
            return;
        }
        SuspendedExchange exchange = new SuspendedExchange(guard.open(req.getRemoteAddr()), exchanges,
                x -> new LongPollDelivery(x, options.maxBatch()));
        Subscription s = subscribe(req.getRemoteAddr(), exchange, admitted, since);
        Metrics.Connection meter = opened(Transport.LONGPOLL, since);
        List<Event> ready = s.poll(options.maxBatch());
        if (!ready.isEmpty() || !admitted.refused().isEmpty()) {
            // Refusals are told at once: the client stops asking for those topics and parks for the others.
            exchange.release();
            answered(meter, ready, resp, Batch.encode(ready, s.cursor(), admitted.refused()));
            return;
        }
        exchange.start(req.startAsync(), s, options.longPollTimeout().toMillis(), meter);
    }

    void stream(HttpServletRequest req, HttpServletResponse resp, Framing framing, List<String> topics, String since)
            throws IOException {
        Admission admitted = admit(req, resp, topics, since, true);
        if (admitted == null) {
            return;
        }
        byte[] opening = framing.opening(admitted.refused());
        SuspendedExchange exchange = new SuspendedExchange(guard.open(req.getRemoteAddr()), exchanges,
                x -> new StreamDelivery(x, framing, options.maxBatch(), opening));
        Subscription s = subscribe(req.getRemoteAddr(), exchange, admitted, since);
        Metrics.Connection meter = opened(framing instanceof SseFraming ? Transport.SSE : Transport.STREAM, since);
        try {
            resp.setStatus(HttpServletResponse.SC_OK);
            resp.setContentType(framing.contentType());
            resp.setHeader("Cache-Control", "no-cache, no-store");
            // Tells nginx-style proxies not to buffer the stream.
            resp.setHeader("X-Accel-Buffering", "no");
            // An open stream keeps its output buffer for life: the container's default (32 KiB in Jetty) per idle
            // connection. Events are flushed one batch at a time, and larger writes bypass the buffer anyway.
            resp.setBufferSize(STREAM_BUFFER_BYTES);
            // Streams live until the client leaves: no container timeout.
            exchange.start(req.startAsync(), s, 0, meter);
        } catch (IOException | RuntimeException e) {
            exchange.release();
            meter.closed(Closed.CLIENT);
            throw e;
        }
    }

    /** Counts a connection (and a resume when it came with a cursor) once it is subscribed. */
    private Metrics.Connection opened(Transport transport, String since) {
        if (since != null && !since.isEmpty()) {
            hub.metrics().resumed(transport);
        }
        return hub.metrics().open(transport);
    }

    /** Counts and writes an answer given at once (a poll, a long-poll with something waiting). */
    private static void answered(Metrics.Connection meter, List<Event> events, HttpServletResponse resp, byte[] body)
            throws IOException {
        meter.delivered(events);
        meter.sent(body.length);
        meter.closed(Closed.ANSWERED);
        HttpTransports.writeJson(resp, body);
    }

    /** The exchange's subscription; on failure the exchange's permit is returned. */
    private Subscription subscribe(String address, SuspendedExchange exchange, Admission admitted, String since) {
        try {
            return hub.subscribe(address, admitted.topics(), since, exchange);
        } catch (RuntimeException e) {
            exchange.release();
            throw e;
        }
    }

    /**
     * The topics served, or null when the container sent a login challenge: an anonymous caller refused a topic
     * is asked to authenticate where a login is configured.
     */
    private Admission admit(HttpServletRequest req, HttpServletResponse resp, List<String> topics, String since, boolean live)
            throws IOException {
        RequestCaller caller = new RequestCaller(req);
        if (guard.needsLogin(caller, false) && HttpTransports.challenged(req, resp)) {
            return null;
        }
        if (topics.size() > options.maxTopicsPerConnection()) {
            throw new RtkitException(RtkitException.Kind.BAD_REQUEST,
                    "too many topics: at most " + options.maxTopicsPerConnection() + " per connection");
        }
        try {
            return Admission.of(hub, guard, caller, topics, since, live);
        } catch (RtkitException e) {
            if (e.kind() == RtkitException.Kind.FORBIDDEN && caller.user() == null && HttpTransports.challenged(req, resp)) {
                return null;
            }
            throw e;
        }
    }

    /** Ends every stream cleanly and answers every parked long-poll, so clients reconnect elsewhere. */
    @Override
    public void close() {
        exchanges.close();
    }
}
