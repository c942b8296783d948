package dev.rtkit.client;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the rtkit servlet whose NDJSON streams go silent after their first heartbeat line, as a
 * connection does when a proxy or a dead network path swallows it: GET poll answers an empty batch, GET stream
 * sends one heartbeat and then nothing, holding the response open. Under /repeating/ the stream first sends
 * messages whose ids repeat.
 */
public final class SilentStreamServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final AtomicInteger STREAMS = new AtomicInteger();

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        if (path.equals("/poll")) {
            byte[] body = "{\"messages\":[],\"cursor\":\"aaaa-1\"}".getBytes(StandardCharsets.UTF_8);
            resp.setContentType("application/json");
            resp.getOutputStream().write(body);
            return;
        }
        if (!path.equals("/stream")) {
            resp.sendError(404);
            return;
        }
        STREAMS.incrementAndGet();
        resp.setContentType("application/x-ndjson");
        resp.getOutputStream().write("{\"type\":\"heartbeat\"}\n".getBytes(StandardCharsets.UTF_8));
        if (req.getServletPath().equals("/repeating")) {
            // The same ids again, as a buggy proxy or a replaying server would send them.
            for (int seq : new int[] {2, 3, 3, 2, 4, 1, 5}) {
                resp.getOutputStream().write(("{\"type\":\"message\",\"topic\":\"news\",\"id\":\"aaaa-" + seq
                        + "\",\"data\":{\"n\":" + seq + "}}\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        resp.flushBuffer();
        AsyncContext async = req.startAsync();
        async.setTimeout(0);
    }
}
