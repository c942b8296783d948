package dev.rtkit.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rtkit.testing.JettyWsClient;
import dev.rtkit.testing.LineStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.websocket.api.exceptions.UpgradeException;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Three WARs in one jetty-home 12.1.12 process, started the way a user starts it; every transport over HTTP/1.1,
 * h2c and TLS h2 for each wiring: the demo WAR, a fragment-only WAR and a metadata-complete web.xml.
 */
class WarOnStandaloneJettyIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final AtomicInteger TOPICS = new AtomicInteger();

    private static StandaloneJetty jetty;
    private static final Map<Protocol, HttpClient> HTTP = new EnumMap<>(Protocol.class);
    private static final Map<Protocol, WebSocketClient> WS = new EnumMap<>(Protocol.class);

    @BeforeAll
    static void startJetty() throws Exception {
        Map<String, Path> wars = new LinkedHashMap<>();
        for (Wiring wiring : Wiring.values()) {
            wars.put(wiring.context, wiring.war());
        }
        jetty = StandaloneJetty.start(Path.of(Wiring.requiredProperty("rtkit.it.jettyHome")),
                Path.of(Wiring.requiredProperty("rtkit.it.jettyBase")), wars);
        for (Protocol protocol : Protocol.values()) {
            HttpClient http = protocol.newClient(jetty);
            HTTP.put(protocol, http);
            WebSocketClient ws = new WebSocketClient(http);
            ws.start();
            WS.put(protocol, ws);
        }
        for (Wiring wiring : Wiring.values()) {
            URI probe = wiring.uri(Protocol.HTTP_1_1.origin(jetty), "poll/deploy-probe");
            ContentResponse r = HTTP.get(Protocol.HTTP_1_1).newRequest(probe).timeout(10, TimeUnit.SECONDS).send();
            if (r.getStatus() != 200) {
                throw jetty.failure(wiring + " is not answering: GET " + probe + " -> " + r.getStatus() + " "
                        + r.getContentAsString());
            }
        }
    }

    @AfterAll
    static void stopJetty() throws Exception {
        List<Exception> failures = new ArrayList<>();
        for (WebSocketClient ws : WS.values()) {
            stopQuietly(ws::stop, failures);
        }
        for (HttpClient http : HTTP.values()) {
            stopQuietly(http::stop, failures);
        }
        if (jetty != null) {
            jetty.close();
            assertFalse(jetty.isRunning(), "Jetty still running after stop");
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }

    static Stream<Arguments> wiringsAndProtocols() {
        return Stream.of(Wiring.values())
                .flatMap(w -> Stream.of(Protocol.values()).map(p -> Arguments.of(w, p)));
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("wiringsAndProtocols")
    void publishAnswers202WithTopicAndId(Wiring wiring, Protocol protocol) throws Exception {
        String topic = topic("publish");
        ContentResponse r = post(wiring, protocol, "publish/" + topic, "application/json", "{\"n\":1}");

        assertEquals(202, r.getStatus(), r.getContentAsString());
        assertEquals(protocol.version, r.getVersion());
        JsonNode body = JSON.readTree(r.getContentAsString());
        assertEquals(topic, body.get("topic").asText());
        assertTrue(body.get("id").asText().matches("[0-9a-z]+-[0-9]+"), body.toString());
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("wiringsAndProtocols")
    void pollAnswersAtOnceWithWhatCameAfterTheCursor(Wiring wiring, Protocol protocol) throws Exception {
        String topic = topic("poll");
        String first = publish(wiring, protocol, topic, "text/plain", "first");
        String second = publish(wiring, protocol, topic, "application/json", "{\"n\":2}");

        ContentResponse r = get(wiring, protocol, "poll/" + topic + "?since=" + first);

        assertEquals(200, r.getStatus(), r.getContentAsString());
        assertEquals(protocol.version, r.getVersion());
        JsonNode body = JSON.readTree(r.getContentAsString());
        assertEquals(1, body.get("messages").size(), body.toString());
        JsonNode message = body.get("messages").get(0);
        assertEquals("message", message.get("type").asText());
        assertEquals(topic, message.get("topic").asText());
        assertEquals(second, message.get("id").asText());
        assertEquals(2, message.get("data").get("n").asInt());
        assertEquals(second, body.get("cursor").asText());
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("wiringsAndProtocols")
    void longPollAnswersWithTheMessagePublishedWhileItWaits(Wiring wiring, Protocol protocol) throws Exception {
        String topic = topic("longpoll");
        String first = publish(wiring, protocol, topic, "text/plain", "before");
        CountDownLatch sent = new CountDownLatch(1);
        Request request = HTTP.get(protocol).newRequest(wiring.uri(protocol.origin(jetty), "longpoll/" + topic + "?since=" + first))
                .timeout(30, TimeUnit.SECONDS)
                .onRequestSuccess(req -> sent.countDown());
        CompletableFuture<ContentResponse> answer = new CompletableResponseListener(request).send();
        assertTrue(sent.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "long-poll request not sent");
        assertFalse(answer.isDone(), "long-poll answered before anything was published");

        String second = publish(wiring, protocol, topic, "text/plain", "while waiting");

        ContentResponse r = answer.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(200, r.getStatus(), r.getContentAsString());
        assertEquals(protocol.version, r.getVersion());
        JsonNode body = JSON.readTree(r.getContentAsString());
        assertEquals(1, body.get("messages").size(), body.toString());
        assertEquals(second, body.get("messages").get(0).get("id").asText());
        assertEquals("while waiting", body.get("messages").get(0).get("data").asText());
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("wiringsAndProtocols")
    void streamWritesEachMessageAsOneNdjsonLine(Wiring wiring, Protocol protocol) throws Exception {
        String topic = topic("stream");
        String first = publish(wiring, protocol, topic, "text/plain", "before");
        URI uri = wiring.uri(protocol.origin(jetty), "stream/" + topic + "?since=" + first);
        try (LineStream stream = LineStream.open(HTTP.get(protocol), uri)) {
            assertEquals(200, stream.response().getStatus());
            assertEquals(protocol.version, stream.response().getVersion());
            assertTrue(stream.response().getHeaders().get(HttpHeader.CONTENT_TYPE).startsWith("application/x-ndjson"));
            assertEquals("{\"type\":\"heartbeat\"}", stream.next(WAIT));

            String second = publish(wiring, protocol, topic, "application/json", "[1,2]");

            String line = stream.until(l -> l.contains(second), WAIT).get(0);
            assertEquals("{\"type\":\"message\",\"topic\":\"" + topic + "\",\"id\":\"" + second + "\",\"data\":[1,2]}", line);
        }
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("wiringsAndProtocols")
    void sseSendsRetryThenEachEventWithItsCursorAsId(Wiring wiring, Protocol protocol) throws Exception {
        String topic = topic("sse");
        String first = publish(wiring, protocol, topic, "text/plain", "before");
        URI uri = wiring.uri(protocol.origin(jetty), "sse/" + topic + "?since=" + first);
        try (LineStream stream = LineStream.open(HTTP.get(protocol), uri)) {
            assertEquals(200, stream.response().getStatus());
            assertEquals(protocol.version, stream.response().getVersion());
            assertTrue(stream.response().getHeaders().get(HttpHeader.CONTENT_TYPE).startsWith("text/event-stream"));
            // The retry value is the WAR's sseRetryMillis init-param: proof that its web.xml is in force.
            assertEquals("retry: " + wiring.sseRetryMillis, stream.next(WAIT));
            assertEquals("", stream.next(WAIT));

            String second = publishEvent(wiring, protocol, topic, "greeting", "hello\nworld");

            stream.until(l -> l.equals("id: " + second), WAIT);
            assertEquals("event: greeting", stream.next(WAIT));
            assertEquals("data: hello", stream.next(WAIT));
            assertEquals("data: world", stream.next(WAIT));
            assertEquals("", stream.next(WAIT));
        }
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("wiringsAndProtocols")
    void webSocketSubscribesReceivesAndPublishes(Wiring wiring, Protocol protocol) throws Exception {
        String topic = topic("ws");
        String first = publish(wiring, protocol, topic, "text/plain", "before");
        URI uri = wiring.uri(protocol.webSocketOrigin(jetty), "ws");
        try (JettyWsClient ws = connectWebSocket(protocol, uri, protocol.origin(jetty).toString())) {
            // RFC 6455 upgrades answer 101; RFC 8441 (WebSocket in an HTTP/2 stream) answers 200 to CONNECT.
            assertEquals(protocol.version == HttpVersion.HTTP_2 ? 200 : 101, ws.upgradeStatus());
            ws.send("{\"type\":\"subscribe\",\"topic\":\"" + topic + "\",\"since\":\"" + first + "\"}");
            ws.nextOfType("subscribed", WAIT);

            String second = publish(wiring, protocol, topic, "text/plain", "over http");
            JsonNode delivered = last(ws.until(f -> f.path("id").asText().equals(second), WAIT));
            assertEquals("message", delivered.get("type").asText());
            assertEquals("over http", delivered.get("data").asText());

            ws.send("{\"type\":\"publish\",\"topic\":\"" + topic + "\",\"data\":{\"n\":3},\"ref\":\"r1\"}");
            List<JsonNode> upToAck = ws.until(f -> f.path("type").asText().equals("ack"), WAIT);
            JsonNode ack = last(upToAck);
            assertEquals("r1", ack.get("ref").asText());
            String third = ack.get("id").asText();
            // The publisher is a subscriber too: its copy of the message may come before or after the ack.
            Predicate<JsonNode> echo = f -> f.path("type").asText().equals("message") && f.path("id").asText().equals(third);
            JsonNode echoed = upToAck.stream().filter(echo).findFirst().orElse(null);
            if (echoed == null) {
                echoed = last(ws.until(echo, WAIT));
            }
            assertEquals(3, echoed.get("data").get("n").asInt());
        }
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("wiringsAndProtocols")
    void webSocketFromAForeignPageIsRefusedWith403(Wiring wiring, Protocol protocol) {
        URI uri = wiring.uri(protocol.webSocketOrigin(jetty), "ws");
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> connectWebSocket(protocol, uri, "https://evil.example"));

        assertTrue(refused.getCause() instanceof UpgradeException, refused.toString());
        assertEquals(403, ((UpgradeException) refused.getCause()).getResponseStatusCode(), refused.toString());
    }

    @Test
    void metadataCompleteWebXmlLeavesTheFragmentsMappingOut() throws Exception {
        Wiring explicit = Wiring.METADATA_COMPLETE;
        URI fragmentPath = Protocol.HTTP_1_1.origin(jetty).resolve("/" + explicit.context + "/rt/poll/t");
        ContentResponse r = HTTP.get(Protocol.HTTP_1_1).newRequest(fragmentPath).timeout(10, TimeUnit.SECONDS).send();

        assertEquals(404, r.getStatus(), "the fragment's /rt/* must not exist under metadata-complete: " + r.getContentAsString());
    }

    @Test
    void metadataCompleteWebXmlStartsRtkitThroughItsDeclaredListener() {
        // RtkitListener logs this; without the listener the servlet would start rtkit itself and warn instead.
        String log = jetty.log();
        assertTrue(log.contains("rtkit started at /live"), () -> jetty.failure("no start line from RtkitListener").getMessage());
        assertFalse(log.contains("rtkit started by its servlet"), () -> jetty.failure("servlet fallback used").getMessage());
    }

    @Test
    void fragmentOnlyWarHasNoWebXml() throws IOException {
        try (ZipFile war = new ZipFile(Wiring.FRAGMENT_ONLY.war().toFile())) {
            assertEquals(null, war.getEntry("WEB-INF/web.xml"), "the fragment-only WAR must have no web.xml");
        }
    }

    @Test
    void demoWarCarriesNoJettyJar() throws IOException {
        try (ZipFile war = new ZipFile(Wiring.DEMO_WAR.war().toFile())) {
            List<String> jetty = war.stream().map(ZipEntry::getName)
                    .filter(n -> n.startsWith("WEB-INF/lib/") && n.substring(12).startsWith("jetty-")).toList();
            assertEquals(List.of(), jetty);
            assertTrue(war.stream().anyMatch(e -> e.getName().matches("WEB-INF/lib/rtkit-plugin-.*\\.jar")),
                    "the demo WAR must carry the plugin jar");
        }
    }

    /** Connects as a page from {@code origin} would: browsers send the page's origin with every WebSocket handshake. */
    private static JettyWsClient connectWebSocket(Protocol protocol, URI uri, String origin) throws Exception {
        return JettyWsClient.connect(WS.get(protocol), uri, Map.of("Origin", origin));
    }

    private static JsonNode last(List<JsonNode> frames) {
        return frames.get(frames.size() - 1);
    }

    private static String topic(String transport) {
        return "it." + transport + "." + TOPICS.incrementAndGet();
    }

    /** The demo WAR's own registries and servlet expose rtkit's meters on a standalone Jetty as in the demo launcher. */
    @ParameterizedTest(name = "over {0}")
    @org.junit.jupiter.params.provider.EnumSource(Protocol.class)
    void demoWarServesRtkitsMetersInThePrometheusFormatAtSlashMetrics(Protocol protocol) throws Exception {
        publish(Wiring.DEMO_WAR, protocol, topic("metrics"), "application/json", "{\"n\":1}");
        ContentResponse r = HTTP.get(protocol).newRequest(protocol.origin(jetty).resolve("/" + Wiring.DEMO_WAR.context + "/metrics"))
                .timeout(10, TimeUnit.SECONDS).send();
        assertEquals(200, r.getStatus(), r.getContentAsString());
        assertTrue(r.getMediaType().startsWith("text/plain"), r.getMediaType());
        String text = r.getContentAsString();
        for (String series : List.of("rtkit_messages_published_total ", "rtkit_connections{transport=\"sse\"} ",
                "rtkit_messages_delivered_total{transport=\"websocket\"} ", "rtkit_rejections_total{reason=\"origin\"} ",
                "rtkit_history_bytes ")) {
            assertTrue(text.contains("\n" + series), series + " in " + text);
        }
    }

    private static ContentResponse get(Wiring wiring, Protocol protocol, String rest) throws Exception {
        return HTTP.get(protocol).newRequest(wiring.uri(protocol.origin(jetty), rest)).timeout(10, TimeUnit.SECONDS).send();
    }

    private static ContentResponse post(Wiring wiring, Protocol protocol, String rest, String contentType, String body)
            throws Exception {
        return HTTP.get(protocol).newRequest(wiring.uri(protocol.origin(jetty), rest)).method("POST")
                .body(new StringRequestContent(contentType, body)).timeout(10, TimeUnit.SECONDS).send();
    }

    private static String publish(Wiring wiring, Protocol protocol, String topic, String contentType, String body)
            throws Exception {
        return idOf(post(wiring, protocol, "publish/" + topic, contentType, body));
    }

    private static String publishEvent(Wiring wiring, Protocol protocol, String topic, String event, String body)
            throws Exception {
        return idOf(post(wiring, protocol, "publish/" + topic + "?event=" + event, "text/plain", body));
    }

    private static String idOf(ContentResponse r) throws IOException {
        assertEquals(202, r.getStatus(), r.getContentAsString());
        return JSON.readTree(r.getContentAsString()).get("id").asText();
    }

    private interface Stopper {
        void stop() throws Exception;
    }

    private static void stopQuietly(Stopper stopper, List<Exception> failures) {
        try {
            stopper.stop();
        } catch (Exception e) {
            failures.add(e);
        }
    }
}
