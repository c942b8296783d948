package dev.rtkit.internal.servlet;


import dev.rtkit.RtkitException;
import dev.rtkit.internal.transport.Errors;
import dev.rtkit.internal.util.ErrorThrottle;
import dev.rtkit.Transport;
import dev.rtkit.internal.transport.http.CrossOrigin;
import dev.rtkit.internal.transport.http.HttpTransports;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Routes a request under the servlet's mapping to its transport; maps refusals to statuses in one place. */
public final class HttpRouter {
    private static final Logger LOG = LoggerFactory.getLogger(HttpRouter.class);

    /** The query parameter a client's report of why it came to this transport arrives in. */
    static final String FALLBACK = "fallback";

    private final Engine rtkit;
    private final CrossOrigin crossOrigin;
    /** A failure a client can trigger again and again must not fill the log: one line per minute. */
    private final ErrorThrottle errors = new ErrorThrottle(LOG);

    HttpRouter(Engine rtkit) {
        this.rtkit = rtkit;
        try {
            this.crossOrigin = new CrossOrigin(rtkit.settings().allowedOrigins());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid rtkit init-param " + Settings.ALLOWED_ORIGINS + "='"
                    + String.join(",", rtkit.settings().allowedOrigins()) + "': " + e.getMessage(), e);
        }
    }

    public void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            route(req, resp);
        } catch (RtkitException e) {
            rtkit.hub().metrics().rejected(e);
            Errors.send(resp, Errors.status(e), e.getMessage());
        } catch (IOException e) {
            LOG.debug("Client gone during {}", req.getRequestURI(), e);
        } catch (RuntimeException e) {
            errors.error("http-request", "Failed " + req.getMethod() + " " + req.getRequestURI(), e);
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
        crossOrigin.addHeaders(req, resp);
        if ("OPTIONS".equals(req.getMethod())) {
            crossOrigin.preflight(req, resp);
            return;
        }
        if (action.equals("publish")) {
            if (!allow(req, resp, "POST")) {
                return;
            }
            crossOrigin.checkWrite(req);
            if (topic == null || topic.isEmpty()) {
                throw bad("publish needs a topic: POST " + rtkit.basePath() + "/publish/{topic}");
            }
            http.publish(req, resp, topic);
            return;
        }
        if (action.equals("ws") && topic == null && rtkit.settings().enabled(Transport.WEBSOCKET)) {
            // A plain request reached the WebSocket path: the container upgrades only real handshakes.
            resp.setHeader("Upgrade", "websocket");
            Errors.send(resp, 426, "this is a WebSocket endpoint: open it with a WebSocket handshake");
            return;
        }
        Transport transport = Transport.byWireName(action);
        if (transport == null || transport == Transport.WEBSOCKET || !rtkit.settings().enabled(transport)) {
            Errors.send(resp, HttpServletResponse.SC_NOT_FOUND, action.isEmpty()
                    ? "no such endpoint: use publish, poll, longpoll, stream, sse or ws under " + rtkit.basePath()
                    : "no such endpoint or transport not enabled: '" + action + "'");
            return;
        }
        if (!allow(req, resp, "GET")) {
            return;
        }
        readParameters(req);
        rtkit.hub().metrics().fallback(req.getParameter(FALLBACK), transport);
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

    private static RtkitException bad(String message) {
        return new RtkitException(RtkitException.Kind.BAD_REQUEST, message);
    }
}
