package dev.rtkit.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtkit.testing.Clients;
import dev.rtkit.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Publishing is refused to foreign origins (CSRF) under the WebSocket handshake's policy; allowed origins get CORS
 * answers on every transport, errors included. Browsers are in {@code ChromiumCrossOriginTest}; this is the wire.
 */
class CrossOriginTest {
    private static final String ALLOWED = "https://app.example";
    private static final String FOREIGN = "https://evil.example";

    private TestServer server;
    private HttpClient client;

    @BeforeEach
    void start() throws Exception {
        server = new TestServer().param("allowedOrigins", ALLOWED).start();
        client = Clients.HTTP_1_1.create();
    }

    @AfterEach
    void stop() throws Exception {
        client.stop();
        server.close();
    }

    private ContentResponse publish(Consumer<HttpFields.Mutable> headers) throws Exception {
        return client.newRequest(server.uri("/rt/publish/news")).method(HttpMethod.POST).headers(headers)
                .body(new StringRequestContent("text/plain", "x", StandardCharsets.UTF_8)).timeout(10, TimeUnit.SECONDS).send();
    }

    /** Messages published to news so far: one more publish, from a non-browser, tells by its id's seq. */
    private int published() throws Exception {
        String id = new com.fasterxml.jackson.databind.ObjectMapper().readTree(publish(h -> { }).getContentAsString())
                .get("id").asText();
        return Integer.parseInt(id.substring(id.lastIndexOf('-') + 1)) - 1;
    }

    @Test
    void aForeignPageCannotPublish() throws Exception {
        ContentResponse r = publish(h -> h.put("Origin", FOREIGN));
        assertEquals(403, r.getStatus(), r.getContentAsString());
        assertTrue(r.getContentAsString().contains("cross-origin request refused: origin https://evil.example"), r.getContentAsString());
        assertNull(r.getHeaders().get("Access-Control-Allow-Origin"));
        ContentResponse hidden = publish(h -> h.put("Sec-Fetch-Site", "cross-site"));
        assertEquals(403, hidden.getStatus(), hidden.getContentAsString());
        assertEquals(0, published());
    }

    @Test
    void nonBrowsersSameOriginAndAllowedOriginsPublish() throws Exception {
        assertEquals(202, publish(h -> { }).getStatus());
        assertEquals(202, publish(h -> h.put("Origin", server.uri().toString())).getStatus());
        assertEquals(202, publish(h -> h.put("Origin", server.uri().toString()).put("Sec-Fetch-Site", "same-origin")).getStatus());
        ContentResponse allowed = publish(h -> h.put("Origin", ALLOWED).put("Sec-Fetch-Site", "cross-site"));
        assertEquals(202, allowed.getStatus(), allowed.getContentAsString());
        assertEquals(ALLOWED, allowed.getHeaders().get("Access-Control-Allow-Origin"));
        assertEquals("true", allowed.getHeaders().get("Access-Control-Allow-Credentials"));
        assertTrue(allowed.getHeaders().getValuesList("Vary").contains("Origin"));
        assertEquals(4, published());
    }

    private ContentResponse preflight(String origin, String method) throws Exception {
        Request r = client.newRequest(server.uri("/rt/publish/news")).method(HttpMethod.OPTIONS)
                .headers(h -> h.put("Origin", origin).put("Access-Control-Request-Method", method)
                        .put("Access-Control-Request-Headers", "content-type"));
        return r.timeout(10, TimeUnit.SECONDS).send();
    }

    @Test
    void preflightsAreAnsweredForAllowedOriginsOnly() throws Exception {
        ContentResponse ok = preflight(ALLOWED, "POST");
        assertEquals(204, ok.getStatus(), ok.getContentAsString());
        assertEquals(ALLOWED, ok.getHeaders().get("Access-Control-Allow-Origin"));
        assertEquals("true", ok.getHeaders().get("Access-Control-Allow-Credentials"));
        assertTrue(ok.getHeaders().get("Access-Control-Allow-Methods").contains("POST"));
        assertTrue(ok.getHeaders().get("Access-Control-Allow-Headers").contains("Last-Event-ID"));
        assertTrue(ok.getHeaders().get("Access-Control-Allow-Headers").contains("Content-Type"));
        ContentResponse foreign = preflight(FOREIGN, "POST");
        assertEquals(403, foreign.getStatus());
        assertNull(foreign.getHeaders().get("Access-Control-Allow-Origin"));
    }

    @Test
    void everyAnswerToAnAllowedOriginCarriesCorsErrorsIncluded() throws Exception {
        for (String path : List.of("/rt/poll/news", "/rt/poll/bad%20topic", "/rt/nothing")) {
            ContentResponse r = client.newRequest(server.uri(path)).headers(h -> h.put("Origin", ALLOWED))
                    .timeout(10, TimeUnit.SECONDS).send();
            assertEquals(ALLOWED, r.getHeaders().get("Access-Control-Allow-Origin"), path + " " + r.getStatus());
            assertEquals("Origin", r.getHeaders().get("Vary"), path);
        }
        ContentResponse foreignRead = client.newRequest(server.uri("/rt/poll/news")).headers(h -> h.put("Origin", FOREIGN))
                .timeout(10, TimeUnit.SECONDS).send();
        assertEquals(200, foreignRead.getStatus(), "a read is answered; the browser withholds it from the page");
        assertNull(foreignRead.getHeaders().get("Access-Control-Allow-Origin"));
    }
}
