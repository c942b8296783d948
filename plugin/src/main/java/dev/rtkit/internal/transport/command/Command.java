package dev.rtkit.internal.transport.command;

/** One thing a client asks for, parsed at the edge from an HTTP request or a WebSocket frame. */
public sealed interface Command permits Publish, Subscribe, Poll, Unsubscribe {
}
