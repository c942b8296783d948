package dev.rtkit.internal.transport.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rtkit.RtkitException;
import dev.rtkit.internal.hub.Subscription;
import dev.rtkit.internal.transport.Guard;
import dev.rtkit.Transport;
import dev.rtkit.internal.metrics.Closed;
import dev.rtkit.internal.metrics.Metrics;
import dev.rtkit.internal.metrics.Rejection;
import dev.rtkit.internal.transport.command.Command;
import dev.rtkit.internal.transport.command.CommandHandler;
import dev.rtkit.internal.transport.command.Publish;
import dev.rtkit.internal.transport.command.Subscribe;
import dev.rtkit.internal.transport.command.Subscriptions;
import dev.rtkit.internal.transport.command.Unsubscribe;
import dev.rtkit.spi.Caller;
import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection: its frames parsed by {@link FrameCodec} into commands run by the
 * {@link CommandHandler}, its subscriptions, its {@link Outbox} and its {@link Liveness}.
 */
public final class WebSocketConnection extends Endpoint {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketConnection.class);

    private final WebSocketTransport transport;
    private final Caller caller;
    private final Guard.RateLimit publishRate;
    private final Subscriptions subscriptions = new Subscriptions(Transport.WEBSOCKET);
    private volatile Guard.Permit permit;
    private Session session;
    private Outbox outbox;
    private volatile Liveness liveness;
    private int badFrames;
    private volatile Metrics.Connection meter = Metrics.Connection.NONE;
    /** Why the server closed, or null when the peer did. */
    private volatile Closed closing;

    WebSocketConnection(WebSocketTransport transport, Caller caller) {
        this.transport = transport;
        this.caller = caller;
        this.publishRate = transport.guard().publishRate();
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        this.session = session;
        session.setMaxTextMessageBufferSize(transport.maxFrameBytes());
        session.setMaxIdleTimeout(transport.idleTimeoutMillis());
        outbox = new Outbox(session, transport.options().maxBatch(), WebSocketTransport.MAX_PENDING_REPLIES,
                this::sendFailed);
        liveness = new Liveness(session, transport.options().heartbeatInterval().toNanos(), System.nanoTime());
        session.addMessageHandler(String.class, this::onText);
        // Partial, so the first fragment of a binary message ends the connection before any is buffered.
        session.addMessageHandler(ByteBuffer.class, (MessageHandler.Partial<ByteBuffer>) (part, last) ->
                close(CloseCodes.CANNOT_ACCEPT, "binary frames are not accepted: send JSON text"));
        session.addMessageHandler(PongMessage.class, (MessageHandler.Whole<PongMessage>) pong -> liveness.heard(System.nanoTime()));
        try {
            permit = transport.guard().open(caller.address());
        } catch (RtkitException e) {
            close(e.kind() == RtkitException.Kind.UNAVAILABLE ? CloseCodes.TRY_AGAIN_LATER : CloseCodes.VIOLATED_POLICY,
                    e.getMessage());
            return;
        }
        meter = transport.metrics().open(Transport.WEBSOCKET);
        outbox.meter(meter);
        transport.metrics().fallback(WebSocketTransport.fallbackReport(session), Transport.WEBSOCKET);
        transport.opened(this);
    }

    private void onText(String text) {
        liveness.heard(System.nanoTime());
        JsonNode ref = null;
        try {
            FrameCodec.Inbound in = FrameCodec.parse(text);
            ref = in.ref();
            run(in.command(), ref);
        } catch (FrameCodec.BadFrame e) {
            transport.metrics().rejected(Rejection.REQUEST);
            bad(e.ref(), e.getMessage());
        } catch (RtkitException e) {
            refused(e, ref);
        } catch (RuntimeException e) {
            transport.errors().error("websocket-frame", "WebSocket frame failed", e);
            close(CloseCodes.UNEXPECTED_CONDITION, "internal error");
        }
    }

    private void run(Command command, JsonNode ref) {
        CommandHandler handler = transport.commands();
        if (command instanceof Publish p) {
            handler.publish(caller, publishRate, p).whenComplete((m, failure) -> reply(failure == null
                    ? Frames.ack(m, ref) : Frames.error(CommandHandler.refusal(failure).getMessage(), ref)));
        } else if (command instanceof Subscribe s) {
            Subscription sub = handler.subscribe(caller, s, subscriptions, outbox::pump);
            if (sub != null) {
                // The reply is queued before the feed is added, and replies go first: it precedes every message.
                reply(Frames.subscribed(sub.topics(), sub.cursor(), ref));
                outbox.add(new Feeds.Feed(sub, sub.topics().size() > 1));
            }
        } else if (command instanceof Unsubscribe u) {
            Set<String> released = new LinkedHashSet<>();
            for (Subscription sub : handler.unsubscribe(u, subscriptions)) {
                outbox.remove(sub);
                released.addAll(sub.topics());
            }
            reply(Frames.unsubscribed(released, ref));
        }
    }

    private void refused(RtkitException e, JsonNode ref) {
        transport.metrics().rejected(e);
        switch (e.kind()) {
            case BAD_REQUEST, TOO_LARGE, FORBIDDEN -> bad(ref, e.getMessage());
            case LIMIT, TOO_MANY -> reply(Frames.error(e.getMessage(), ref));
            case UNAVAILABLE -> close(CloseCodes.GOING_AWAY, "server shutting down");
        }
    }

    /** An error frame for a frame the client got wrong; a client that keeps getting them wrong is closed. */
    private void bad(JsonNode ref, String message) {
        reply(Frames.error(message, ref));
        if (++badFrames >= WebSocketTransport.MAX_BAD_FRAMES) {
            close(CloseCodes.VIOLATED_POLICY, "too many invalid frames");
        }
    }

    private void reply(String text) {
        if (!outbox.reply(text)) {
            close(CloseCodes.VIOLATED_POLICY, "too many unread replies: read what the server sends");
        }
    }

    /** Called by the transport's timer every heartbeat interval; never waits on the peer. */
    void heartbeat(long now) {
        switch (liveness.beat(now, outbox.stalledFor(now))) {
            case SILENT -> close(CloseCodes.GOING_AWAY, "no pong: connection presumed dead");
            case STALLED -> close(CloseCodes.VIOLATED_POLICY, "slow consumer: not reading");
            // Browsers never see pings: a text heartbeat lets a page's watchdog tell a live connection from a dead one.
            case ALIVE -> reply(Frames.HEARTBEAT);
        }
    }

    private void sendFailed(Throwable failure) {
        if (failure instanceof RuntimeException) {
            transport.errors().error("websocket-send", "WebSocket send failed", failure);
            close(CloseCodes.UNEXPECTED_CONDITION, "internal error");
        } else {
            LOG.debug("WebSocket send failed, client gone", failure);
            release();
        }
    }

    /** Closes with a code; the subscriptions are released at once, not when the peer answers the close. */
    void close(CloseReason.CloseCode code, String reason) {
        if (closing == null) {
            closing = Closed.ofWebSocket(code.getCode(), reason);
        }
        release();
        try {
            // Jetty queues the close frame and returns: no wait on a peer that does not read.
            session.close(new CloseReason(code, reason));
        } catch (IOException | RuntimeException e) {
            LOG.debug("WebSocket close failed, client gone", e);
        }
    }

    @Override
    public void onClose(Session session, CloseReason closeReason) {
        release();
    }

    @Override
    public void onError(Session session, Throwable failure) {
        // Too-big frames, protocol errors and disconnects: the container closes with the right code.
        LOG.debug("WebSocket error", failure);
    }

    private void release() {
        if (!subscriptions.closeAll()) {
            return;
        }
        if (outbox != null) {
            outbox.close();
        }
        if (permit != null) {
            permit.close();
        }
        meter.closed(closing == null ? Closed.CLIENT : closing);
        transport.closed(this);
    }
}
