/** The transports: the HTTP family ({@code http}) and WebSocket ({@code websocket}), both over the hub. */
package dev.rtkit.internal.transport;
