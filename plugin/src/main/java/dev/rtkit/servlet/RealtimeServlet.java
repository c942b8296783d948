package dev.rtkit.servlet;

import dev.rtkit.hub.HubException;
import dev.rtkit.transport.http.HttpTransports;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP edge, mapped at {@code /rt/*}:
 * <pre>
 * POST publish/{topic}          → 202 {"topic":"t","id":"…"}
 * GET  poll/{topic}?since=      → {"messages":[…],"cursor":"…"} at once
 * GET  longpoll/{topic}?since=  → the same, waiting for a message or the timeout
 * GET  stream/{topic}?since=    → application/x-ndjson, kept open
 * GET  sse/{topic}              → text/event-stream (Last-Event-ID or ?since=)
 * </pre>
 * Several topics: {@code ?topic=a&topic=b} in place of the path segment.
 */
public final class RealtimeServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RealtimeServlet.class);

    private transient Rtkit rtkit;
    private transient boolean ownsRtkit;

    @Override
    public void init() throws ServletException {
        rtkit = Rtkit.from(getServletContext());
        if (rtkit == null) {
            // No listener declared (metadata-complete web.xml without it): run the HTTP transports on our own.
            Map<String, String> params = new java.util.HashMap<>();
            getInitParameterNames().asIterator().forEachRemaining(n -> params.put(n, getInitParameter(n)));
            rtkit = Rtkit.start(getServletContext(), Settings.from(params),
                    RtkitListener.basePath(getServletContext().getServletRegistration(getServletName())));
            ownsRtkit = true;
            LOG.warn("rtkit started by its servlet: declare dev.rtkit.servlet.RtkitListener to enable WebSocket");
        }
    }

    @Override
    public void destroy() {
        if (ownsRtkit) {
            rtkit.stop(getServletContext());
        }
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            route(req, resp);
        } catch (HubException e) {
            Errors.send(resp, Errors.status(e), e.getMessage());
        } catch (IOException e) {
            LOG.debug("Client gone during {}", req.getRequestURI(), e);
        } catch (RuntimeException e) {
            LOG.error("Failed {} {}", req.getMethod(), req.getRequestURI(), e);
            Errors.send(resp, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "internal error");
        }
    }

    private void route(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? "" : req.getPathInfo();
        String rest = path.startsWith("/") ? path.substring(1) : path;
        int slash = rest.indexOf('/');
        String action = slash < 0 ? rest : rest.substring(0, slash);
        String topic = slash < 0 ? null : rest.substring(slash + 1);
        HttpTransports http = rtkit.http();
        if (action.equals("publish")) {
            if (!allow(req, resp, "POST")) {
                return;
            }
            if (topic == null || topic.isEmpty()) {
                throw bad("publish needs a topic: POST " + rtkit.basePath() + "/publish/{topic}");
            }
            http.publish(req, resp, topic);
            return;
        }
        if (action.equals("ws") && topic == null && rtkit.settings().enabled(Settings.Transport.WEBSOCKET)) {
            // A plain request reached the WebSocket path: the container upgrades only real handshakes.
            resp.setHeader("Upgrade", "websocket");
            Errors.send(resp, 426, "this is a WebSocket endpoint: open it with a WebSocket handshake");
            return;
        }
        Settings.Transport transport = Settings.Transport.byWireName(action);
        if (transport == null || transport == Settings.Transport.WEBSOCKET || !rtkit.settings().enabled(transport)) {
            Errors.send(resp, HttpServletResponse.SC_NOT_FOUND, action.isEmpty()
                    ? "no such endpoint: use publish, poll, longpoll, stream, sse or ws under " + rtkit.basePath()
                    : "no such endpoint or transport not enabled: '" + action + "'");
            return;
        }
        if (!allow(req, resp, "GET")) {
            return;
        }
        readParameters(req);
        List<String> topics = topics(req, topic);
        String since = req.getParameter("since");
        switch (transport) {
            case POLL -> http.poll(req, resp, topics, since);
            case LONGPOLL -> http.longPoll(req, resp, topics, since);
            case STREAM -> http.stream(req, resp, topics, since);
            case SSE -> http.sse(req, resp, topics, since);
            default -> throw new IllegalStateException(transport.toString());
        }
    }

    /**
     * Makes the container parse the query now, so a malformed one (bad percent-encoding, invalid UTF-8, too many
     * keys) is answered 400 here rather than failing deep inside a transport.
     */
    private static void readParameters(HttpServletRequest req) {
        try {
            req.getParameterMap();
        } catch (RuntimeException e) {
            throw bad("malformed query string: it must be UTF-8, percent-encoded, and not too long");
        }
    }

    private static List<String> topics(HttpServletRequest req, String pathTopic) {
        String[] params = req.getParameterValues("topic");
        boolean inPath = pathTopic != null && !pathTopic.isEmpty();
        if (inPath && params != null) {
            throw bad("give the topic in the path or as topic= parameters, not both");
        }
        if (inPath) {
            return List.of(pathTopic);
        }
        if (params == null) {
            throw bad("no topic given: add it to the path or as topic= parameters");
        }
        return Arrays.asList(params);
    }

    private static boolean allow(HttpServletRequest req, HttpServletResponse resp, String method) throws IOException {
        if (method.equals(req.getMethod())) {
            return true;
        }
        resp.setHeader("Allow", method);
        Errors.send(resp, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "method " + req.getMethod() + " not allowed here; use " + method);
        return false;
    }

    private static HubException bad(String message) {
        return new HubException(HubException.Kind.BAD_REQUEST, message);
    }
}
