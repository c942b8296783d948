/**
 * What a client asks for, whatever the transport: the edge parses a request or a WebSocket frame into a typed
 * {@link dev.rtkit.internal.transport.command.Command} and one {@link dev.rtkit.internal.transport.command.CommandHandler}
 * runs it against the hub and the guard.
 */
package dev.rtkit.internal.transport.command;
