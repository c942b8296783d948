package dev.rtkit.internal.transport.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtkit.internal.servlet.Settings;
import dev.rtkit.testing.Clients;
import dev.rtkit.testing.JettyWsClient;
import dev.rtkit.testing.RawWebSocket;
import dev.rtkit.testing.TestServer;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.websocket.api.exceptions.UpgradeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The handshake's Origin check: same-origin by default, an allow-list, * for any; refusals are 403 before the upgrade. */
class WebSocketOriginTest {
    private TestServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private URI ws() {
        return URI.create("ws://127.0.0.1:" + server.port() + "/rt/ws");
    }

    private String self() {
        return "http://127.0.0.1:" + server.port();
    }

    private int handshake(String origin) throws Exception {
        try (RawWebSocket raw = RawWebSocket.open(ws(), origin == null ? Map.of() : Map.of("Origin", origin))) {
            return raw.status();
        }
    }

    @Test
    void foreignOriginIsRefusedWith403BeforeTheUpgrade() throws Exception {
        server = new TestServer().start();
        try (RawWebSocket raw = RawWebSocket.open(ws(), Map.of("Origin", "http://evil.example"))) {
            assertEquals(403, raw.status(), raw.head());
            assertFalse(raw.head().toLowerCase().contains("upgrade: websocket"), raw.head());
            String body = raw.bodyStart(4096);
            assertFalse(body.contains("at dev.rtkit") || body.contains("Exception"), body);
        }
        assertEquals(0, server.hub().subscriptionCount());
    }

    @Test
    void foreignOriginIsRefusedWith403ForJettyClientsOverHttp1AndHttp2() throws Exception {
        server = new TestServer().start();
        for (Clients clients : Clients.values()) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> JettyWsClient.connect(clients, ws(), Map.of("Origin", "https://evil.example")).close());
            UpgradeException upgrade = assertInstanceOf(UpgradeException.class, e.getCause(), clients.name());
            assertEquals(403, upgrade.getResponseStatusCode(), clients.name());
        }
    }

    @Test
    void pageOfTheSameOriginIsAccepted() throws Exception {
        server = new TestServer().start();
        assertEquals(101, handshake(self()));
        assertEquals(101, handshake(self() + "/"));
        for (Clients clients : Clients.values()) {
            try (JettyWsClient c = JettyWsClient.connect(clients, ws(), Map.of("Origin", self()))) {
                assertEquals(clients == Clients.H2C ? 200 : 101, c.upgradeStatus());
            }
        }
    }

    @Test
    void sameHostOtherPortOrSchemeOrNameIsAnotherOrigin() throws Exception {
        server = new TestServer().start();
        assertEquals(403, handshake("http://127.0.0.1:" + (server.port() == 1 ? 2 : server.port() - 1)));
        assertEquals(403, handshake("http://localhost:" + server.port()));
        assertEquals(403, handshake("http://127.0.0.1"));
        assertEquals(403, handshake("null"));
    }

    @Test
    void requestWithoutOriginComesFromANonBrowserClientAndIsAccepted() throws Exception {
        server = new TestServer().start();
        assertEquals(101, handshake(null));
    }

    @Test
    void allowListedOriginIsAcceptedAndOthersStillRefused() throws Exception {
        server = new TestServer().param(Settings.ALLOWED_ORIGINS, "https://app.example.com, http://localhost:3000").start();
        assertEquals(101, handshake("https://app.example.com"));
        assertEquals(101, handshake("https://APP.example.com:443"));
        assertEquals(101, handshake("http://localhost:3000"));
        assertEquals(101, handshake(self()));
        assertEquals(403, handshake("http://app.example.com"));
        assertEquals(403, handshake("https://evil.example"));
    }

    @Test
    void starAllowsAnyOrigin() throws Exception {
        server = new TestServer().param(Settings.ALLOWED_ORIGINS, "*").start();
        assertEquals(101, handshake("https://anyone.example"));
        assertEquals(101, handshake("null"));
    }

    @Test
    void malformedAllowListFailsStartNamingTheParameter() throws Exception {
        server = new TestServer().param(Settings.ALLOWED_ORIGINS, "app.example.com/path");
        Exception e = assertThrows(Exception.class, server::start);
        Throwable t = e;
        while (t.getCause() != null && !t.getMessage().contains(Settings.ALLOWED_ORIGINS)) {
            t = t.getCause();
        }
        assertTrue(t.getMessage().contains(Settings.ALLOWED_ORIGINS + "='app.example.com/path'"), t.getMessage());
    }
}
