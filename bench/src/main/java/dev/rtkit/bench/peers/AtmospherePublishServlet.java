package dev.rtkit.bench.peers;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

/** {@code POST /publish/{topic}}: the body, as text, to {@code Broadcaster.broadcast} of {@code /<topic>}; 202. */
final class AtmospherePublishServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient ServletHolder atmosphere;
    private transient volatile Object factory;
    private final AtomicLong ids = new AtomicLong();

    AtmospherePublishServlet(ServletHolder atmosphere) {
        this.atmosphere = atmosphere;
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String topic = req.getPathInfo() == null ? "" : req.getPathInfo().substring(1);
        String message = new String(req.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        AtmosphereApi api = AtmosphereApi.get();
        try {
            api.broadcast(api.broadcaster(factory(), topic), message);
        } catch (Throwable e) {
            throw new IOException("broadcast failed", e);
        }
        byte[] body = ("{\"topic\":\"" + topic + "\",\"id\":\"" + ids.incrementAndGet() + "\"}").getBytes(StandardCharsets.UTF_8);
        resp.setStatus(HttpServletResponse.SC_ACCEPTED);
        resp.setContentType("application/json");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }

    private Object factory() throws Throwable {
        Object f = factory;
        if (f == null) {
            try {
                f = AtmosphereApi.get().factoryOf(atmosphere.getServlet());
            } catch (ServletException e) {
                throw new IOException(e);
            }
            factory = f;
        }
        return f;
    }
}
