/** WebSocket at {@code <basePath>/ws}: JSON text frames over the Jakarta WebSocket API, origin-checked, non-blocking sends. */
package dev.rtkit.internal.transport.websocket;
