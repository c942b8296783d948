package dev.rtkit.internal.metrics;

import dev.rtkit.Transport;
import java.util.Set;

/**
 * A client's report of why it came to this transport: {@code fallback=<from>.<reason>} on the first request of
 * the next transport (or the WebSocket handshake URL), e.g. {@code fallback=websocket.handshake}. {@code from} is
 * a wire name other than this transport, {@code reason} one of {@link #REASONS}; anything else is ignored.
 */
public record Fallback(Transport from, String reason) {
    /** handshake refused, open timeout, heartbeat silence, a proxy buffering a stream, any other error. */
    public static final Set<String> REASONS = Set.of("handshake", "timeout", "heartbeat", "buffering", "error");
    /** Longer reports are not parsed at all. UNIT: characters. */
    static final int MAX_LENGTH = 32;

    /** The report, or null when {@code value} is not one (absent, too long, unknown names, from == to). */
    public static Fallback parse(String value, Transport to) {
        if (value == null || value.length() > MAX_LENGTH) {
            return null;
        }
        int dot = value.indexOf('.');
        if (dot < 0) {
            return null;
        }
        Transport from = Transport.byWireName(value.substring(0, dot));
        String reason = value.substring(dot + 1);
        if (from == null || from == to || !REASONS.contains(reason)) {
            return null;
        }
        return new Fallback(from, reason);
    }
}
