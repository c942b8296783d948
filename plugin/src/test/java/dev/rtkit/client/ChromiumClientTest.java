package dev.rtkit.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rtkit.client.PageServer.Protocol;
import dev.rtkit.testing.Chromium;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.chrome.ChromeDriver;

/** rtkit.js in headless Chromium, every forced transport over HTTP/1.1 and over h2 (TLS, ALPN). */
class ChromiumClientTest {
    static final List<String> TRANSPORTS = List.of("websocket", "sse", "stream", "longpoll", "poll");

    private static ChromeDriver driver;
    private PageServer server;
    private ChromiumPage page;

    @BeforeAll
    static void startBrowser() throws Exception {
        driver = Chromium.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    @AfterEach
    void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    static Stream<Arguments> transportsAndProtocols() {
        List<Arguments> out = new ArrayList<>();
        for (Protocol p : Protocol.values()) {
            for (String t : TRANSPORTS) {
                out.add(Arguments.of(t, p));
            }
        }
        return out.stream();
    }

    private ChromiumPage open(Map<String, String> params, Protocol protocol, String path) throws Exception {
        server = PageServer.start(params);
        page = new ChromiumPage(driver);
        page.open(server.page(protocol, path));
        JsonNode s = page.state();
        assertEquals(protocol.alpn, s.get("protocol").asText(), "the page came over " + protocol);
        return page;
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("transportsAndProtocols")
    void receivesInOrderAndPublishes(String transport, Protocol protocol) throws Exception {
        open(Map.of(), protocol, "client.html");
        Scenarios.receivesInOrderAndPublishes(page, server, transport);
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("transportsAndProtocols")
    void resumesWithoutLossWhenServerDropsConnections(String transport, Protocol protocol) throws Exception {
        open(Map.of(), protocol, "client.html");
        Scenarios.resumesWithoutLossWhenServerDrops(page, server, transport);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"websocket", "sse", "stream", "longpoll", "poll"})
    void resumesAfterAServerRestartWithAGap(String transport) throws Exception {
        open(Map.of(), Protocol.HTTP_1_1, "client.html");
        Scenarios.resumesAfterARestartWithAGap(page, server, transport);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"websocket", "sse", "stream", "longpoll", "poll"})
    void reportsGapWhenResumingFromAnotherEpoch(String transport) throws Exception {
        open(Map.of(), Protocol.HTTP_1_1, "client.html");
        Scenarios.reportsGapWhenResumingFromAnotherEpoch(page, server, transport);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"websocket", "sse", "stream", "longpoll", "poll"})
    void resumesEachOfSeveralTopicsWithoutLoss(String transport) throws Exception {
        open(Map.of(), Protocol.HTTP_1_1, "client.html");
        Scenarios.resumesSeveralTopicsWithoutLoss(page, server, transport);
    }

    /** A stream that stays open but goes quiet (no heartbeat) is declared dead and reopened. */
    @Test
    void declaresASilentStreamDeadAndReconnects() throws Exception {
        open(Map.of(), Protocol.HTTP_1_1, "client.html");
        int before = SilentStreamServlet.STREAMS.get();
        page.eval("h.start({url: '/silent', transports: ['stream'], heartbeatTimeout: 500, reconnectDelay: 50}, ['news'])");
        JsonNode s = page.await("two watchdog reconnects", Scenarios.WAIT, st -> ClientPage.count(st, "reconnecting") >= 2);
        for (JsonNode e : s.get("events")) {
            if (e.get("name").asText().equals("reconnecting")) {
                assertEquals("no heartbeat within 500 ms", e.get("value").get("reason").asText());
            }
        }
        assertTrue(SilentStreamServlet.STREAMS.get() - before >= 2, "the stream was reopened");
        assertEquals(0, ClientPage.count(s, "transport"), "a stream that worked is retried, not replaced");
    }

    /** Ids seen already are dropped: each message reaches the subscriber once, in id order. */
    @Test
    void deliversEachIdOnceWhenTheServerRepeatsThem() throws Exception {
        open(Map.of(), Protocol.HTTP_1_1, "client.html");
        page.eval("h.start({url: '/repeating', transports: ['stream']}, ['news'])");
        JsonNode s = page.await("the repeated stream read", Scenarios.WAIT,
                st -> st.get("received").size() >= 4 && st.get("stats").get("duplicates").asInt() >= 3);
        assertEquals(List.of(2, 3, 4, 5), Scenarios.numbers(s));
        assertEquals(3, s.get("stats").get("duplicates").asInt());
    }

    /** The server's heartbeats keep a quiet stream alive well past the heartbeat timeout. */
    @Test
    void heartbeatsKeepAQuietStreamOpen() throws Exception {
        open(Map.of("heartbeatIntervalMillis", "100"), Protocol.HTTP_1_1, "client.html");
        page.eval("h.start({transports: ['stream'], heartbeatTimeout: 600}, ['news'])");
        // 12 heartbeats at 100 ms take longer than two heartbeat timeouts.
        JsonNode s = page.await("12 heartbeats", Scenarios.WAIT, st -> st.get("stats").get("heartbeats").asInt() >= 12);
        assertEquals(0, ClientPage.count(s, "reconnecting"), s.get("events").toString());
        assertEquals(1, ClientPage.count(s, "open"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"websocket", "sse", "stream", "longpoll"})
    void closeReleasesTheServerSideSubscription(String transport) throws Exception {
        // Short heartbeats: over HTTP/1.1 the server learns that a stream's reader left only when a write fails.
        open(Map.of("heartbeatIntervalMillis", "100", "longPollTimeoutMillis", "300"), Protocol.HTTP_1_1, "client.html");
        Scenarios.start(page, Scenarios.forced(transport));
        page.await("open", Scenarios.WAIT, st -> ClientPage.count(st, "open") >= 1);
        // A long-poll holds its subscription only while parked, not between two polls: wait for one to be parked.
        Awaitility.await("subscribed on the server").atMost(Scenarios.WAIT).until(() -> server.hub().subscriptionCount() >= 1);
        page.eval("h.c.close()");
        long deadline = System.nanoTime() + Scenarios.WAIT.toNanos();
        while (server.hub().subscriptionCount() > 0) {
            assertTrue(System.nanoTime() < deadline, "subscriptions left: " + server.hub().subscriptionCount());
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        JsonNode s = page.state();
        assertEquals(1, ClientPage.count(s, "close"));
        assertEquals(0, ClientPage.count(s, "reconnecting"), s.get("events").toString());
    }

    @ParameterizedTest(name = "over {0}")
    @EnumSource(Protocol.class)
    void fallsBackToSseWhenWebSocketIsRefused(Protocol protocol) throws Exception {
        open(Map.of("transports", "poll,longpoll,stream,sse"), protocol, "client.html");
        Scenarios.fallsBack(page, server, "sse", "{reconnectDelay: 200, openTimeout: 5000}");
        List<String> reports = server.requests().stream().filter(r -> r.contains("fallback=")).toList();
        assertEquals(1, reports.size(), "the fallback is reported once: " + server.requests());
        assertTrue(reports.get(0).startsWith("/rt/sse?") && reports.get(0).contains("fallback=websocket.handshake"),
                reports.toString());
    }

    @Test
    void worksAsAnEsModule() throws Exception {
        open(Map.of(), Protocol.HTTP_1_1, "module.html");
        JsonNode info = page.eval("window.moduleInfo || null");
        assertTrue(info != null && !info.isNull(), "module ran");
        assertEquals("function", info.get("connect").asText());
        assertTrue(info.get("sameConnect").asBoolean());
        assertEquals("[\"websocket\",\"sse\",\"stream\",\"longpoll\",\"poll\"]", info.get("transports").toString());
        Scenarios.receivesInOrderAndPublishes(page, server, "sse");
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "sse", "stream", "longpoll", "poll"})
    void aRefusedTopicIsReportedOnceAndTheAllowedOnesKeepFlowing(String transport) throws Exception {
        open(Map.of("authorizer", "dev.rtkit.servlet.OwnTopicsAuthorizer"), Protocol.HTTP_1_1, "client.html");
        Scenarios.refusedTopicIsReportedOnceAndTheOthersFlow(page, server, transport);
    }
}
