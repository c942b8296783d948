package dev.rtkit.internal.transport.websocket;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rtkit.RtkitException;
import dev.rtkit.Payload;
import java.util.concurrent.CompletionException;
import dev.rtkit.Message;
import dev.rtkit.internal.hub.Subscription;
import dev.rtkit.spi.Caller;
import dev.rtkit.internal.transport.Guard;
import dev.rtkit.Transport;
import dev.rtkit.internal.metrics.Closed;
import dev.rtkit.internal.metrics.Metrics;
import dev.rtkit.internal.metrics.Rejection;
import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection: reads the client's JSON frames, holds its subscriptions, and sends through its
 * {@link Outbox}. Client frames:
 * <pre>
 * {"type":"subscribe","topic":"t"|"topics":["a","b"],"since":"&lt;cursor&gt;","ref":…}
 * {"type":"unsubscribe","topic":"t"|"topics":[…],"ref":…}
 * {"type":"publish","topic":"t","data":&lt;any JSON&gt;,"event":"e","ref":…}
 * </pre>
 */
public final class WebSocketConnection extends Endpoint {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketConnection.class);
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final int MAX_REF_LENGTH = 128;

    private final WebSocketTransport transport;
    private final Caller caller;
    private final Guard.RateLimit publishRate;
    private volatile Guard.Permit permit;
    private final List<Outbox.Feed> feeds = new ArrayList<>();
    private Session session;
    private Outbox outbox;
    private volatile long lastHeard = System.nanoTime();
    private int badFrames;
    private boolean released;
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
        session.addMessageHandler(String.class, this::onText);
        // Partial, so the first fragment of a binary message ends the connection before any is buffered.
        session.addMessageHandler(ByteBuffer.class, (MessageHandler.Partial<ByteBuffer>) (part, last) ->
                close(CloseCodes.CANNOT_ACCEPT, "binary frames are not accepted: send JSON text"));
        session.addMessageHandler(PongMessage.class, (MessageHandler.Whole<PongMessage>) pong -> heard());
        try {
            permit = transport.guard().open(caller.address());
        } catch (RtkitException e) {
            close(e.kind() == RtkitException.Kind.UNAVAILABLE ? CloseCodes.TRY_AGAIN_LATER : CloseCodes.VIOLATED_POLICY,
                    e.getMessage());
            return;
        }
        meter = transport.hub().metrics().open(Transport.WEBSOCKET);
        outbox.meter(meter);
        transport.hub().metrics().fallback(WebSocketTransport.fallbackReport(session), Transport.WEBSOCKET);
        transport.opened(this);
    }

    private void onText(String text) {
        heard();
        try {
            handle(text);
        } catch (RuntimeException e) {
            LOG.error("WebSocket frame failed", e);
            close(CloseCodes.UNEXPECTED_CONDITION, "internal error");
        }
    }

    private void handle(String text) {
        JsonNode frame;
        try {
            frame = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            transport.hub().metrics().rejected(Rejection.REQUEST);
            bad(null, "malformed JSON");
            return;
        }
        if (frame == null || !frame.isObject()) {
            transport.hub().metrics().rejected(Rejection.REQUEST);
            bad(null, "a frame is a JSON object with a \"type\"");
            return;
        }
        JsonNode ref = frame.get("ref");
        if (ref != null && !(ref.isTextual() && ref.textValue().length() <= MAX_REF_LENGTH) && !ref.isIntegralNumber()) {
            transport.hub().metrics().rejected(Rejection.REQUEST);
            bad(null, "ref must be a string of at most " + MAX_REF_LENGTH + " characters or an integer");
            return;
        }
        JsonNode type = frame.get("type");
        try {
            switch (type == null || !type.isTextual() ? "" : type.textValue()) {
                case "subscribe" -> subscribe(frame, ref);
                case "unsubscribe" -> unsubscribe(frame, ref);
                case "publish" -> publish(frame, ref);
                default -> {
                    transport.hub().metrics().rejected(Rejection.REQUEST);
                    bad(ref, type == null ? "missing \"type\": use subscribe, unsubscribe or publish"
                            : "unknown type " + type + ": use subscribe, unsubscribe or publish");
                }
            }
        } catch (RtkitException e) {
            transport.hub().metrics().rejected(e);
            switch (e.kind()) {
                case BAD_REQUEST, TOO_LARGE, FORBIDDEN -> bad(ref, e.getMessage());
                case LIMIT, TOO_MANY -> reply(Frames.error(e.getMessage(), ref));
                case UNAVAILABLE -> close(CloseCodes.GOING_AWAY, "server shutting down");
            }
        }
    }

    private void subscribe(JsonNode frame, JsonNode ref) {
        List<String> topics = topics(frame);
        String since = optionalText(frame, "since");
        transport.guard().checkSubscribe(caller, topics);
        synchronized (this) {
            if (released) {
                return;
            }
            Set<String> held = heldTopics();
            for (String t : topics) {
                if (held.contains(t)) {
                    throw bad("already subscribed to '" + t + "' on this connection");
                }
            }
            int max = transport.options().maxTopicsPerConnection();
            if (held.size() + new LinkedHashSet<>(topics).size() > max) {
                throw bad("too many topics: at most " + max + " per connection");
            }
            Subscription s = transport.hub().subscribe(topics, since, outbox::pump);
            if (since != null) {
                transport.hub().metrics().resumed(Transport.WEBSOCKET);
            }
            Outbox.Feed feed = new Outbox.Feed(s, s.topics().size() > 1);
            // The reply is queued before the feed is added, and replies go first: it precedes every message.
            reply(Frames.subscribed(s.topics(), s.cursor(), ref));
            feeds.add(feed);
            outbox.add(feed);
        }
    }

    private void unsubscribe(JsonNode frame, JsonNode ref) {
        List<String> topics = topics(frame);
        Set<String> released = new LinkedHashSet<>();
        synchronized (this) {
            for (Outbox.Feed feed : List.copyOf(feeds)) {
                List<String> of = feed.subscription().topics();
                if (of.stream().anyMatch(topics::contains)) {
                    // A subscribe with several topics ends as a whole; the reply names every topic released.
                    feed.subscription().close();
                    outbox.remove(feed);
                    feeds.remove(feed);
                    released.addAll(of);
                }
            }
        }
        if (released.isEmpty()) {
            throw bad("not subscribed to " + topics + " on this connection");
        }
        reply(Frames.unsubscribed(released, ref));
    }

    private void publish(JsonNode frame, JsonNode ref) {
        String topic = requiredText(frame, "topic");
        JsonNode data = frame.get("data");
        if (data == null) {
            throw bad("publish needs \"data\": any JSON value; a string is published as a string");
        }
        String event = optionalText(frame, "event");
        transport.guard().checkPublish(caller, topic);
        transport.guard().checkRate(publishRate, caller.address());
        Payload payload = data.isTextual() ? Payload.text(data.textValue()) : Payload.json(data.toString());
        transport.hub().publish(topic, payload, event).whenComplete((m, failure) -> {
            if (failure == null) {
                reply(Frames.ack(m, ref));
            } else {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                reply(Frames.error(cause instanceof RtkitException ? cause.getMessage()
                        : "the message log is unavailable; try again", ref));
            }
        });
    }

    private static List<String> topics(JsonNode frame) {
        JsonNode one = frame.get("topic");
        JsonNode many = frame.get("topics");
        if (one != null && many != null) {
            throw bad("give \"topic\" or \"topics\", not both");
        }
        if (one != null) {
            return List.of(requiredText(frame, "topic"));
        }
        if (many == null || !many.isArray() || many.isEmpty()) {
            throw bad("no topic given: add \"topic\":\"t\" or \"topics\":[\"a\",\"b\"]");
        }
        List<String> out = new ArrayList<>(many.size());
        for (JsonNode t : many) {
            if (!t.isTextual()) {
                throw bad("\"topics\" must be an array of strings");
            }
            out.add(t.textValue());
        }
        return out;
    }

    private static String requiredText(JsonNode frame, String field) {
        String value = optionalText(frame, field);
        if (value == null) {
            throw bad("\"" + field + "\" is required");
        }
        return value;
    }

    private static String optionalText(JsonNode frame, String field) {
        JsonNode node = frame.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw bad("\"" + field + "\" must be a string");
        }
        return node.textValue();
    }

    private Set<String> heldTopics() {
        Set<String> held = new LinkedHashSet<>();
        feeds.forEach(f -> held.addAll(f.subscription().topics()));
        return held;
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

    private static RtkitException bad(String message) {
        return new RtkitException(RtkitException.Kind.BAD_REQUEST, message);
    }

    private void heard() {
        lastHeard = System.nanoTime();
    }

    /** Called by the transport's timer every heartbeat interval: ping, or close a peer that stopped answering. */
    void heartbeat(long now, long intervalNanos) {
        if (now - lastHeard > 2 * intervalNanos) {
            close(CloseCodes.GOING_AWAY, "no pong: connection presumed dead");
        } else if (outbox.stalledFor(now) > 2 * intervalNanos) {
            close(CloseCodes.VIOLATED_POLICY, "slow consumer: not reading");
        } else {
            outbox.ping();
            // Browsers never see pings: a text heartbeat lets a page's watchdog tell a live connection from a dead one.
            if (!outbox.reply(Frames.HEARTBEAT)) {
                close(CloseCodes.VIOLATED_POLICY, "slow consumer: not reading");
            }
        }
    }

    private void sendFailed(Throwable failure) {
        if (failure instanceof RuntimeException) {
            LOG.error("WebSocket send failed", failure);
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
        List<Outbox.Feed> toClose;
        synchronized (this) {
            if (released) {
                return;
            }
            released = true;
            toClose = List.copyOf(feeds);
            feeds.clear();
        }
        if (outbox != null) {
            outbox.close();
        }
        toClose.forEach(f -> f.subscription().close());
        if (permit != null) {
            permit.close();
        }
        meter.closed(closing == null ? Closed.CLIENT : closing);
        transport.closed(this);
    }
}
