package dev.rtkit.demo;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.PushBuilder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /push}: sends 103 Early Hints for the page's CSS and JS, pushes both with a PushBuilder when the client
 * allows push, then renders an inspector saying what happened for this very request. {@code ?hints=0} skips the
 * Early Hints, {@code ?push=0} the push; {@code ?think=N} (0–1000 ms) waits that long before the page itself, as a
 * server busy building it would, so what hints and push win during that time shows.
 */
public final class PushServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final List<String> ASSETS = List.of("/assets/site.css", "/assets/push.css", "/assets/push.js");
    static final long MAX_THINK_MILLIS = 1000;
    private static final String LINK = "</assets/site.css>; rel=preload; as=style, </assets/push.css>; rel=preload; as=style, "
            + "</assets/push.js>; rel=preload; as=script";

    private transient ScheduledExecutorService thinking;

    @Override
    public void init() {
        thinking = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-push-think");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void destroy() {
        thinking.shutdownNow();
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long think = think(request.getParameter("think"));
        if (think < 0) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            response.setContentType("application/json");
            response.getWriter().write("{\"error\":\"think must be a number of milliseconds from 0 to " + MAX_THINK_MILLIS + "\"}");
            return;
        }
        PageLoads loads = PageLoads.of(getServletContext());
        String load = loads.start();
        String self = request.getServletPath();
        loads.record(load, self, "asked");
        // Every asset URL of this load carries its id, so AssetTimingFilter can time the browser's requests for them.
        String suffix = "?load=" + load;
        boolean hints = !"0".equals(request.getParameter("hints"));
        if (hints) {
            response.setHeader("Link", LINK.replace("</", "<" + request.getContextPath() + "/").replace(">;", suffix + ">;"));
            // Jetty sends 103 as an interim response carrying the Link headers; the real answer follows.
            response.sendError(103);
            loads.record(load, self, "103 sent");
        }
        PushBuilder push = "0".equals(request.getParameter("push")) ? null : request.newPushBuilder();
        List<String> pushed = new ArrayList<>();
        if (push != null) {
            for (String asset : ASSETS) {
                push.path(request.getContextPath() + asset + suffix).push();
                pushed.add(asset);
            }
        }
        PushPage page = new PushPage(request, load, hints, pushVerdict(request, push != null, request.getParameter("push")),
                pushed, think);
        if (think == 0) {
            page.write(response);
            response.flushBuffer();
            loads.record(load, self, "sent");
            return;
        }
        // The "work" happens off the container's threads: the request is parked, not a thread put to sleep.
        AsyncContext async = request.startAsync();
        async.setTimeout(think + 10_000);
        thinking.schedule(() -> {
            try {
                page.write((HttpServletResponse) async.getResponse());
                async.getResponse().flushBuffer();
                loads.record(load, self, "sent");
            } catch (IOException | RuntimeException e) {
                getServletContext().log("push page: " + e.getMessage());
            } finally {
                async.complete();
            }
        }, think, TimeUnit.MILLISECONDS);
    }

    /** Milliseconds to think, or -1 when the parameter is not a number from 0 to {@value #MAX_THINK_MILLIS}. */
    static long think(String value) {
        if (value == null || value.isEmpty()) {
            return 0;
        }
        try {
            long millis = Long.parseLong(value);
            return millis >= 0 && millis <= MAX_THINK_MILLIS ? millis : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String pushVerdict(HttpServletRequest request, boolean allowed, String pushParam) {
        if (allowed) {
            return "allowed: this connection is HTTP/2 and the client did not send SETTINGS_ENABLE_PUSH=0";
        }
        if (!request.getProtocol().startsWith("HTTP/2")) {
            return "impossible: " + request.getProtocol() + " has no server push";
        }
        if ("0".equals(pushParam)) {
            return "not tried (?push=0)";
        }
        return "refused by the client: it sent SETTINGS_ENABLE_PUSH=0 (every current browser does)";
    }
}
