package dev.rtkit.internal.metrics;

import java.util.Locale;

/** Why a connection ended: the {@code reason} tag of {@code rtkit.connections.closed}. */
public enum Closed {
    /** A poll or long-poll answered with messages. */
    ANSWERED,
    /** A long-poll answered empty at its timeout. */
    TIMEOUT,
    /** The client closed or went away (failed write, reset, WebSocket close from the peer). */
    CLIENT,
    /** The server stopped (streams ended, long-polls answered, WebSockets closed 1001). */
    SHUTDOWN,
    /** A WebSocket peer that stopped answering pings (1001). */
    HEARTBEAT,
    /** A WebSocket reader that stopped reading (1008). */
    SLOW,
    /** A WebSocket closed for breaking the rules: binary, too large, too many bad frames (1003, 1008, 1009). */
    POLICY,
    /** An internal error (1011). */
    ERROR;

    private final String tag = name().toLowerCase(Locale.ROOT);

    public String tag() {
        return tag;
    }

    /** The reason of a WebSocket the server closes with {@code code} and {@code text}. */
    public static Closed ofWebSocket(int code, String text) {
        return switch (code) {
            case 1001 -> text != null && text.startsWith("no pong") ? HEARTBEAT : SHUTDOWN;
            case 1011 -> ERROR;
            case 1008 -> text != null && text.startsWith("slow consumer") ? SLOW : POLICY;
            default -> POLICY;
        };
    }
}
