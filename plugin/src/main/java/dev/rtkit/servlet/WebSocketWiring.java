package dev.rtkit.servlet;

import jakarta.servlet.ServletContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Registers the WebSocket endpoint with the container's Jakarta WebSocket {@code ServerContainer}. */
final class WebSocketWiring {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketWiring.class);

    private WebSocketWiring() {
    }

    static void register(ServletContext context, Rtkit rtkit) {
        LOG.warn("WebSocket transport is not implemented yet; {}/ws is not available", rtkit.basePath());
    }
}
