package dev.rtkit.internal.transport.websocket;

import jakarta.websocket.server.ServerEndpointConfig;
import dev.rtkit.internal.metrics.Metrics;
import dev.rtkit.internal.metrics.Rejection;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses a handshake from a foreign {@code Origin} before the upgrade (the container answers 403), and
 * makes one {@link WebSocketConnection} per accepted connection.
 */
final class OriginCheckingConfigurator extends ServerEndpointConfig.Configurator {
    private static final Logger LOG = LoggerFactory.getLogger(OriginCheckingConfigurator.class);

    private final OriginPolicy policy;
    private final Supplier<WebSocketConnection> connections;
    private final Metrics metrics;

    OriginCheckingConfigurator(OriginPolicy policy, Metrics metrics, Supplier<WebSocketConnection> connections) {
        this.policy = policy;
        this.metrics = metrics;
        this.connections = connections;
    }

    @Override
    public boolean checkOrigin(String originHeaderValue) {
        boolean ok = policy.allows(originHeaderValue, HandshakeAuthority.current());
        if (!ok) {
            metrics.rejected(Rejection.ORIGIN);
            LOG.debug("WebSocket refused: origin {} for {}", originHeaderValue, HandshakeAuthority.current());
        }
        return ok;
    }

    @Override
    public <T> T getEndpointInstance(Class<T> endpointClass) {
        return endpointClass.cast(connections.get());
    }
}
