package dev.rtkit.bench.peers;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.cometd.bayeux.Promise;
import org.cometd.bayeux.server.BayeuxServer;
import org.cometd.bayeux.server.LocalSession;

/**
 * {@code POST /publish/{topic}} with a JSON object body: parsed (CometD publishes data objects, not raw text) and
 * published on {@code /t/<topic>} from one server-side {@link LocalSession}, CometD's way for an application to
 * broadcast; answered 202 like rtkit's publish.
 */
final class CometdPublishServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final transient BayeuxServer bayeux;
    private transient volatile LocalSession publisher;
    private final AtomicLong ids = new AtomicLong();

    CometdPublishServlet(BayeuxServer bayeux) {
        this.bayeux = bayeux;
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String topic = req.getPathInfo() == null ? "" : req.getPathInfo().substring(1);
        Map<?, ?> data;
        try {
            data = JSON.readValue(req.getInputStream(), Map.class);
        } catch (IOException e) {
            resp.sendError(400);
            return;
        }
        bayeux.createChannelIfAbsent(CometdPeer.channel(topic)).getReference().publish(session(), data, Promise.noop());
        byte[] body = ("{\"topic\":\"" + topic + "\",\"id\":\"" + ids.incrementAndGet() + "\"}").getBytes(StandardCharsets.UTF_8);
        resp.setStatus(HttpServletResponse.SC_ACCEPTED);
        resp.setContentType("application/json");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }

    private LocalSession session() {
        LocalSession s = publisher;
        if (s == null) {
            synchronized (this) {
                s = publisher;
                if (s == null) {
                    s = bayeux.newLocalSession("bench-publisher");
                    s.handshake();
                    publisher = s;
                }
            }
        }
        return s;
    }
}
