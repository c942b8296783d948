package dev.rtkit.internal.servlet;

import dev.rtkit.internal.transport.websocket.WebSocketTransport;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import java.util.EnumSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the WebSocket endpoint at {@code <basePath>/ws} with the container's Jakarta WebSocket
 * {@code ServerContainer}, found in the standard ServletContext attribute. A container without WebSocket
 * support gets one WARN and runs the HTTP transports alone.
 */
final class WebSocketWiring {
    /** The standard attribute holding the {@link ServerContainer}. */
    static final String SERVER_CONTAINER = ServerContainer.class.getName();
    static final String FILTER_NAME = "rtkit-websocket-handshake";

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketWiring.class);

    private WebSocketWiring() {
    }

    static void register(ServletContext context, Engine rtkit) {
        String path = rtkit.basePath() + WebSocketTransport.PATH;
        if (!(context.getAttribute(SERVER_CONTAINER) instanceof ServerContainer container)) {
            LOG.warn("No Jakarta WebSocket ServerContainer in this context: {} is not available "
                    + "(enable the container's WebSocket support, e.g. Jetty's ee10-websocket-jakarta module)", path);
            return;
        }
        WebSocketTransport ws;
        try {
            ws = new WebSocketTransport(rtkit.hub(), rtkit.transportOptions(), rtkit.guard(), rtkit.commands(), rtkit.timer());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid rtkit init-param " + Settings.ALLOWED_ORIGINS + "='"
                    + String.join(",", rtkit.settings().allowedOrigins()) + "': " + e.getMessage(), e);
        }
        rtkit.onStop(ws::close);
        mapHandshakeFilter(context, ws, path);
        try {
            container.addEndpoint(ws.endpointConfig(path));
        } catch (DeploymentException e) {
            throw new IllegalStateException("Cannot register the rtkit WebSocket endpoint at " + path + ": " + e.getMessage(), e);
        }
        if (ws.allowsAnyOrigin()) {
            LOG.warn("{}={} lets any web page open {} with its visitors' cookies", Settings.ALLOWED_ORIGINS,
                    rtkit.settings().allowedOrigins(), path);
        }
    }

    private static void mapHandshakeFilter(ServletContext context, WebSocketTransport ws, String path) {
        try {
            FilterRegistration.Dynamic filter = context.addFilter(FILTER_NAME, ws.handshakeFilter());
            if (filter != null) {
                filter.setAsyncSupported(true);
                // Before every declared filter, so before the container's upgrade filter too.
                filter.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, path);
                return;
            }
        } catch (IllegalStateException | UnsupportedOperationException e) {
            LOG.debug("Cannot add the handshake filter", e);
        }
        LOG.warn("Cannot map the rtkit handshake filter at {}: same-origin pages are refused; "
                + "list them in {}", path, Settings.ALLOWED_ORIGINS);
    }
}
