package dev.rtkit.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /demo/ws-protocol}: a WebSocket whose only message says how its handshake reached the server, e.g.
 * {@code {"protocol":"HTTP/2.0","method":"CONNECT","secure":true}} when a browser opened it inside an HTTP/2
 * connection (RFC 8441), or {@code "HTTP/1.1"} / {@code "GET"} for the classic Upgrade. A plain GET answers the same
 * JSON over HTTP.
 */
public final class WebSocketProtocolServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SEEN = "dev.rtkit.demo.seen";

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        // HttpServlet would answer an RFC 8441 CONNECT with 501: handle every method here.
        String seen = JSON.writeValueAsString(seen(request));
        ServerContainer container = (ServerContainer) getServletContext().getAttribute(ServerContainer.class.getName());
        if (request.getHeader("Sec-WebSocket-Version") == null || container == null) {
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            response.setHeader("Cache-Control", "no-store");
            response.getWriter().write(seen);
            return;
        }
        ServerEndpointConfig config = ServerEndpointConfig.Builder.create(Report.class, request.getServletPath()).build();
        config.getUserProperties().put(SEEN, seen);
        try {
            container.upgradeHttpToWebSocket(request, response, config, Map.of());
        } catch (DeploymentException e) {
            throw new ServletException(e);
        }
    }

    private static Map<String, Object> seen(HttpServletRequest request) {
        Map<String, Object> seen = new LinkedHashMap<>();
        seen.put("protocol", request.getProtocol());
        seen.put("method", request.getMethod());
        seen.put("secure", request.isSecure());
        seen.put("upgradeHeader", request.getHeader("Upgrade"));
        return seen;
    }

    /** Sends what the handshake looked like, then stays open until the client closes. */
    public static final class Report extends Endpoint {
        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.getAsyncRemote().sendText((String) config.getUserProperties().get(SEEN));
        }
    }
}
