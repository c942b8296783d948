package dev.rtkit.demosite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The launcher itself: connectors, protocols, certificate, options. */
class LauncherTest extends RunningSite {
    static final List<String> PAGES = List.of("/", "/race", "/chat", "/push", "/limits");

    @ParameterizedTest
    @EnumSource(DemoClients.class)
    void everyPageIsServedOverEveryProtocol(DemoClients kind) throws Exception {
        org.eclipse.jetty.client.HttpClient client = kind.create();
        try {
            for (String page : PAGES) {
                ContentResponse response = client.GET(kind.base(site) + page);
                assertEquals(200, response.getStatus(), page + " over " + kind);
                assertTrue(response.getContentAsString().contains("<html"), page + " is a page");
            }
            ContentResponse info = client.GET(kind.base(site) + "/demo/info");
            assertTrue(info.getContentAsString().contains("\"protocol\":\"" + kind.serverSees + "\""), info.getContentAsString());
        } finally {
            client.stop();
        }
    }

    @Test
    void certificateIsValidFor127001AndLocalhost() throws Exception {
        org.eclipse.jetty.client.HttpClient client = DemoClients.TLS_H2.create(site.keystore());
        try {
            for (String host : List.of("127.0.0.1", "localhost")) {
                ContentResponse response = client.GET("https://" + host + ":" + site.httpsPort() + "/demo/info");
                assertEquals(200, response.getStatus(), host);
            }
        } finally {
            client.stop();
        }
    }

    @Test
    void certificateIsMadeOnceAndReused() throws Exception {
        Path keystore = dir.resolve("reuse.p12");
        X509Certificate first;
        try (DemoSite a = DemoSite.start("--http-port", "0", "--https-port", "0", "--keystore", keystore.toString())) {
            first = certificate(keystore);
        }
        try (DemoSite b = DemoSite.start("--http-port", "0", "--https-port", "0", "--keystore", keystore.toString())) {
            assertArrayEquals(first.getEncoded(), certificate(keystore).getEncoded());
        }
        List<String> names = first.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList();
        assertTrue(names.contains("localhost") && names.contains("127.0.0.1"), names.toString());
    }

    private static X509Certificate certificate(Path keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keystore)) {
            store.load(in, SelfSignedKeystore.PASSWORD.toCharArray());
        }
        return (X509Certificate) store.getCertificate(SelfSignedKeystore.ALIAS);
    }

    @Test
    void bindsLoopbackByDefault() {
        assertEquals("127.0.0.1", Options.parse(List.of()).host());
        assertEquals(8080, Options.parse(List.of()).httpPort());
        assertEquals(8443, Options.parse(List.of()).httpsPort());
        assertEquals("http://127.0.0.1:" + site.httpPort() + "/", site.httpUri().toString());
    }

    @Test
    void badOptionsAreRejectedWithAReason() {
        assertThrows(IllegalArgumentException.class, () -> Options.parse(List.of("--http-port", "x")));
        assertThrows(IllegalArgumentException.class, () -> Options.parse(List.of("--http-port", "70000")));
        assertThrows(IllegalArgumentException.class, () -> Options.parse(List.of("--host")));
        assertThrows(IllegalArgumentException.class, () -> Options.parse(List.of("--colour", "red")));
        assertThrows(IllegalArgumentException.class, () -> Options.parse(List.of("8080")));
    }

    @Test
    void badOptionsExitWithCode2AndUsage() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                DemoSite.class.getName(), "--http-port", "not-a-port").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, process.exitValue(), output);
        assertTrue(output.contains("--http-port must be a port number") && output.contains("usage:"), output);
    }

    @Test
    void webSocketProbeReportsTheHandshakeProtocol() throws Exception {
        CompletableFuture<String> first = new CompletableFuture<>();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + site.httpPort() + "/demo/ws-protocol"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        first.complete(data.toString());
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        String seen = first.get(10, TimeUnit.SECONDS);
        ws.abort();
        assertTrue(seen.contains("\"protocol\":\"HTTP/1.1\"") && seen.contains("\"method\":\"GET\""), seen);
    }
}
