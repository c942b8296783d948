package dev.rtkit.internal.transport.websocket;

import dev.rtkit.Payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtkit.testing.TestServer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.htmlunit.BrowserVersion;
import org.htmlunit.WebClient;
import org.htmlunit.html.DomElement;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A page using the browser WebSocket API (HtmlUnit), served by the same server. HtmlUnit 5.5 sends no
 * {@code Origin} on its WebSocket handshake, so cross-origin refusal is proven with the other clients.
 */
class WebSocketBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String PAGE = "/ws-page.html";

    private TestServer server;
    private WebClient browser;

    /** Serves the test page from test resources; added to this test's server only. */
    static final class PageServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            try (InputStream in = WebSocketBrowserTest.class.getResourceAsStream("ws-page.html")) {
                resp.setContentType("text/html;charset=utf-8");
                in.transferTo(resp.getOutputStream());
            }
        }
    }

    @BeforeEach
    void start() throws Exception {
        server = new TestServer().start();
        ((ServletContextHandler) server.server().getHandler()).addServlet(new ServletHolder(new PageServlet()), PAGE);
        browser = new WebClient(BrowserVersion.CHROME);
        browser.getOptions().setThrowExceptionOnScriptError(true);
    }

    @AfterEach
    void stop() throws Exception {
        browser.close();
        server.close();
    }

    private static List<String> items(HtmlPage page, String type) {
        return page.getDocumentElement().getElementsByTagName("li").stream()
                .filter(li -> type.equals(li.getAttribute("class")))
                .map(DomElement::getTextContent)
                .toList();
    }

    private static List<String> await(HtmlPage page, String type, int count) throws InterruptedException {
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(20))
                .alias(count + " '" + type + "' items on the page")
                .until(() -> items(page, type).size() >= count);
        return items(page, type);
    }

    @Test
    void pageSubscribesPublishesAndShowsPublishedMessages() throws Exception {
        HtmlPage page = browser.getPage(server.uri(PAGE + "?topic=browser").toURL());
        await(page, "subscribed", 1);
        assertEquals("hello from the page", await(page, "message", 1).get(0), "the page's own publish came back");
        assertTrue(await(page, "ack", 1).get(0).contains("\"ref\":\"page\""));

        server.hub().publish("browser", Payload.text("from the server"), null).toCompletableFuture().join();
        assertEquals(List.of("hello from the page", "from the server"), await(page, "message", 2));
        assertEquals(List.of(), items(page, "error"));
        assertEquals(1, server.hub().subscriptionCount());
    }
}
