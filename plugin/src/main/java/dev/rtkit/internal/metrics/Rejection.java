package dev.rtkit.internal.metrics;

import dev.rtkit.RtkitException;
import dev.rtkit.internal.hub.TopicName;
import java.util.Locale;

/** Why a request was refused: the {@code reason} tag of {@code rtkit.rejections}. */
public enum Rejection {
    /** A WebSocket handshake from a foreign {@code Origin}. */
    ORIGIN,
    /** Roles or the authorizer said no. */
    AUTH,
    /** Publishing faster than {@code maxPublishRate}. */
    RATE,
    /** A connection or topic limit. */
    LIMIT,
    /** A payload above {@code maxMessageBytes}. */
    PAYLOAD,
    /** An invalid topic name. */
    TOPIC,
    /** Any other malformed input: cursor, JSON, query, frame. */
    REQUEST,
    /** A {@code fallback=} report that was not understood (the request itself goes on). */
    FALLBACK;

    private final String tag = name().toLowerCase(Locale.ROOT);

    public String tag() {
        return tag;
    }

    /**
     * The reason for a refusal the edge caught, or null when it was counted where it was decided (the guard's
     * roles, rates and connection limits) or is no refusal of the client's request (shutting down, log down).
     */
    public static Rejection of(RtkitException e) {
        return switch (e.kind()) {
            case BAD_REQUEST -> TopicName.refused(e) ? TOPIC : REQUEST;
            case TOO_LARGE -> PAYLOAD;
            case LIMIT -> LIMIT;
            case FORBIDDEN, TOO_MANY, UNAVAILABLE -> null;
        };
    }
}
