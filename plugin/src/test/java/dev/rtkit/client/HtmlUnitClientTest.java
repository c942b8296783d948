package dev.rtkit.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rtkit.client.PageServer.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * rtkit.js in HtmlUnit over HTTP/1.1, on the transports HtmlUnit supports: WebSocket,
 * long-polling and polling.
 * HtmlUnit performs an async XHR inside a job on the window's one JavaScript thread, so a pending long-poll holds
 * back every other job (timers, the page's publishes) until it is answered: the server here answers long-polls
 * after a second rather than 25.
 */
class HtmlUnitClientTest {
    private static final Map<String, String> SHORT_LONG_POLLS = Map.of("longPollTimeoutMillis", "1000");

    private PageServer server;
    private HtmlUnitPage page;

    @AfterEach
    void stop() throws Exception {
        if (page != null) {
            page.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void open(Map<String, String> params) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(SHORT_LONG_POLLS);
        all.putAll(params);
        server = PageServer.start(all);
        page = new HtmlUnitPage();
        page.open(server.page(Protocol.HTTP_1_1, "client.html"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "longpoll", "poll"})
    void receivesInOrderAndPublishes(String transport) throws Exception {
        open(Map.of());
        Scenarios.receivesInOrderAndPublishes(page, server, transport);
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "longpoll", "poll"})
    void resumesWithoutLossWhenServerDropsConnections(String transport) throws Exception {
        open(Map.of());
        Scenarios.resumesWithoutLossWhenServerDrops(page, server, transport);
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "longpoll", "poll"})
    void reportsGapWhenResumingFromAnotherEpoch(String transport) throws Exception {
        open(Map.of());
        Scenarios.reportsGapWhenResumingFromAnotherEpoch(page, server, transport);
    }

    /**
     * HtmlUnit has no working EventSource and no fetch streaming: the default order ends on long-polling. The open
     * timeout leaves a loaded machine time to refuse the WebSocket handshake (else the reason is the timeout).
     */
    @Test
    void fallsBackToLongPollingWhereNothingElseWorks() throws Exception {
        open(Map.of("transports", "poll,longpoll,stream,sse"));
        JsonNode s = Scenarios.fallsBack(page, server, "longpoll", "{reconnectDelay: 200, openTimeout: 5000}");
        List<String> chain = new ArrayList<>();
        for (JsonNode e : s.get("events")) {
            if (e.get("name").asText().equals("transport")) {
                chain.add(e.get("value").get("name").asText());
            }
        }
        assertEquals(List.of("sse", "stream", "longpoll"), chain, s.get("events").toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "longpoll", "poll"})
    void aRefusedTopicIsReportedOnceAndTheAllowedOnesKeepFlowing(String transport) throws Exception {
        open(Map.of("authorizer", "dev.rtkit.servlet.OwnTopicsAuthorizer"));
        Scenarios.refusedTopicIsReportedOnceAndTheOthersFlow(page, server, transport);
    }
}
