package dev.rtkit.testing;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/** Jetty's WebSocketClient over a given HttpClient (HTTP/1.1 upgrade, or RFC 8441 over HTTP/2). */
public final class JettyWsClient extends WsClient {
    private final WebSocketClient client;
    private final Session session;

    private JettyWsClient(WebSocketClient client, URI uri, Map<String, String> headers) throws Exception {
        this.client = client;
        ClientUpgradeRequest request = new ClientUpgradeRequest();
        headers.forEach(request::setHeader);
        this.session = client.connect(new Listener(), uri, request).get(10, TimeUnit.SECONDS);
    }

    /** Connects over the transport of {@code clients} (HTTP/1.1 or h2c). */
    public static JettyWsClient connect(Clients clients, URI uri, Map<String, String> headers) throws Exception {
        HttpClient http = clients.create();
        WebSocketClient ws = new WebSocketClient(http);
        ws.start();
        try {
            return new JettyWsClient(ws, uri, headers);
        } catch (Exception | AssertionError e) {
            ws.stop();
            http.stop();
            throw e;
        }
    }

    public static JettyWsClient connect(URI uri) throws Exception {
        return connect(Clients.HTTP_1_1, uri, Map.of());
    }

    /** Public: Jetty invokes listener methods through method handles. */
    public final class Listener implements Session.Listener.AutoDemanding {
        @Override
        public void onWebSocketText(String message) {
            received(message);
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            ended(statusCode, reason);
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            ended(1006, String.valueOf(cause));
        }
    }

    @Override
    public void send(String text) throws Exception {
        Callback.Completable done = new Callback.Completable();
        session.sendText(text, done);
        done.get(5, TimeUnit.SECONDS);
    }

    @Override
    public void sendBinary(byte[] data) throws Exception {
        Callback.Completable done = new Callback.Completable();
        session.sendBinary(ByteBuffer.wrap(data), done);
        done.get(5, TimeUnit.SECONDS);
    }

    @Override
    public int upgradeStatus() {
        return session.getUpgradeResponse().getStatusCode();
    }

    public Session session() {
        return session;
    }

    /** Drops the TCP connection without a close handshake, as a crashed client would. */
    public void disconnect() {
        session.disconnect();
    }

    @Override
    public void close() throws Exception {
        try {
            if (session.isOpen()) {
                session.close();
            }
        } finally {
            HttpClient http = client.getHttpClient();
            client.stop();
            http.stop();
        }
    }
}
