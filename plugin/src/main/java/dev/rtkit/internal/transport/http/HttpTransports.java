package dev.rtkit.internal.transport.http;

import dev.rtkit.RtkitException;
import dev.rtkit.internal.hub.Hub;
import dev.rtkit.internal.transport.Guard;
import dev.rtkit.internal.transport.TransportOptions;
import dev.rtkit.internal.transport.command.CommandHandler;
import dev.rtkit.internal.transport.command.Poll;
import dev.rtkit.internal.transport.command.Subscribe;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP family of transports over one hub: each request is parsed into a typed command (publish, poll,
 * subscribe) that the {@link CommandHandler} checks and runs, as it does a WebSocket frame; publishing in
 * {@link HttpPublish}, poll, long-poll, NDJSON stream and SSE in {@link HttpSubscriptions}. Input problems
 * surface as {@link RtkitException}s for the edge to answer.
 */
public final class HttpTransports implements AutoCloseable {
    public static final String LAST_EVENT_ID = "Last-Event-ID";

    private final TransportOptions options;
    private final HttpSubscriptions subscriptions;
    private final HttpPublish publishes;

    public HttpTransports(Hub hub, TransportOptions options, Guard guard, CommandHandler commands,
                          ScheduledExecutorService scheduler) {
        this.options = options;
        this.subscriptions = new HttpSubscriptions(hub.metrics(), options, guard, commands, scheduler);
        this.publishes = new HttpPublish(hub.config().maxMessageSize(), guard, commands, scheduler);
        // Rate budgets of clients gone quiet are forgotten; a returning client starts with a full budget.
        scheduler.scheduleWithFixedDelay(guard::forgetQuietBudgets, 60, 60, TimeUnit.SECONDS);
    }

    /** True when the container sent its login challenge (401, with a JSON body). */
    static boolean challenged(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        return Challenge.sent(req, resp, "authentication required");
    }

    /** {@code POST publish/{topic}}: answers 202 {@code {"topic":"t","id":"…"}} (see {@link HttpPublish}). */
    public void publish(HttpServletRequest req, HttpServletResponse resp, String topic) throws IOException {
        publishes.publish(req, resp, topic);
    }

    /** {@code GET poll}: the batch after the cursor, at once. */
    public void poll(HttpServletRequest req, HttpServletResponse resp, List<String> topics, String since) throws IOException {
        subscriptions.poll(req, resp, new Poll(topics, since));
    }

    /** {@code GET longpoll}: the batch after the cursor, waiting for one up to the timeout. */
    public void longPoll(HttpServletRequest req, HttpServletResponse resp, List<String> topics, String since) throws IOException {
        subscriptions.longPoll(req, resp, new Subscribe(topics, since, true));
    }

    /** {@code GET stream}: NDJSON, kept open. */
    public void stream(HttpServletRequest req, HttpServletResponse resp, List<String> topics, String since) throws IOException {
        subscriptions.stream(req, resp, new NdjsonFraming(), new Subscribe(topics, since, true));
    }

    /** {@code GET sse}: {@code text/event-stream}, resuming from {@code Last-Event-ID} over {@code since}. */
    public void sse(HttpServletRequest req, HttpServletResponse resp, List<String> topics, String since) throws IOException {
        String lastEventId = req.getHeader(LAST_EVENT_ID);
        boolean json = "json".equals(req.getParameter("format"));
        subscriptions.stream(req, resp, new SseFraming(json, options.sseRetry().toMillis()),
                new Subscribe(topics, lastEventId != null && !lastEventId.isEmpty() ? lastEventId : since, true));
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
