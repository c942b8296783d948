package dev.rtkit.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rtkit.Transport;
import dev.rtkit.testing.Clients;
import dev.rtkit.testing.JdkWsClient;
import dev.rtkit.testing.LineStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The delivery model every transport keeps, on whatever container runs the plugin: a message published reaches a
 * subscriber, a cursor resumes with no loss and no repeat, a foreign epoch is a gap, several topics share one
 * connection, a bad topic is a 400. Each container's test extends this and says where rtkit listens.
 */
public abstract class TransportContract {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);

    protected HttpClient http;

    /** The base URI of a running server with rtkit at {@code /rt}, e.g. {@code http://127.0.0.1:8080}. */
    protected abstract URI base();

    @BeforeEach
    void client() throws Exception {
        http = Clients.HTTP_1_1.create();
    }

    @AfterEach
    void stopClient() throws Exception {
        http.stop();
    }

    private URI uri(String path) {
        return base().resolve(path);
    }

    protected String publish(String topic, String body) throws Exception {
        ContentResponse r = http.POST(uri("/rt/publish/" + topic)).body(new StringRequestContent(body)).timeout(10, TimeUnit.SECONDS).send();
        assertEquals(202, r.getStatus(), r.getContentAsString());
        return JSON.readTree(r.getContentAsString()).get("id").asText();
    }

    private String cursorNow(List<String> topics) throws Exception {
        return JSON.readTree(http.newRequest(uri("/rt/poll?" + query(topics, null))).timeout(10, TimeUnit.SECONDS).send()
                .getContentAsString()).get("cursor").asText();
    }

    private static String query(List<String> topics, String since) {
        String q = topics.stream().map(t -> "topic=" + enc(t)).collect(Collectors.joining("&"));
        return since == null ? q : q + "&since=" + enc(since);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The next {@code n} messages and gaps after {@code since}, as the transport delivers them. */
    protected List<JsonNode> receive(Transport transport, List<String> topics, String since, int n) throws Exception {
        return switch (transport) {
            case POLL, LONGPOLL -> receiveBatches(transport, topics, since, n);
            case STREAM, SSE -> receiveLines(transport, topics, since, n);
            case WEBSOCKET -> receiveFrames(topics, since, n);
        };
    }

    private List<JsonNode> receiveBatches(Transport transport, List<String> topics, String since, int n) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        String cursor = since;
        while (out.size() < n && System.nanoTime() < deadline) {
            JsonNode batch = JSON.readTree(http.newRequest(uri("/rt/" + transport.wireName() + "?" + query(topics, cursor)))
                    .timeout(30, TimeUnit.SECONDS).send().getContentAsString());
            batch.path("gaps").forEach(out::add);
            batch.path("messages").forEach(out::add);
            cursor = batch.get("cursor").asText();
        }
        return out;
    }

    private List<JsonNode> receiveLines(Transport transport, List<String> topics, String since, int n) throws Exception {
        String path = "/rt/" + transport.wireName() + "?" + query(topics, since) + (transport == Transport.SSE ? "&format=json" : "");
        List<JsonNode> out = new ArrayList<>();
        try (LineStream stream = LineStream.open(http, uri(path))) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (out.size() < n && System.nanoTime() < deadline) {
                String line = stream.next(WAIT);
                if (line == null) {
                    break;
                }
                String body = transport == Transport.SSE ? (line.startsWith("data:") ? line.substring(5).trim() : null) : line;
                if (body == null || body.isEmpty()) {
                    continue;
                }
                JsonNode event = JSON.readTree(body);
                if (!event.path("type").asText().equals("heartbeat")) {
                    out.add(event);
                }
            }
        }
        return out;
    }

    private List<JsonNode> receiveFrames(List<String> topics, String since, int n) throws Exception {
        URI ws = URI.create(base().toString().replaceFirst("^http", "ws") + "/rt/ws");
        List<JsonNode> out = new ArrayList<>();
        try (JdkWsClient client = JdkWsClient.connect(ws)) {
            String sinceField = since == null ? "" : ",\"since\":" + JSON.writeValueAsString(since);
            client.send("{\"type\":\"subscribe\",\"topics\":" + JSON.writeValueAsString(topics) + sinceField + "}");
            while (out.size() < n) {
                JsonNode frame = client.next(WAIT);
                String type = frame.path("type").asText();
                if (type.equals("message") || type.equals("gap")) {
                    out.add(frame);
                }
            }
        }
        return out;
    }

    private static List<String> data(List<JsonNode> events) {
        return events.stream().filter(e -> e.path("type").asText().equals("message")).map(e -> e.get("data").asText()).toList();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aMessagePublishedAfterSubscribingIsDelivered(Transport transport) throws Exception {
        String topic = "live-" + transport.wireName();
        String cursor = cursorNow(List.of(topic));
        CompletableFuture<List<JsonNode>> received = CompletableFuture.supplyAsync(() -> {
            try {
                return receive(transport, List.of(topic), cursor, 1);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        String id = publish(topic, "hello");
        List<JsonNode> events = received.get(30, TimeUnit.SECONDS);
        assertEquals(List.of("hello"), data(events));
        assertEquals(id, events.get(0).get("id").asText());
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aCursorResumesWithNoLossAndNoRepeat(Transport transport) throws Exception {
        String topic = "resume-" + transport.wireName();
        String first = publish(topic, "1");
        publish(topic, "2");
        publish(topic, "3");
        assertEquals(List.of("2", "3"), data(receive(transport, List.of(topic), first, 2)));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aCursorFromAnotherEpochIsAnnouncedAsAGap(Transport transport) throws Exception {
        String topic = "epoch-" + transport.wireName();
        publish(topic, "kept");
        List<JsonNode> events = receive(transport, List.of(topic), "zz00000-7", 2);
        assertEquals("gap", events.get(0).get("type").asText(), events.toString());
        assertEquals("epoch", events.get(0).get("reason").asText());
        assertEquals(List.of("kept"), data(events));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void severalTopicsShareOneConnection(Transport transport) throws Exception {
        List<String> topics = List.of("many-a-" + transport.wireName(), "many-b-" + transport.wireName());
        String cursor = cursorNow(topics);
        publish(topics.get(0), "a");
        publish(topics.get(1), "b");
        List<String> got = new ArrayList<>(data(receive(transport, topics, cursor, 2)));
        got.sort(null);
        assertEquals(List.of("a", "b"), got);
    }

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = "WEBSOCKET", mode = EnumSource.Mode.EXCLUDE)
    void aBadTopicNameIsRefusedWithAJsonError(Transport transport) throws Exception {
        ContentResponse r = http.newRequest(uri("/rt/" + transport.wireName() + "/bad%20name")).timeout(10, TimeUnit.SECONDS).send();
        assertEquals(400, r.getStatus());
        assertTrue(r.getContentAsString().startsWith("{\"error\":"), r.getContentAsString());
    }
}
