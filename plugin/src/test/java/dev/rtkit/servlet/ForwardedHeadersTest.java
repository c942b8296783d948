package dev.rtkit.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rtkit.testing.Clients;
import dev.rtkit.testing.LineStream;
import dev.rtkit.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Behind a reverse proxy: with the container configured for forwarded headers (Jetty's
 * {@link ForwardedRequestCustomizer}, the {@code http-forwarded} module), limits count the client's address and
 * the origin check sees the public host; without it the headers are ignored, so no client can spoof them.
 */
class ForwardedHeadersTest {
    private TestServer server;
    private HttpClient client;
    private final List<LineStream> open = new ArrayList<>();

    private void start(boolean forwarded) throws Exception {
        server = new TestServer().param("maxConnectionsPerAddress", 1).param("allowedOrigins", "");
        if (forwarded) {
            server.setup((s, context) -> s.getConnectors()[0].getConnectionFactory(HttpConnectionFactory.class)
                    .getHttpConfiguration().addCustomizer(new ForwardedRequestCustomizer()));
        }
        server.start();
        client = Clients.HTTP_1_1.create();
    }

    @AfterEach
    void stop() throws Exception {
        open.forEach(LineStream::close);
        client.stop();
        server.close();
    }

    /** The status of a stream opened as the proxy would for a client at {@code clientAddress}. */
    private int streamFrom(String clientAddress) throws Exception {
        LineStream s = LineStream.open(client, server.uri("/rt/stream/news"), r -> r.headers(h -> h.put("X-Forwarded-For", clientAddress)));
        open.add(s);
        return s.response().getStatus();
    }

    @Test
    void twoClientsBehindOneProxyGetTheirOwnBuckets() throws Exception {
        start(true);
        assertEquals(200, streamFrom("203.0.113.1"));
        assertEquals(200, streamFrom("203.0.113.2"));
        assertEquals(429, streamFrom("203.0.113.1"));
    }

    @Test
    void forwardedHeadersAreIgnoredWhenNotConfigured() throws Exception {
        start(false);
        assertEquals(200, streamFrom("203.0.113.1"));
        assertEquals(429, streamFrom("203.0.113.2"), "a spoofed X-Forwarded-For does not buy a new bucket");
    }

    private ContentResponse publishThroughProxy(String origin) throws Exception {
        // The proxy rewrote Host to the backend's and says what the browser addressed.
        return client.newRequest(server.uri("/rt/publish/news")).method(HttpMethod.POST)
                .headers(h -> h.put("Origin", origin).put("X-Forwarded-Host", "rt.example.com").put("X-Forwarded-Proto", "https"))
                .body(new StringRequestContent("text/plain", "x", StandardCharsets.UTF_8)).timeout(10, TimeUnit.SECONDS).send();
    }

    @Test
    void theOriginCheckSeesThePublicHostBehindAProxyThatRewritesHost() throws Exception {
        start(true);
        assertEquals(202, publishThroughProxy("https://rt.example.com").getStatus());
        assertEquals(403, publishThroughProxy("https://evil.example").getStatus());
    }

    @Test
    void withoutForwardedHeadersConfiguredThePublicOriginIsForeign() throws Exception {
        start(false);
        assertEquals(403, publishThroughProxy("https://rt.example.com").getStatus());
        assertEquals(false, handshakeThroughProxy("https://rt.example.com"));
    }

    /** True when a WebSocket handshake as the proxy forwards it (Host rewritten, X-Forwarded-Host kept) opens. */
    private boolean handshakeThroughProxy(String origin) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        try {
            http.newWebSocketBuilder().header("Origin", origin).header("X-Forwarded-Host", "rt.example.com")
                    .header("X-Forwarded-Proto", "https")
                    .buildAsync(java.net.URI.create("ws://127.0.0.1:" + server.port() + "/rt/ws"), new java.net.http.WebSocket.Listener() { })
                    .get(10, TimeUnit.SECONDS).abort();
            return true;
        } catch (java.util.concurrent.ExecutionException e) {
            return false;
        }
    }

    @Test
    void theWebSocketOriginCheckSeesThePublicHostBehindAProxy() throws Exception {
        start(true);
        assertEquals(true, handshakeThroughProxy("https://rt.example.com"));
        assertEquals(false, handshakeThroughProxy("https://evil.example"));
    }
}
