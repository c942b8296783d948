package dev.rtkit.internal.transport.http;

import dev.rtkit.Event;
import dev.rtkit.RtkitException;
import dev.rtkit.Transport;
import dev.rtkit.internal.hub.Subscription;
import dev.rtkit.internal.metrics.Closed;
import dev.rtkit.internal.metrics.Metrics;
import dev.rtkit.internal.transport.Guard;
import dev.rtkit.internal.transport.RequestCaller;
import dev.rtkit.internal.transport.TransportOptions;
import dev.rtkit.internal.transport.command.Admission;
import dev.rtkit.internal.transport.command.CommandHandler;
import dev.rtkit.internal.transport.command.Poll;
import dev.rtkit.internal.transport.command.Subscribe;
import dev.rtkit.internal.transport.command.Subscriptions;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * The reading side of the HTTP family: poll at once, and the suspended exchanges (long-poll, NDJSON stream,
 * SSE), each request one connection. The {@link CommandHandler} decides which topics are served; those refused
 * inside a several-topic request are named in the answer.
 */
final class HttpSubscriptions implements AutoCloseable {
    /** Output buffer of a stream or SSE response. UNIT: bytes. */
    static final int STREAM_BUFFER_BYTES = 4096;

    private final Metrics metrics;
    private final TransportOptions options;
    private final Guard guard;
    private final CommandHandler commands;
    private final Exchanges exchanges;

    HttpSubscriptions(Metrics metrics, TransportOptions options, Guard guard, CommandHandler commands,
                      ScheduledExecutorService scheduler) {
        this.metrics = metrics;
        this.options = options;
        this.guard = guard;
        this.commands = commands;
        this.exchanges = new Exchanges(scheduler, options.heartbeatInterval(), options.streamProbeInterval());
    }

    void poll(HttpServletRequest req, HttpServletResponse resp, Poll command) throws IOException {
        RequestCaller caller = new RequestCaller(req);
        Admission admitted = admit(req, resp, caller, () -> commands.admit(caller, command));
        if (admitted == null) {
            return;
        }
        Subscriptions held = new Subscriptions(Transport.POLL);
        Subscription s = commands.poll(admitted, held);
        List<Refusal> refused = refusals(admitted);
        if (s.decided().isDone()) {
            try {
                List<Event> events = s.poll(options.maxBatch());
                answered(metrics.open(Transport.POLL), events, resp, Batch.encode(events, s.cursor(), refused));
            } finally {
                held.closeAll();
            }
            return;
        }
        // The cursor is ahead of a shared log's view: suspended until the log has looked again.
        SuspendedExchange exchange;
        try {
            exchange = new SuspendedExchange(guard.open(caller.address()), held, exchanges,
                    x -> new CatchUpDelivery(x, options.maxBatch(), refused));
        } catch (RuntimeException e) {
            held.closeAll();
            throw e;
        }
        try {
            exchange.start(req.startAsync(), s, CatchUpDelivery.MAX_WAIT_MILLIS, metrics.open(Transport.POLL));
        } catch (IOException | RuntimeException e) {
            exchange.release();
            throw e;
        }
        s.decided().thenRun(exchange::onReadable);
    }

    void longPoll(HttpServletRequest req, HttpServletResponse resp, Subscribe command) throws IOException {
        RequestCaller caller = new RequestCaller(req);
        Admission admitted = admit(req, resp, caller, () -> commands.admit(caller, command));
        if (admitted == null) {
            return;
        }
        // Under load most long-polls find messages waiting: those are answered from a one-off read, without a
        // permit, a subscription or an exchange to set up and undo.
        CommandHandler.Ready now = commands.ready(admitted, options.maxBatch());
        if (now != null) {
            answered(metrics.open(Transport.LONGPOLL), now.events(), resp, Batch.encode(now.events(), now.cursor(),
                    refusals(admitted)));
            return;
        }
        SuspendedExchange exchange = new SuspendedExchange(guard.open(caller.address()),
                new Subscriptions(Transport.LONGPOLL), exchanges, x -> new LongPollDelivery(x, options.maxBatch()));
        Subscription s = subscribe(exchange, admitted);
        Metrics.Connection meter = metrics.open(Transport.LONGPOLL);
        List<Event> ready = s.poll(options.maxBatch());
        List<Refusal> refused = refusals(admitted);
        if (!ready.isEmpty() || !refused.isEmpty()) {
            // Refusals are told at once: the client stops asking for those topics and parks for the others.
            exchange.release();
            answered(meter, ready, resp, Batch.encode(ready, s.cursor(), refused));
            return;
        }
        exchange.start(req.startAsync(), s, options.longPollTimeout().toMillis(), meter);
    }

    void stream(HttpServletRequest req, HttpServletResponse resp, Framing framing, Subscribe command) throws IOException {
        RequestCaller caller = new RequestCaller(req);
        Admission admitted = admit(req, resp, caller, () -> commands.admit(caller, command));
        if (admitted == null) {
            return;
        }
        Transport transport = framing instanceof SseFraming ? Transport.SSE : Transport.STREAM;
        byte[] opening = framing.opening(refusals(admitted));
        SuspendedExchange exchange = new SuspendedExchange(guard.open(caller.address()), new Subscriptions(transport),
                exchanges, x -> new StreamDelivery(x, framing, options.maxBatch(), opening,
                        !options.streamProbeInterval().isZero() && StreamDelivery.needsProbes(req.getProtocol())));
        Subscription s = subscribe(exchange, admitted);
        Metrics.Connection meter = metrics.open(transport);
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

    /** Counts and writes an answer given at once (a poll, a long-poll with something waiting). */
    private static void answered(Metrics.Connection meter, List<Event> events, HttpServletResponse resp, byte[] body)
            throws IOException {
        meter.delivered(events);
        meter.sent(body.length);
        meter.closed(Closed.ANSWERED);
        HttpTransports.writeJson(resp, body);
    }

    /** The exchange's subscription, held by the exchange alone; on failure the exchange's permit is returned. */
    private Subscription subscribe(SuspendedExchange exchange, Admission admitted) {
        try {
            // Never null: the exchange has not started, so nothing has closed its holder.
            return commands.subscribe(admitted, exchange.held(), exchange);
        } catch (RuntimeException e) {
            exchange.release();
            throw e;
        }
    }

    /** How the wire names a topic the handler refused: the status a request for it alone would get. */
    private static List<Refusal> refusals(Admission admitted) {
        return admitted.refused().stream().map(r -> Refusal.of(r.topic(), r.reason())).toList();
    }

    /**
     * The handler's admission, or null when the container sent a login challenge: an anonymous caller refused a
     * topic is asked to authenticate where a login is configured.
     */
    private Admission admit(HttpServletRequest req, HttpServletResponse resp, RequestCaller caller, Supplier<Admission> admit)
            throws IOException {
        if (guard.needsLogin(caller, false) && HttpTransports.challenged(req, resp)) {
            return null;
        }
        try {
            return admit.get();
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
