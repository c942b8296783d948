package dev.rtkit.internal.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtkit.Transport;
import dev.rtkit.spi.LogMonitor;
import dev.rtkit.internal.servlet.Settings;
import dev.rtkit.testing.Clients;
import dev.rtkit.testing.JettyWsClient;
import dev.rtkit.testing.LineStream;
import dev.rtkit.testing.RawWebSocket;
import dev.rtkit.testing.TestServer;
import dev.rtkit.testing.WsClient;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The meters say what a test really did, over real connections to a real Jetty. */
class MetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private MeteredServer site;

    @AfterEach
    void stop() throws Exception {
        if (site != null) {
            site.close();
        }
    }

    private URI ws(String query) {
        return URI.create("ws://127.0.0.1:" + site.server.port() + "/rt/ws" + query);
    }

    @Test
    void nSseStreamsAndMPublishesAreCountedAsNConnectionsAndMTimesNDeliveries() throws Exception {
        // Over HTTP/1.1 a client that left shows only as a failed write: heartbeats find it soon.
        site = new MeteredServer(new TestServer().param(Settings.HEARTBEAT_INTERVAL, 200));
        int n = 3;
        int m = 5;
        List<LineStream> streams = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            LineStream s = LineStream.open(site.http, site.uri("/rt/sse/news"));
            s.until(line -> line.startsWith("retry:"), WAIT);
            streams.add(s);
        }
        site.awaitCount(n, "rtkit.subscriptions");
        assertEquals(n, site.count("rtkit.connections", "transport", "sse"));
        assertEquals(n, site.count("rtkit.connections.opened", "transport", "sse"));
        for (int i = 0; i < m; i++) {
            assertEquals(202, site.publish("news", "{\"n\":" + i + "}").getStatus());
        }
        for (LineStream s : streams) {
            s.until(line -> line.contains("\"n\":" + (m - 1)), WAIT);
        }
        site.awaitCount(m * n, "rtkit.messages.delivered", "transport", "sse");
        assertEquals(m, site.count("rtkit.messages.published"));
        assertEquals(m, site.count("rtkit.publish.latency"));
        assertEquals(m * n, site.count("rtkit.delivery.lag", "transport", "sse"));
        assertEquals(1, site.count("rtkit.topics"));
        long retained = site.server.hub().log().retainedBytes();
        assertEquals(retained < 0 ? Double.NaN : retained, site.count("rtkit.history"), "the log's retained bytes");
        assertTrue(site.count("rtkit.bytes.sent", "transport", "sse") >= m * n * "{\"n\":0}".length());
        assertEquals(0, site.count("rtkit.messages.delivered", "transport", "websocket"));

        streams.forEach(LineStream::close);
        site.awaitCount(0, "rtkit.connections", "transport", "sse");
        site.awaitCount(n, "rtkit.connections.closed", "transport", "sse", "reason", "client");
        assertEquals(0, site.count("rtkit.subscriptions"));
    }

    @Test
    void everyTransportIsCountedUnderItsWireName() throws Exception {
        site = new MeteredServer(new TestServer());
        String first = site.publish("t", "1").getContentAsString();
        String id = first.substring(first.indexOf("\"id\":\"") + 6, first.lastIndexOf('"'));
        site.publish("t", "2");
        assertEquals(200, site.get("/rt/poll/t?since=" + id).getStatus());
        assertEquals(200, site.get("/rt/longpoll/t?since=" + id).getStatus());
        try (LineStream stream = LineStream.open(site.http, site.uri("/rt/stream/t?since=" + id));
             JettyWsClient ws = JettyWsClient.connect(Clients.HTTP_1_1, ws(""), Map.of())) {
            stream.until(line -> line.contains("\"data\":2"), WAIT);
            ws.send(WsClient.json("type", "subscribe", "topic", "t", "since", id));
            ws.until(f -> "message".equals(f.path("type").asText()), WAIT);
        }
        for (String t : List.of("poll", "longpoll", "stream", "websocket")) {
            site.awaitCount(1, "rtkit.messages.delivered", "transport", t);
            assertEquals(1, site.count("rtkit.resumes", "transport", t), t);
            assertEquals(1, site.count("rtkit.connections.opened", "transport", t), t);
            assertTrue(site.count("rtkit.bytes.sent", "transport", t) > 0, t);
        }
        assertEquals(1, site.count("rtkit.connections.closed", "transport", "poll", "reason", "answered"));
        assertEquals(1, site.count("rtkit.connections.closed", "transport", "longpoll", "reason", "answered"));
        site.awaitCount(1, "rtkit.connections.closed", "transport", "websocket", "reason", "client");
    }

    @Test
    void anEmptyLongPollClosesAsTimeoutAndAGapIsCountedByReason() throws Exception {
        site = new MeteredServer(new TestServer().param(Settings.LONG_POLL_TIMEOUT, 200));
        assertEquals(200, site.get("/rt/longpoll/quiet").getStatus());
        assertEquals(1, site.count("rtkit.connections.closed", "transport", "longpoll", "reason", "timeout"));
        site.publish("quiet", "1");
        assertEquals(200, site.get("/rt/poll/quiet?since=otherepoch-3").getStatus());
        assertEquals(1, site.count("rtkit.gaps", "reason", "epoch"));
        assertEquals(0, site.count("rtkit.gaps", "reason", "expired"));
    }

    @Test
    void refusalsAreCountedByReason() throws Exception {
        site = new MeteredServer(new TestServer().param(Settings.MAX_MESSAGE_SIZE, 16));
        assertEquals(400, site.get("/rt/sse/bad!topic").getStatus());
        assertEquals(413, site.publish("t", "\"" + "x".repeat(64) + "\"").getStatus());
        assertEquals(400, site.get("/rt/poll/t?since=not-a-cursor!").getStatus());
        try (RawWebSocket raw = RawWebSocket.open(ws(""), Map.of("Origin", "http://evil.example"))) {
            assertEquals(403, raw.status());
        }
        assertEquals(1, site.count("rtkit.rejections", "reason", "topic"));
        assertEquals(1, site.count("rtkit.rejections", "reason", "payload"));
        assertEquals(1, site.count("rtkit.rejections", "reason", "request"));
        assertEquals(1, site.count("rtkit.rejections", "reason", "origin"));
        assertEquals(0, site.count("rtkit.rejections", "reason", "rate"));
        assertEquals(0, site.count("rtkit.rejections", "reason", "auth"));
    }

    @Test
    void publishingFasterThanTheRateIsCountedAsRate() throws Exception {
        site = new MeteredServer(new TestServer().param(Settings.MAX_PUBLISH_RATE, 1));
        assertEquals(202, site.publish("t", "1").getStatus());
        assertEquals(429, site.publish("t", "2").getStatus());
        assertEquals(1, site.count("rtkit.rejections", "reason", "rate"));
        assertEquals(1, site.count("rtkit.messages.published"));
    }

    @Test
    void roleAndConnectionLimitRefusalsAreCountedWhereTheGuardDecides() throws Exception {
        site = new MeteredServer(new TestServer().param(Settings.PUBLISH_ROLE, "writer")
                .param(Settings.MAX_CONNECTIONS_PER_ADDRESS, 1));
        assertEquals(403, site.publish("t", "1").getStatus());
        try (LineStream held = LineStream.open(site.http, site.uri("/rt/stream/t"))) {
            held.next(WAIT);
            assertEquals(429, site.get("/rt/sse/t").getStatus());
        }
        assertEquals(1, site.count("rtkit.rejections", "reason", "auth"));
        assertEquals(1, site.count("rtkit.rejections", "reason", "limit"));
    }

    @Test
    void fallbackReportsAreCountedByFromToAndReasonAndBadOnesIgnored() throws Exception {
        site = new MeteredServer(new TestServer());
        assertEquals(200, site.get("/rt/poll/t?fallback=websocket.handshake").getStatus());
        assertEquals(200, site.get("/rt/poll/t?fallback=longpoll.timeout").getStatus());
        assertEquals(200, site.get("/rt/poll/t?fallback=bogus.reason").getStatus());
        assertEquals(200, site.get("/rt/poll/t?fallback=poll.error").getStatus());
        assertEquals(200, site.get("/rt/poll/t?fallback=" + "websocket.".repeat(20)).getStatus());
        try (JettyWsClient ws = JettyWsClient.connect(Clients.HTTP_1_1, ws("?fallback=sse.heartbeat"), Map.of())) {
            site.awaitCount(1, "rtkit.fallbacks", "from", "sse", "to", "websocket", "reason", "heartbeat");
        }
        assertEquals(1, site.count("rtkit.fallbacks", "from", "websocket", "to", "poll", "reason", "handshake"));
        assertEquals(1, site.count("rtkit.fallbacks", "from", "longpoll", "to", "poll", "reason", "timeout"));
        // Unknown names, a report from the transport itself and an overlong one: ignored, counted as refusals.
        assertEquals(3, site.count("rtkit.rejections", "reason", "fallback"));
        assertEquals(3, site.registry.find("rtkit.fallbacks").counters().size());
    }

    @Test
    void noMeterCarriesATopicNameAndEveryTagIsBounded() throws Exception {
        site = new MeteredServer(new TestServer());
        List<String> topics = List.of("alpha-secret", "beta/private.7", "gamma_x");
        List<dev.rtkit.Subscription> listeners = new ArrayList<>();
        try (JettyWsClient ws = JettyWsClient.connect(Clients.HTTP_1_1, ws(""), Map.of())) {
            for (String t : topics) {
                listeners.add(site.server.rtkit().subscribe(List.of(t), null, m -> { }));
                ws.send(WsClient.json("type", "subscribe", "topic", t));
                ws.nextOfType("subscribed", WAIT);
                try (LineStream s = LineStream.open(site.http, site.uri("/rt/sse/" + t))) {
                    s.next(WAIT);
                    site.publish(t, "1");
                    s.until(line -> line.startsWith("data:"), WAIT);
                }
                ws.nextOfType("message", WAIT);
                site.get("/rt/poll/" + t + "?fallback=websocket.timeout");
                site.get("/rt/poll/" + t + "?since=otherepoch-1");
                site.get("/rt/poll/" + t + "?fallback=" + t);
            }
            site.awaitCount(topics.size(), "rtkit.messages.delivered", "transport", "server");
        } finally {
            listeners.forEach(dev.rtkit.Subscription::close);
        }
        Set<String> transports = new java.util.HashSet<>(List.of("server"));
        Transport.ALL.forEach(t -> transports.add(t.wireName()));
        Set<String> reasons = new java.util.HashSet<>(Fallback.REASONS);
        for (Rejection r : Rejection.values()) {
            reasons.add(r.tag());
        }
        for (Closed c : Closed.values()) {
            reasons.add(c.tag());
        }
        for (dev.rtkit.Gap.Reason g : dev.rtkit.Gap.Reason.values()) {
            reasons.add(g.wireName());
        }
        for (LogMonitor.Reread r : LogMonitor.Reread.values()) {
            reasons.add(r.tag());
        }
        Set<String> operations = new java.util.HashSet<>();
        for (LogMonitor.Operation o : LogMonitor.Operation.values()) {
            operations.add(o.tag());
        }
        Map<String, Set<String>> allowed = Map.of("transport", transports, "reason", reasons,
                "from", Set.copyOf(transports), "to", Set.copyOf(transports), "operation", operations);
        for (Meter meter : site.registry.getMeters()) {
            String name = meter.getId().getName();
            assertTrue(name.startsWith("rtkit."), name);
            for (Tag tag : meter.getId().getTags()) {
                assertTrue(allowed.containsKey(tag.getKey()), name + " has tag " + tag);
                assertTrue(allowed.get(tag.getKey()).contains(tag.getValue()), name + " has an unbounded value " + tag);
                for (String t : topics) {
                    assertFalse(tag.getValue().contains(t) || name.contains(t), name + " carries topic " + t);
                }
            }
        }
    }

    @Test
    void metersLeaveTheRegistryWhenTheApplicationStops() throws Exception {
        site = new MeteredServer(new TestServer());
        site.get("/rt/poll/t");
        assertTrue(site.hasMeter("rtkit.connections"));
        site.server.stopApplication();
        assertEquals(List.of(), site.registry.getMeters());
    }

    @Test
    void metricsOffRecordsNothingEvenWithARegistry() throws Exception {
        site = new MeteredServer(new TestServer().param(Settings.METRICS, "off"));
        site.publish("t", "1");
        assertEquals(200, site.get("/rt/poll/t").getStatus());
        assertEquals(List.of(), site.registry.getMeters());
    }
}
