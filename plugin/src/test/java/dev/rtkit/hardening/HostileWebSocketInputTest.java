package dev.rtkit.hardening;

import dev.rtkit.internal.hub.TestHubs;

import dev.rtkit.Payload;
import static dev.rtkit.testing.WsClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rtkit.testing.ErrorLog;
import dev.rtkit.testing.JettyWsClient;
import dev.rtkit.testing.RawWebSocket;
import dev.rtkit.testing.TestServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The WebSocket half of the bad-input catalogue: each hostile frame or handshake gets its documented answer (an
 * error frame, a gap frame, a close code or a refused handshake), a bystander keeps being served, nothing is
 * logged at ERROR.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileWebSocketInputTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private TestServer server;
    private JettyWsClient bystander;
    private ErrorLog errorLog;

    @BeforeAll
    void start() throws Exception {
        errorLog = new ErrorLog();
        server = new TestServer().param("maxMessageBytes", 4096).param("maxTopicsPerConnection", 16).start();
        bystander = JettyWsClient.connect(ws());
        bystander.send(json("type", "subscribe", "topic", "bystander"));
        bystander.nextOfType("subscribed", WAIT);
    }

    @AfterAll
    void stop() throws Exception {
        try {
            String id = server.hub().publish("bystander", Payload.text("still here"), null).toCompletableFuture().join().id().toString();
            assertEquals(id, bystander.nextOfType("message", WAIT).get("id").asText());
            assertEquals(List.of(), errorLog.errors(), "nothing logged at ERROR");
        } finally {
            errorLog.close();
            bystander.close();
            server.close();
        }
    }

    private URI ws() {
        return URI.create("ws://127.0.0.1:" + server.port() + "/rt/ws");
    }

    /** What came back: "error", "gap", "close:<code>" or "http:<status>". */
    interface Attack {
        String run() throws Exception;
    }

    record Case(String name, Attack attack, String answer) {
        @Override
        public String toString() {
            return name;
        }
    }

    private String frame(String text) throws Exception {
        try (JettyWsClient c = JettyWsClient.connect(ws())) {
            c.send(text);
            JsonNode reply = c.poll(WAIT);
            if (reply == null) {
                return "close:" + c.awaitClose(WAIT);
            }
            if (reply.path("type").asText().equals("subscribed")) {
                reply = c.next(WAIT);
            }
            assertTrue(!reply.toString().contains("Exception") && !reply.toString().contains("at dev.rtkit"), reply.toString());
            return reply.path("type").asText();
        }
    }

    private String closes(Attack send) throws Exception {
        return send.run();
    }

    private String handshake(Map<String, String> headers) throws Exception {
        try (RawWebSocket raw = RawWebSocket.open(ws(), headers)) {
            return "http:" + raw.status();
        }
    }

    Stream<Arguments> catalogue() {
        String epoch = TestHubs.epoch(server.hub());
        List<Case> cases = List.of(
                new Case("text that is not JSON", () -> frame("hello <script>"), "error"),
                new Case("NUL bytes instead of JSON", () -> frame("\u0000\u0000"), "error"),
                new Case("JSON array instead of object", () -> frame("[1,2]"), "error"),
                new Case("unknown frame type", () -> frame("{\"type\":\"shutdown\"}"), "error"),
                new Case("missing frame type", () -> frame("{\"topic\":\"t\"}"), "error"),
                new Case("trailing garbage after JSON", () -> frame("{\"type\":\"subscribe\",\"topic\":\"t\"}}}"), "error"),
                new Case("deeply nested JSON frame", () -> frame("[".repeat(3000) + "]".repeat(3000)), "error"),
                new Case("publish with JSON nested too deep",
                        () -> frame("{\"type\":\"publish\",\"topic\":\"t\",\"data\":" + "[".repeat(40) + "]".repeat(40) + "}"), "error"),
                new Case("path traversal topic", () -> frame(json("type", "subscribe", "topic", "../../etc/passwd")), "error"),
                new Case("NUL in topic", () -> frame(json("type", "subscribe", "topic", "a\u0000b")), "error"),
                new Case("CR/LF in event name", () -> frame(json("type", "publish", "topic", "t", "data", "x", "event", "a\r\nid: 0")), "error"),
                new Case("garbled cursor", () -> frame(json("type", "subscribe", "topic", "t", "since", "%%%")), "error"),
                new Case("20 KB cursor (beyond the frame limit)",
                        () -> frame(json("type", "subscribe", "topics", List.of("a", "b"), "since", "a@x-1,".repeat(3500))), "close:1009"),
                new Case("3 KB cursor of malformed pairs", () -> frame(json("type", "subscribe", "topics", List.of("a", "b"),
                        "since", "c@" + epoch + "-1,".repeat(300) + "a@" + epoch + "-1")), "error"),
                new Case("forged cursor from another epoch (gap)", () -> frame(json("type", "subscribe", "topic", "t", "since", "zzzzzz-9")), "gap"),
                new Case("forged cursor from the future (gap)",
                        () -> frame(json("type", "subscribe", "topic", "t", "since", epoch + "-999999999")), "gap"),
                new Case("hundreds of topics", () -> frame(json("type", "subscribe", "topics", java.util.stream.IntStream.range(0, 300).mapToObj(i -> "t" + i).toList())), "error"),
                new Case("topics that is not an array of strings", () -> frame("{\"type\":\"subscribe\",\"topics\":[1,{}]}"), "error"),
                new Case("huge ref", () -> frame(json("type", "subscribe", "topic", "t", "ref", "r".repeat(1000))), "error"),
                new Case("binary frame", () -> closes(() -> {
                    try (JettyWsClient c = JettyWsClient.connect(ws())) {
                        c.sendBinary(new byte[] {0, 1, 2, (byte) 0xff});
                        return "close:" + c.awaitClose(WAIT);
                    }
                }), "close:1003"),
                new Case("frame beyond the size limit", () -> closes(() -> {
                    try (JettyWsClient c = JettyWsClient.connect(ws())) {
                        c.send(json("type", "publish", "topic", "t", "data", "x".repeat(20_000)));
                        return "close:" + c.awaitClose(WAIT);
                    }
                }), "close:1009"),
                new Case("repeated invalid frames", () -> closes(() -> {
                    try (JettyWsClient c = JettyWsClient.connect(ws())) {
                        for (int i = 0; i < 10; i++) {
                            c.send("nope");
                        }
                        return "close:" + c.awaitClose(WAIT);
                    }
                }), "close:1008"),
                new Case("foreign Origin", () -> handshake(Map.of("Origin", "https://evil.example")), "http:403"),
                new Case("Origin 'null' (sandboxed page)", () -> handshake(Map.of("Origin", "null")), "http:403"),
                new Case("missing Origin (a non-browser client)", () -> handshake(Map.of()), "http:101"));
        return cases.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalogue")
    void hostileFramesAndHandshakesGetTheirDocumentedAnswer(Case c) throws Exception {
        assertEquals(c.answer(), c.attack().run(), c.name());
    }
}
