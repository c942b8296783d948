package dev.rtkit.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** The JDK's {@code java.net.http.WebSocket} (HTTP/1.1 upgrade; it answers pings itself). */
public final class JdkWsClient extends WsClient {
    private final HttpClient http;
    private final WebSocket ws;

    private JdkWsClient(URI uri) throws Exception {
        this.http = HttpClient.newHttpClient();
        this.ws = http.newWebSocketBuilder().buildAsync(uri, new Listener()).get(10, TimeUnit.SECONDS);
    }

    public static JdkWsClient connect(URI uri) throws Exception {
        return new JdkWsClient(uri);
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                received(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            ended(statusCode, reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            ended(1006, String.valueOf(error));
        }
    }

    @Override
    public void send(String text) throws Exception {
        ws.sendText(text, true).get(5, TimeUnit.SECONDS);
    }

    @Override
    public void sendBinary(byte[] data) throws Exception {
        ws.sendBinary(ByteBuffer.wrap(data), true).get(5, TimeUnit.SECONDS);
    }

    /** The JDK does not expose the upgrade response (it only speaks HTTP/1.1 upgrades). */
    @Override
    public int upgradeStatus() {
        throw new UnsupportedOperationException("java.net.http.WebSocket does not expose the upgrade response");
    }

    @Override
    public void close() {
        if (!ws.isOutputClosed()) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        ws.abort();
    }
}
