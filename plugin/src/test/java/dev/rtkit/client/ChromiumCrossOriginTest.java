package dev.rtkit.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtkit.testing.Chromium;
import dev.rtkit.testing.Nginx;
import dev.rtkit.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * A page on another origin (the same server's second port) in headless Chromium: refused when that origin is
 * not allowed, every transport when it is. The browser, not a test client, decides what a page may read.
 */
class ChromiumCrossOriginTest {
    private static final String[] TRANSPORTS = {"poll", "longpoll", "stream", "sse", "websocket"};
    private static ChromeDriver driver;
    private TestServer server;
    private int pagePort;

    @BeforeAll
    static void browser() throws Exception {
        driver = Chromium.start();
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    }

    @AfterAll
    static void quit() {
        if (driver != null) {
            driver.quit();
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** rtkit on one port; the page on another port of the same server, another origin to the browser. */
    private JavascriptExecutor pageOnAnotherOrigin(boolean allowed) throws Exception {
        pagePort = Nginx.freePort();
        String pageOrigin = "http://127.0.0.1:" + pagePort;
        server = new TestServer().staticResources("cross-origin").param("allowedOrigins", allowed ? pageOrigin : "")
                .setup((s, context) -> {
                    ServerConnector pages = new ServerConnector(s);
                    pages.setHost("127.0.0.1");
                    pages.setPort(pagePort);
                    s.addConnector(pages);
                })
                .start();
        driver.get(pageOrigin + "/page.html?api=" + server.uri());
        assertEquals("ready", driver.getTitle());
        return driver;
    }

    private static Object async(JavascriptExecutor page, String call) {
        return page.executeAsyncScript("const done = arguments[arguments.length - 1]; " + call + ".then(done);");
    }

    /** Messages published to {@code topic} so far, told by the seq of one more publish from a non-browser. */
    private int published(String topic) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.uri("/rt/publish/" + topic))
                .POST(HttpRequest.BodyPublishers.ofString("count")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, r.statusCode(), r.body());
        String id = r.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
        return Integer.parseInt(id.substring(id.lastIndexOf('-') + 1)) - 1;
    }

    @Test
    void aPageOnAnotherOriginCannotPublish() throws Exception {
        JavascriptExecutor page = pageOnAnotherOrigin(false);
        // A simple request (no preflight): sent with cookies, refused by rtkit, withheld by the browser.
        assertEquals("blocked", async(page, "tryPublish('csrf', 'text/plain')"));
        assertEquals("opaque", async(page, "tryPublish('csrf', 'text/plain', 'no-cors')"));
        // Needs a preflight, which is refused: the POST is never sent.
        assertEquals("blocked", async(page, "tryPublish('csrf', 'application/json')"));
        assertTrue(String.valueOf(async(page, "roundTrip('websocket', 'csrf', 'x')")).startsWith("error"));
        assertEquals(0, published("csrf"), "nothing the foreign page sent was published");
    }

    @Test
    void aPageOnAnAllowedOriginUsesEveryTransport() throws Exception {
        JavascriptExecutor page = pageOnAnotherOrigin(true);
        for (String transport : TRANSPORTS) {
            String data = "hello over " + transport;
            assertEquals(data, async(page, "roundTrip('" + transport + "', 'cors/" + transport + "', '" + data + "')"), transport);
        }
        assertEquals("202", async(page, "tryPublish('cors/plain', 'text/plain')"));
        assertEquals("202", async(page, "tryPublish('cors/json', 'application/json')"), "after a preflight");
    }
}
