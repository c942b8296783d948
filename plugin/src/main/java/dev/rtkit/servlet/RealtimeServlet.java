package dev.rtkit.servlet;

import dev.rtkit.internal.servlet.Engine;
import dev.rtkit.internal.servlet.HttpRouter;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The HTTP edge, mapped at {@code /rt/*}:
 * <pre>
 * POST publish/{topic}          → 202 {"topic":"t","id":"…"}
 * GET  poll/{topic}?since=      → {"messages":[…],"cursor":"…"} at once
 * GET  longpoll/{topic}?since=  → the same, waiting for a message or the timeout
 * GET  stream/{topic}?since=    → application/x-ndjson, kept open
 * GET  sse/{topic}              → text/event-stream (Last-Event-ID or ?since=)
 * </pre>
 * Several topics: {@code ?topic=a&topic=b} in place of the path segment. Its init-params are rtkit's settings.
 */
public final class RealtimeServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private transient HttpRouter router;

    @Override
    public void init() throws ServletException {
        router = Engine.startFor(getServletContext(), getServletConfig()).router();
    }

    @Override
    public void destroy() {
        Engine.stopIfStartedBy(getServletContext(), getServletConfig());
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        router.service(req, resp);
    }
}
