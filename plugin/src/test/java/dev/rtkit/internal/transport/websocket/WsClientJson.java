package dev.rtkit.internal.transport.websocket;

import dev.rtkit.testing.WsClient;

/** Reads a frame's type for raw-socket tests. */
final class WsClientJson {
    private WsClientJson() {
    }

    static String type(String frame) throws Exception {
        return WsClient.parse(frame).path("type").asText();
    }
}
