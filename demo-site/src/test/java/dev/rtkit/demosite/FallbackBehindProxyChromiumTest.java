package dev.rtkit.demosite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtkit.testing.Chromium;
import dev.rtkit.testing.Nginx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Why a browser fell back, as the operator sees it: the demo behind an nginx that forwards its upstream's name as
 * {@code Host} (nginx's default: the README's block without its {@code Host} line), so rtkit's origin policy
 * refuses the page's WebSocket handshake (403). The demo's own /monitor page, with the rtkit.js the demo serves,
 * falls back to SSE, says why on its first SSE request, and {@code /metrics} counts exactly that one fallback.
 */
class FallbackBehindProxyChromiumTest extends RunningSite {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String HOST_LINE = "proxy_set_header Host $http_host;";
    private static final String FORWARDED_HOST_LINE = "proxy_set_header X-Forwarded-Host $http_host;";
    private ChromeDriver chrome;
    private Nginx nginx;

    @AfterEach
    void closeBrowserAndProxy() throws Exception {
        if (chrome != null) {
            chrome.quit();
        }
        if (nginx != null) {
            nginx.close();
        }
    }

    @Test
    void aWebSocketRefusedByOriginPolicyIsCountedAsAHandshakeFallbackToSse() throws Exception {
        int port = Nginx.freePort();
        nginx = Nginx.start(proxyWithoutHostHeader(port, site.httpPort()), port);
        chrome = Chromium.start();
        chrome.get("http://127.0.0.1:" + port + "/monitor");

        // The page subscribes over SSE once its WebSocket was refused, and its own monitor shows its fallback.
        Awaitility.await("the page over SSE, its monitor showing one fallback").atMost(WAIT)
                .untilAsserted(() -> assertEquals("over sse; 1", text("monitor-transport") + "; "
                        + js("window.rtkitMonitor.last ? window.rtkitMonitor.last.fallbacks : null"), nginx.log()));

        Map<String, Double> samples = rtkitSamples();
        assertEquals(1.0, samples.get("rtkit_fallbacks_total{from=\"websocket\",reason=\"handshake\",to=\"sse\"}"),
                samples.toString());
        assertEquals(1, samples.keySet().stream().filter(s -> s.startsWith("rtkit_fallbacks_total")).count(),
                "no other fallback: " + samples);
        assertEquals(1.0, samples.get("rtkit_rejections_total{reason=\"origin\"}"), "the handshake was refused by origin");
        assertEquals(0.0, samples.get("rtkit_rejections_total{reason=\"fallback\"}"), "the report was understood");
        assertEquals(0.0, samples.get("rtkit_connections_opened_total{transport=\"websocket\"}"), "no WebSocket opened");
        assertEquals(1.0, samples.get("rtkit_connections{transport=\"sse\"}"), "the page's one SSE stream");
        assertEquals(List.of(), js("window.rtkitMonitor.errors"));
    }

    /** The README's nginx block for this demo, less the two lines that tell Jetty the host the browser addressed. */
    private static String proxyWithoutHostHeader(int port, int backend) throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        int start = readme.indexOf("```nginx\n");
        assertTrue(start >= 0, "README has an nginx block");
        String block = readme.substring(start + "```nginx\n".length(), readme.indexOf("\n```", start));
        assertTrue(block.contains(HOST_LINE) && block.contains(FORWARDED_HOST_LINE), block);
        String site = block.replace(HOST_LINE, "").replace(FORWARDED_HOST_LINE, "")
                .replace("listen 80;", "listen 127.0.0.1:" + port + ";")
                .replace("server 127.0.0.1:8080;", "server 127.0.0.1:" + backend + ";");
        assertTrue(site.contains(":" + port + ";") && site.contains(":" + backend + ";"), "the block's ports moved: " + block);
        return site;
    }

    /** The rtkit series of a /metrics scrape, straight from the demo. */
    private static Map<String, Double> rtkitSamples() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + site.httpPort() + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        Map<String, Double> out = new TreeMap<>();
        MetricsEndpointTest.parse(r.body()).forEach((series, value) -> {
            if (series.startsWith("rtkit_")) {
                out.put(series, value);
            }
        });
        return out;
    }

    private String text(String id) {
        return chrome.findElement(By.id(id)).getText();
    }

    private Object js(String expression) {
        return ((JavascriptExecutor) chrome).executeScript("return " + expression + ";");
    }
}
