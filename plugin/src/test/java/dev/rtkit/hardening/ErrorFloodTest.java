package dev.rtkit.hardening;

import static dev.rtkit.testing.WsClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtkit.spi.Authorizer;
import dev.rtkit.spi.Caller;
import dev.rtkit.testing.Clients;
import dev.rtkit.testing.ErrorLog;
import dev.rtkit.testing.JettyWsClient;
import dev.rtkit.testing.TestServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;
import org.junit.jupiter.api.Test;

/**
 * Failures a client can trigger again and again (here an application's authorizer that throws) are logged at
 * ERROR once a minute per kind, not once per request: a flood of 130 requests and frames writes two lines, one
 * for HTTP and one for WebSocket, and every client gets its clean answer (500 {"error"} / close 1011).
 */
class ErrorFloodTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** An application bug: every check throws. */
    public static final class BrokenAuthorizer implements Authorizer {
        @Override
        public boolean mayPublish(Caller caller, String topic) {
            throw new IllegalStateException("broken authorizer");
        }

        @Override
        public boolean maySubscribe(Caller caller, String topic) {
            throw new IllegalStateException("broken authorizer");
        }
    }

    @Test
    void aFloodOfFailingRequestsLogsOneLinePerKind() throws Exception {
        try (ErrorLog errorLog = new ErrorLog();
             TestServer server = new TestServer().param("authorizer", BrokenAuthorizer.class.getName()).start()) {
            HttpClient http = Clients.HTTP_1_1.create();
            try {
                for (int i = 0; i < 100; i++) {
                    ContentResponse r = http.newRequest(server.uri("/rt/publish/t")).method(HttpMethod.POST)
                            .body(new StringRequestContent("text/plain", "x")).timeout(10, TimeUnit.SECONDS).send();
                    assertEquals(500, r.getStatus());
                    assertEquals("{\"error\":\"internal error\"}", r.getContentAsString());
                }
            } finally {
                http.stop();
            }
            URI ws = URI.create("ws://127.0.0.1:" + server.port() + "/rt/ws");
            for (int i = 0; i < 30; i++) {
                try (JettyWsClient c = JettyWsClient.connect(ws)) {
                    c.send(json("type", "subscribe", "topic", "t"));
                    assertEquals(1011, c.awaitClose(WAIT));
                }
            }
            List<String> errors = errorLog.errors();
            assertEquals(2, errors.size(), String.join("\n", errors));
            assertTrue(errors.stream().anyMatch(e -> e.contains("http-request")), String.join("\n", errors));
            assertTrue(errors.stream().anyMatch(e -> e.contains("websocket-frame")), String.join("\n", errors));
        }
    }
}
