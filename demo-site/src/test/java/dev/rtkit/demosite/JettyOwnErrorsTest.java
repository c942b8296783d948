package dev.rtkit.demosite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What Jetty itself refuses before rtkit sees the request (headers too large, a URI too long) answers rtkit's
 * documented {@code {"error":"…"}} under /rt, over HTTP/1.1 and HTTP/2 alike; a 9 KB header gets 431, not a
 * closed connection.
 */
class JettyOwnErrorsTest extends RunningSite {
    private static final String BIG = "a".repeat(9 * 1024);

    @ParameterizedTest
    @EnumSource(value = DemoClients.class, names = {"H2C", "TLS_H2"})
    void oversizedHeadersOverH2Answer431Json(DemoClients kind) throws Exception {
        HttpClient client = clientSendingBigHeaders(kind.tls);
        try {
            ContentResponse r = client.newRequest(kind.base(site) + "/rt/poll/x").headers(h -> h.put("X-Big", BIG)).send();
            assertEquals(431, r.getStatus());
            assertEquals("application/json", r.getMediaType());
            assertTrue(r.getContentAsString().startsWith("{\"error\":\"request headers too large"), r.getContentAsString());
            // The connection survives: the next request on it is served.
            assertEquals(200, client.GET(kind.base(site) + "/rt/poll/x").getStatus());
        } finally {
            client.stop();
        }
    }

    @Test
    void oversizedHeadersOverHttp11Answer431Json() throws Exception {
        String answer = raw("GET /rt/poll/x HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + BIG + "\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 431 "), answer);
        assertJsonError(answer, "request headers too large");
    }

    @Test
    void aUriTooLongAnswers414Json() throws Exception {
        String answer = raw("GET /rt/poll/" + BIG + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 414 "), answer);
        assertJsonError(answer, "URI too long");
    }

    @Test
    void anUnparseableRequestUnderRtAnswers400Json() throws Exception {
        String answer = raw("GET /rt/poll/x HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header: x\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
        assertJsonError(answer, "bad request");
    }

    /** Jetty's own client refuses to send headers above 8 KiB: lift that, to see what the server does. */
    private static HttpClient clientSendingBigHeaders(boolean tls) throws Exception {
        ClientConnector connector = new ClientConnector();
        SslContextFactory.Client trustAll = new SslContextFactory.Client();
        trustAll.setTrustAll(true);
        connector.setSslContextFactory(trustAll);
        HTTP2Client h2 = new HTTP2Client(connector);
        h2.setMaxRequestHeadersSize(64 * 1024);
        HttpClient client = new HttpClient(new HttpClientTransportOverHTTP2(h2));
        client.setMaxRequestHeadersSize(64 * 1024);
        client.start();
        return client;
    }

    private static void assertJsonError(String answer, String start) {
        String head = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase();
        assertTrue(head.contains("content-type: application/json"), answer);
        String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
        assertTrue(body.startsWith("{\"error\":\"" + start) && body.endsWith("\"}"), body);
    }

    private static String raw(String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", site.httpPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            // Jetty closes after such an answer: read to the end.
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
