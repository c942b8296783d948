package dev.rtkit.bench.baseline;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The baseline's HTTP transports at {@code /base/*}, in rtkit's wire shapes so one load generator drives both:
 * {@code POST publish/{topic}}, {@code GET poll|longpoll/{topic}?since=<seq>}, {@code GET stream|sse/{topic}}.
 */
public final class BaselineServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient BaselineHub hub;
    private final long longPollTimeoutMillis;

    public BaselineServlet(BaselineHub hub, long longPollTimeoutMillis) {
        this.hub = hub;
        this.longPollTimeoutMillis = longPollTimeoutMillis;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? "" : req.getPathInfo().substring(1);
        int slash = path.indexOf('/');
        if (slash < 0) {
            resp.sendError(404);
            return;
        }
        String action = path.substring(0, slash);
        Channel channel = hub.channel(path.substring(slash + 1));
        switch (action) {
            case "publish" -> publish(req, resp, channel);
            case "poll" -> writeJson(resp, channel.batchAfter(since(req, channel), true));
            case "longpoll" -> longPoll(req, resp, channel);
            case "sse" -> open(req, resp, channel, true);
            case "stream" -> open(req, resp, channel, false);
            default -> resp.sendError(404);
        }
    }

    private static void publish(HttpServletRequest req, HttpServletResponse resp, Channel channel) throws IOException {
        long seq = channel.publish(req.getInputStream().readAllBytes());
        resp.setStatus(HttpServletResponse.SC_ACCEPTED);
        writeJson(resp, ("{\"topic\":\"" + channel.topic + "\",\"id\":\"" + seq + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private void longPoll(HttpServletRequest req, HttpServletResponse resp, Channel channel) throws IOException {
        long since = since(req, channel);
        byte[] ready = channel.batchAfter(since, false);
        if (ready != null) {
            writeJson(resp, ready);
            return;
        }
        AsyncContext async = req.startAsync();
        async.setTimeout(longPollTimeoutMillis);
        ParkedPoll poll = new ParkedPoll(channel, async, since);
        channel.parked.add(poll);
        poll.answerIfReady();
    }

    private static void open(HttpServletRequest req, HttpServletResponse resp, Channel channel, boolean sse) throws IOException {
        resp.setStatus(200);
        resp.setContentType(sse ? "text/event-stream" : "application/x-ndjson");
        resp.setHeader("Cache-Control", "no-cache, no-store");
        AsyncContext async = req.startAsync();
        async.setTimeout(0);
        StreamSink sink = new StreamSink(channel, async, sse);
        channel.streams.add(sink);
        sink.send((sse ? "retry: 2000\n\n" : "{\"type\":\"heartbeat\"}\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static long since(HttpServletRequest req, Channel channel) {
        String since = req.getParameter("since");
        return since == null ? channel.lastSeq() : Long.parseLong(since);
    }

    static void writeJson(HttpServletResponse resp, byte[] body) throws IOException {
        resp.setContentType("application/json");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
