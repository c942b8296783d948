package dev.rtkit.internal.metrics;

import static dev.rtkit.testing.WsClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rtkit.Payload;
import dev.rtkit.Rtkit;
import dev.rtkit.internal.servlet.Settings;
import dev.rtkit.testing.JettyWsClient;
import dev.rtkit.testing.LineStream;
import dev.rtkit.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Per transport, the meters say exactly what the clients saw: connections open, subscriptions held, messages
 * received (and their lag), bytes received, resumes made, gaps told.
 */
class TransportCountsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private MeteredServer site;

    @AfterEach
    void stop() throws Exception {
        if (site != null) {
            site.close();
        }
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    @Test
    void nWebSocketsSubscribedTwiceEachAndMPublishesPerTopicAreCountedAsTheyWereReceived() throws Exception {
        site = new MeteredServer(new TestServer());
        int n = 3;
        int m = 4;
        List<JettyWsClient> clients = new ArrayList<>();
        int[] bytes = new int[n];
        try {
            for (int i = 0; i < n; i++) {
                JettyWsClient c = JettyWsClient.connect(site.ws());
                clients.add(c);
                for (String topic : List.of("a", "b")) {
                    c.send(json("type", "subscribe", "topic", topic));
                    String reply = c.nextRaw(WAIT);
                    assertEquals("subscribed", JSON.readTree(reply).path("type").asText(), reply);
                    bytes[i] += utf8(reply);
                }
            }
            assertEquals(n, site.count("rtkit.connections", "transport", "websocket"));
            assertEquals(n, site.count("rtkit.connections.opened", "transport", "websocket"));
            assertEquals(2 * n, site.count("rtkit.subscriptions"), "two subscriptions on each WebSocket");
            assertEquals(2, site.count("rtkit.topics"));
            Rtkit rtkit = site.server.rtkit();
            for (int k = 0; k < m; k++) {
                rtkit.publish("a", Payload.json("{\"a\":" + k + "}"));
                rtkit.publish("b", Payload.text("b" + k + " ünïcode"));
            }
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < 2 * m; k++) {
                    String frame = clients.get(i).nextRaw(WAIT);
                    assertEquals("message", JSON.readTree(frame).path("type").asText(), frame);
                    bytes[i] += utf8(frame);
                }
            }
            site.awaitCount(2 * m * n, "rtkit.messages.delivered", "transport", "websocket");
            assertEquals(2 * m * n, site.count("rtkit.delivery.lag", "transport", "websocket"));
            assertEquals(2 * m, site.count("rtkit.messages.published"));
            int total = 0;
            for (int b : bytes) {
                total += b;
            }
            site.awaitCount(total, "rtkit.bytes.sent", "transport", "websocket");
        } finally {
            for (JettyWsClient c : clients) {
                c.close();
            }
        }
        site.awaitCount(0, "rtkit.connections", "transport", "websocket");
        site.awaitCount(n, "rtkit.connections.closed", "transport", "websocket", "reason", "client");
        assertEquals(0, site.count("rtkit.subscriptions"));
    }

    @Test
    void nStreamsAndNParkedLongPollsAreGaugedAndOnePublishReachesEachOfThem() throws Exception {
        site = new MeteredServer(new TestServer());
        int n = 3;
        List<LineStream> streams = new ArrayList<>();
        List<CompletableFuture<ContentResponse>> polls = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                LineStream s = LineStream.open(site.http, site.uri("/rt/stream/t"));
                s.next(WAIT);
                streams.add(s);
                polls.add(new CompletableResponseListener(
                        site.http.newRequest(site.uri("/rt/longpoll/t")).timeout(10, TimeUnit.SECONDS)).send());
            }
            site.awaitCount(n, "rtkit.connections", "transport", "longpoll");
            assertEquals(n, site.count("rtkit.connections", "transport", "stream"));
            assertEquals(2 * n, site.count("rtkit.subscriptions"));

            site.server.rtkit().publish("t", Payload.json("{\"hello\":1}"));
            int pollBytes = 0;
            for (CompletableFuture<ContentResponse> poll : polls) {
                ContentResponse r = poll.get(10, TimeUnit.SECONDS);
                assertEquals(200, r.getStatus());
                assertEquals(1, JSON.readTree(r.getContentAsString()).path("messages").size(), r.getContentAsString());
                pollBytes += r.getContent().length;
            }
            for (LineStream s : streams) {
                s.awaitRaw(raw -> raw.contains("\"hello\":1"), WAIT);
            }
            site.awaitCount(n, "rtkit.messages.delivered", "transport", "stream");
            assertEquals(n, site.count("rtkit.messages.delivered", "transport", "longpoll"));
            assertEquals(n, site.count("rtkit.connections.closed", "transport", "longpoll", "reason", "answered"));
            assertEquals(0, site.count("rtkit.connections", "transport", "longpoll"), "answered: no longer parked");
            assertEquals(n, site.count("rtkit.connections", "transport", "stream"));
            assertEquals(pollBytes, site.count("rtkit.bytes.sent", "transport", "longpoll"), "the answers' bodies");
            // What the streams read, idle probes included.
            site.awaitCount(() -> streams.stream().mapToInt(st -> utf8(st.raw())).sum(), "rtkit.bytes.sent", "transport", "stream");
        } finally {
            streams.forEach(LineStream::close);
        }
    }

    @Test
    void sseAndPollCountTheirResumesAndExactlyTheBytesTheClientRead() throws Exception {
        site = new MeteredServer(new TestServer());
        Rtkit rtkit = site.server.rtkit();
        String first = rtkit.publish("s", Payload.json("1")).id().toString();
        rtkit.publish("s", Payload.json("2"));
        try (LineStream resumed = LineStream.open(site.http, site.uri("/rt/sse/s"), r -> r.headers(h -> h.put("Last-Event-ID", first)));
             LineStream fresh = LineStream.open(site.http, site.uri("/rt/sse/s"))) {
            resumed.awaitRaw(r -> r.contains("data: 2"), WAIT);
            fresh.next(WAIT);
            assertEquals(1, site.count("rtkit.resumes", "transport", "sse"), "one came with Last-Event-ID");
            assertEquals(2, site.count("rtkit.connections", "transport", "sse"));
            assertEquals(1, site.count("rtkit.messages.delivered", "transport", "sse"), "the fresh one got nothing yet");
            // What the two read, idle probes included.
            site.awaitCount(() -> utf8(resumed.raw()) + utf8(fresh.raw()), "rtkit.bytes.sent", "transport", "sse");
        }
        ContentResponse poll = site.get("/rt/poll/s?since=" + first);
        ContentResponse again = site.get("/rt/poll/s");
        assertEquals(1, site.count("rtkit.resumes", "transport", "poll"));
        assertEquals(1, site.count("rtkit.messages.delivered", "transport", "poll"));
        assertEquals(poll.getContent().length + again.getContent().length, site.count("rtkit.bytes.sent", "transport", "poll"));
        assertEquals(2, site.count("rtkit.connections.closed", "transport", "poll", "reason", "answered"));
    }

    @Test
    void aLongPollAnsweredFromWaitingMessagesCountsOneResumeOneDeliveryAndOneAnsweredConnection() throws Exception {
        site = new MeteredServer(new TestServer());
        Rtkit rtkit = site.server.rtkit();
        String first = rtkit.publish("w", Payload.json("1")).id().toString();
        rtkit.publish("w", Payload.json("2"));
        ContentResponse answer = site.get("/rt/longpoll/w?since=" + first);
        assertEquals(200, answer.getStatus());
        assertEquals(1, site.count("rtkit.resumes", "transport", "longpoll"));
        assertEquals(1, site.count("rtkit.messages.delivered", "transport", "longpoll"));
        assertEquals(answer.getContent().length, site.count("rtkit.bytes.sent", "transport", "longpoll"));
        assertEquals(1, site.count("rtkit.connections.closed", "transport", "longpoll", "reason", "answered"));
        assertEquals(0, site.count("rtkit.connections", "transport", "longpoll"));
        assertEquals(0, site.server.hub().subscriptionCount(), "answered from a one-off read: nothing subscribed");
    }

    @Test
    void gapsAreCountedByTheReasonTheClientWasTold() throws Exception {
        site = new MeteredServer(new TestServer().param(Settings.HISTORY_SIZE, 2));
        Rtkit rtkit = site.server.rtkit();
        String first = rtkit.publish("g", Payload.json("1")).id().toString();
        for (int i = 2; i <= 5; i++) {
            rtkit.publish("g", Payload.json(String.valueOf(i)));
        }
        String epoch = first.substring(0, first.lastIndexOf('-'));
        assertEquals("expired", gapReason(site.get("/rt/poll/g?since=" + first)));
        assertEquals("unknown", gapReason(site.get("/rt/poll/g?since=" + epoch + "-99")));
        assertEquals("unknown", gapReason(site.get("/rt/poll/g?since=" + epoch + "-98")));
        assertEquals(1, site.count("rtkit.gaps", "reason", "expired"));
        assertEquals(2, site.count("rtkit.gaps", "reason", "unknown"));
        assertEquals(0, site.count("rtkit.gaps", "reason", "epoch"));
    }

    private static String gapReason(ContentResponse r) throws Exception {
        assertEquals(200, r.getStatus(), r.getContentAsString());
        List<String> reasons = new ArrayList<>();
        for (JsonNode gap : JSON.readTree(r.getContentAsString()).path("gaps")) {
            reasons.add(gap.path("reason").asText());
        }
        assertEquals(1, reasons.size(), r.getContentAsString());
        return reasons.get(0);
    }

    @Test
    void historyBytesGrowWithWhatIsRetainedAndStayWithinHistoryMaxBytes() throws Exception {
        long budget = 40_000;
        site = new MeteredServer(new TestServer().param(Settings.HISTORY_MAX_BYTES, budget));
        assertEquals(0, site.count("rtkit.history"), "nothing retained yet");
        String payload = "\"" + "x".repeat(1000) + "\"";
        Rtkit rtkit = site.server.rtkit();
        rtkit.publish("h", Payload.json(payload));
        double one = site.count("rtkit.history");
        // README: 2 x payload characters + 5 x the message's JSON + 256 bytes each.
        assertTrue(one >= 7 * payload.length() + 256, "one message: " + one);
        rtkit.publish("h", Payload.json(payload));
        assertEquals(2 * one, site.count("rtkit.history"), "two alike cost twice one");
        for (int i = 0; i < 20; i++) {
            rtkit.publish("h", Payload.json(payload));
        }
        double full = site.count("rtkit.history");
        assertTrue(full <= budget && full > budget - one, "within historyMaxBytes " + budget + ": " + full);
    }
}
