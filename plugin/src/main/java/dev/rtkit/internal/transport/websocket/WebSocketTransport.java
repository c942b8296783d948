package dev.rtkit.internal.transport.websocket;

import dev.rtkit.internal.hub.Hub;
import dev.rtkit.internal.util.ErrorThrottle;
import dev.rtkit.internal.transport.Guard;
import dev.rtkit.internal.transport.command.CommandHandler;
import dev.rtkit.internal.transport.TransportOptions;
import jakarta.servlet.Filter;
import jakarta.websocket.CloseReason.CloseCodes;
import dev.rtkit.internal.metrics.Metrics;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket transport over one hub: the endpoint configuration to register with the container's
 * {@code ServerContainer}, the filter that lets the origin check see the request's host, and one timer task
 * that pings every connection at the heartbeat interval (never waiting on any: see {@link Liveness}).
 *
 * <p>Close codes: 1001 server shutting down or no pong for two heartbeat intervals; 1003 binary frame;
 * 1008 {@value #MAX_BAD_FRAMES} invalid frames, too many unread replies, or a send or a ping stalled for two heartbeat
 * intervals; 1009 a frame larger than {@code maxMessageBytes} + {@value #FRAME_OVERHEAD} bytes;
 * 1011 internal error.
 */
public final class WebSocketTransport implements AutoCloseable {
    /** The transport's wire name, as in the {@code transports} init-param. */
    public static final String NAME = "websocket";
    /** Where the endpoint lives under the base path: {@code /rt/ws}. */
    public static final String PATH = "/ws";
    /** Room for the JSON around a payload in one publish frame. UNIT: bytes. */
    public static final int FRAME_OVERHEAD = 4096;
    /** Invalid frames a connection may send before it is closed with 1008. */
    public static final int MAX_BAD_FRAMES = 10;
    /** Replies (acks, errors) a client may leave unread before it is closed with 1008. */
    static final int MAX_PENDING_REPLIES = 1024;

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketTransport.class);

    private final Hub hub;
    private final TransportOptions options;
    private final OriginPolicy origins;
    private final Guard guard;
    private final CommandHandler commands;
    private final ErrorThrottle errors = new ErrorThrottle(LOG);
    private final Set<WebSocketConnection> connections = ConcurrentHashMap.newKeySet();
    private final ScheduledFuture<?> heartbeat;
    private volatile boolean closed;

    /** @throws IllegalArgumentException when an allowed origin is not an origin */
    public WebSocketTransport(Hub hub, TransportOptions options, Guard guard, CommandHandler commands,
                              ScheduledExecutorService timer) {
        this.hub = hub;
        this.options = options;
        this.guard = guard;
        this.origins = new OriginPolicy(options.allowedOrigins());
        this.commands = commands;
        long every = options.heartbeatInterval().toMillis();
        this.heartbeat = timer.scheduleWithFixedDelay(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
    }

    /** The endpoint at {@code path}, for {@code ServerContainer.addEndpoint}. */
    public ServerEndpointConfig endpointConfig(String path) {
        return ServerEndpointConfig.Builder.create(WebSocketConnection.class, path)
                .configurator(new OriginCheckingConfigurator(origins, hub.metrics(), () -> new WebSocketConnection(this, HandshakeAuthority.caller())))
                .build();
    }

    /**
     * Map at the endpoint's path, ahead of the container's upgrade filter: without it only non-browser
     * clients and allow-listed origins get in, as the same-origin check cannot see the request's host.
     */
    public Filter handshakeFilter() {
        return new HandshakeAuthority(guard);
    }

    /** True when {@code *} is allow-listed: any web page may connect. */
    public boolean allowsAnyOrigin() {
        return origins.allowsAny();
    }

    /** What connections count. */
    Metrics metrics() {
        return hub.metrics();
    }

    /** The {@code fallback=} report of the handshake URL, or null. */
    static String fallbackReport(Session session) {
        List<String> values = session.getRequestParameterMap().get("fallback");
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    CommandHandler commands() {
        return commands;
    }

    ErrorThrottle errors() {
        return errors;
    }

    Guard guard() {
        return guard;
    }

    TransportOptions options() {
        return options;
    }

    int maxFrameBytes() {
        return hub.config().maxMessageSize() + FRAME_OVERHEAD;
    }

    /** Long enough for pings to keep a live connection busy; a stalled write fails after it. */
    long idleTimeoutMillis() {
        return 3 * options.heartbeatInterval().toMillis();
    }

    void opened(WebSocketConnection c) {
        connections.add(c);
        if (closed) {
            c.close(CloseCodes.GOING_AWAY, "server shutting down");
        }
    }

    void closed(WebSocketConnection c) {
        connections.remove(c);
    }

    private void heartbeat() {
        long now = System.nanoTime();
        for (WebSocketConnection c : connections) {
            try {
                c.heartbeat(now);
            } catch (RuntimeException | Error e) {
                // One bad connection must not end the heartbeat of all the others: a task that throws never runs again.
                errors.error("websocket-heartbeat", "WebSocket heartbeat failed", e);
            }
        }
    }

    /** Closes every connection with 1001 so clients reconnect elsewhere, and stops the heartbeat. */
    @Override
    public void close() {
        closed = true;
        heartbeat.cancel(false);
        for (WebSocketConnection c : connections) {
            c.close(CloseCodes.GOING_AWAY, "server shutting down");
        }
    }
}
