package dev.rtkit.internal.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rtkit.testing.TestServer;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import org.htmlunit.BrowserVersion;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebClient;
import org.htmlunit.WebRequest;
import org.htmlunit.html.DomNode;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A browser page (HtmlUnit) receiving messages by polling and by long-polling with XHR. */
class XhrPageTest {
    private TestServer server;
    private WebClient browser;

    @BeforeEach
    void start() throws Exception {
        server = new TestServer().staticResources("pages").param("longPollTimeoutMillis", 5000).start();
        browser = new WebClient(BrowserVersion.CHROME);
        browser.getOptions().setThrowExceptionOnScriptError(true);
    }

    @AfterEach
    void stop() throws Exception {
        browser.close();
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"poll", "longpoll"})
    void pageReceivesPublishedMessagesInOrder(String mode) throws Exception {
        HtmlPage page = browser.getPage(server.uri("/xhr.html#" + mode).toURL());
        await(() -> page.getTitleText().equals("ready"), page);
        for (String text : List.of("first", "<b>second</b>", "third")) {
            WebRequest publish = new WebRequest(new URL(server.uri("/rt/publish/page").toString()), HttpMethod.POST);
            publish.setRequestBody(text);
            assertEquals(202, browser.loadWebResponse(publish).getStatusCode());
        }
        await(() -> items(page).size() == 3, page);
        assertEquals(List.of("first", "<b>second</b>", "third"), items(page));
    }

    private static List<String> items(HtmlPage page) {
        List<String> out = new ArrayList<>();
        for (DomNode li : page.querySelectorAll("#log li")) {
            out.add(li.getTextContent());
        }
        return out;
    }

    private void await(java.util.function.BooleanSupplier condition, HtmlPage page) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("page never got there: " + page.asNormalizedText());
            }
            browser.waitForBackgroundJavaScript(50);
        }
    }
}
