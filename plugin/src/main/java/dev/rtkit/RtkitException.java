package dev.rtkit;

/**
 * A request the hub refuses. The {@link Kind} tells the edge how to answer (HTTP status, close code);
 * the message is safe to show to the client.
 */
public final class RtkitException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why the hub refused. */
    public enum Kind {
        /** Malformed input: a topic name, a cursor, a payload. */
        BAD_REQUEST,
        /** A payload above the configured maximum size. */
        TOO_LARGE,
        /** A count limit of the hub (topics held) would be exceeded. */
        LIMIT,
        /** The caller is not allowed to do this (authorisation). */
        FORBIDDEN,
        /** The caller goes too fast (publish rate). */
        TOO_MANY,
        /** The server is at capacity (connections) or shutting down: try again later, elsewhere. */
        UNAVAILABLE
    }

    private final Kind kind;

    public RtkitException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
