package dev.rtkit.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rtkit.client.PageServer.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
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
    static final List<String> TRANSPORTS = List.of("sse", "stream", "longpoll", "poll");

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
    @ValueSource(strings = {"sse", "stream", "longpoll", "poll"})
    void reportsGapWhenResumingFromAnotherEpoch(String transport) throws Exception {
        open(Map.of(), Protocol.HTTP_1_1, "client.html");
        Scenarios.reportsGapWhenResumingFromAnotherEpoch(page, server, transport);
    }

    @ParameterizedTest(name = "over {0}")
    @EnumSource(Protocol.class)
    void fallsBackToSseWhenWebSocketIsRefused(Protocol protocol) throws Exception {
        open(Map.of("transports", "poll,longpoll,stream,sse"), protocol, "client.html");
        Scenarios.fallsBack(page, server, "sse", "{reconnectDelay: 200, openTimeout: 5000}");
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
}
