package dev.rtkit.bench.peers;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The servlet {@code ReflectorServletProcessor} calls for each Atmosphere request under {@code /atmo/<topic>}:
 * a GET (or the WebSocket handshake) joins the topic's broadcaster and is suspended. Frames a WebSocket client
 * sends are ignored. Public with a no-argument constructor: Atmosphere instantiates it by name.
 */
public final class AtmosphereSubscribeServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Object resource = req.getAttribute(AtmosphereApi.RESOURCE_ATTRIBUTE);
        String topic = req.getPathInfo() == null ? "" : req.getPathInfo().replaceFirst("^/", "");
        if (resource == null || topic.isEmpty()) {
            resp.sendError(404);
            return;
        }
        try {
            AtmosphereApi.get().subscribe(resource, topic);
        } catch (Throwable e) {
            throw new IOException("subscribe failed", e);
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) {
        // A WebSocket text frame: subscribers send none that matter.
    }
}
