package dev.rtkit.hardening;

import static dev.rtkit.testing.WsClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rtkit.testing.Clients;
import dev.rtkit.testing.ErrorLog;
import dev.rtkit.testing.JettyWsClient;
import dev.rtkit.testing.TestServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A JSON payload comes out as it went in, published over HTTP or over WebSocket: numbers digit for digit
 * ({@code 1e400} is not {@code Infinity}, a long decimal keeps every digit), or it is refused with 400 / an error
 * frame (a lone surrogate, invalid JSON), never 500 or 1011, and nothing is logged at ERROR.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JsonAsItWentInTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private TestServer server;
    private HttpClient http;
    private JettyWsClient subscriber;
    private JettyWsClient publisher;
    private ErrorLog errorLog;

    @BeforeAll
    void start() throws Exception {
        errorLog = new ErrorLog();
        server = new TestServer().param("maxMessageBytes", 65536).start();
        http = Clients.HTTP_1_1.create();
        subscriber = JettyWsClient.connect(wsUri());
        subscriber.send(json("type", "subscribe", "topic", "j"));
        subscriber.nextOfType("subscribed", WAIT);
        publisher = JettyWsClient.connect(wsUri());
    }

    private URI wsUri() {
        return URI.create("ws://127.0.0.1:" + server.port() + "/rt/ws");
    }

    @AfterAll
    void stop() throws Exception {
        try {
            assertEquals(List.of(), errorLog.errors(), "nothing logged at ERROR");
        } finally {
            errorLog.close();
            subscriber.close();
            publisher.close();
            http.stop();
            server.close();
        }
    }

    /** Payloads kept exactly, as sent (already compact). */
    static Stream<String> exact() {
        return Stream.of("1e400", "-1E-400", "0.1000000000000000055511151231257827021181583404541015625",
                "123456789012345678901234567890123456789012345678901234567890",
                "-0.0", "1.0", "2.50", "[1.0,2.50,-0e0,1E+2]", "{\"a\":{\"b\":[3.14159265358979323846264338327950288419716939937510]}}",
                "\"" + "9".repeat(400) + "\"", "9".repeat(2000), "true", "null", "\"\\u0000\\n\\\"\"", "{\"\":\"\"}");
    }

    /** Not valid JSON, or not valid Unicode: refused. */
    static Stream<String> refused() {
        return Stream.of("\"\\ud800\"", "\"a\\udc00b\"", "{\"\\ud83d\":1}", "\"\\ude00\\ud83d\"", "[\"ok\",\"\\udbff\"]",
                "NaN", "Infinity", "01", "1.", ".5", "+1", "[1,]", "{\"a\":1,}", "'x'", "[", "1 2", "\"\\x41\"");
    }

    static Stream<Arguments> exactOverBoth() {
        return exact().flatMap(p -> Stream.of(Arguments.of("http", p), Arguments.of("websocket", p)));
    }

    static Stream<Arguments> refusedOverBoth() {
        return refused().flatMap(p -> Stream.of(Arguments.of("http", p), Arguments.of("websocket", p)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("exactOverBoth")
    void jsonComesOutAsItWentIn(String via, String payload) throws Exception {
        String answer = publish(via, payload);
        assertTrue(answer.startsWith("ok"), answer);
        String frame = nextBesidesHeartbeats(subscriber);
        assertEquals(payload, dataOf(frame), frame);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("refusedOverBoth")
    void invalidJsonOrUnicodeIsRefusedNeverAnInternalError(String via, String payload) throws Exception {
        assertEquals("refused", publish(via, payload));
    }

    @ParameterizedTest
    @MethodSource("overBoth")
    void aSurrogatePairArrivesAsTheSameString(String via) throws Exception {
        String text = "\uD83D\uDE00 \u00e9";
        assertEquals("ok", publish(via, "\"" + text + "\""));
        assertEquals(text, JettyWsClient.parse(nextBesidesHeartbeats(subscriber)).path("data").textValue());
    }

    static Stream<String> overBoth() {
        return Stream.of("http", "websocket");
    }

    @Test
    void aLoneSurrogateInAWebSocketStringIsAnErrorFrame() throws Exception {
        publisher.send("{\"type\":\"publish\",\"topic\":\"j\",\"data\":\"x\\ud800\",\"ref\":7}");
        JsonNode reply = JettyWsClient.parse(nextBesidesHeartbeats(publisher));
        assertEquals("error", reply.path("type").asText(), reply.toString());
        assertEquals(7, reply.path("ref").asInt());
        assertTrue(reply.path("message").asText().contains("lone surrogate"), reply.toString());
    }

    @Test
    void aFloodOfBadPublishesLogsNothingAtError() throws Exception {
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            answers.add(publish("http", "\"\\ud800\""));
        }
        // One connection, as many bad frames as it may send before it is closed for them.
        try (JettyWsClient c = JettyWsClient.connect(wsUri())) {
            for (int i = 0; i < 9; i++) {
                answers.add(publish(c, "\"\\ud800\""));
            }
        }
        assertEquals(List.of("refused"), answers.stream().distinct().toList());
        assertEquals(List.of(), errorLog.errors());
    }

    /** "ok", or "refused" for a 400 / an error frame; anything else fails. */
    private String publish(String via, String payload) throws Exception {
        if (via.equals("http")) {
            ContentResponse r = http.newRequest(server.uri("/rt/publish/j")).method(HttpMethod.POST)
                    .body(new BytesRequestContent("application/json", payload.getBytes(StandardCharsets.UTF_8)))
                    .timeout(10, TimeUnit.SECONDS).send();
            assertTrue(r.getStatus() == 202 || r.getStatus() == 400, r.getStatus() + " " + r.getContentAsString());
            assertTrue(r.getContentAsString().startsWith(r.getStatus() == 202 ? "{\"topic\"" : "{\"error\""), r.getContentAsString());
            return r.getStatus() == 202 ? "ok" : "refused";
        }
        // A connection per publish: ten refused frames would close one.
        try (JettyWsClient c = JettyWsClient.connect(wsUri())) {
            return publish(c, payload);
        }
    }

    private String publish(JettyWsClient c, String payload) throws Exception {
        c.send("{\"type\":\"publish\",\"topic\":\"j\",\"data\":" + payload + ",\"ref\":1}");
        JsonNode reply = JettyWsClient.parse(nextBesidesHeartbeats(c));
        String type = reply.path("type").asText();
        assertTrue(type.equals("ack") || type.equals("error"), reply.toString());
        return type.equals("ack") ? "ok" : "refused";
    }

    private static String nextBesidesHeartbeats(JettyWsClient c) throws Exception {
        while (true) {
            String frame = c.nextRaw(WAIT);
            if (!frame.equals("{\"type\":\"heartbeat\"}")) {
                return frame;
            }
        }
    }

    /** The raw text of a message frame's data, the last field. */
    private static String dataOf(String frame) {
        int at = frame.indexOf("\"data\":");
        assertTrue(at > 0 && frame.endsWith("}"), frame);
        return frame.substring(at + 7, frame.length() - 1);
    }
}
