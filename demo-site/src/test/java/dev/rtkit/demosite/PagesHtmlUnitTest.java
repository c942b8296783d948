package dev.rtkit.demosite;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.htmlunit.BrowserVersion;
import org.htmlunit.ScriptException;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.javascript.DefaultJavaScriptErrorListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every page loads in HtmlUnit (HTTP/1.1) without a JavaScript error, and the race runs there too. */
class PagesHtmlUnitTest extends RunningSite {
    WebClient browser;
    final List<String> errors = new CopyOnWriteArrayList<>();

    @BeforeEach
    void openBrowser() {
        browser = new WebClient(BrowserVersion.CHROME);
        browser.getOptions().setUseInsecureSSL(true);
        browser.getOptions().setThrowExceptionOnScriptError(false);
        browser.getOptions().setPrintContentOnFailingStatusCode(false);
        browser.setJavaScriptErrorListener(new DefaultJavaScriptErrorListener() {
            @Override
            public void scriptException(HtmlPage page, ScriptException e) {
                errors.add(page.getUrl() + ": " + e.getMessage() + " (line " + e.getFailingLineNumber() + " of "
                        + e.getScriptSourceCode() + "; " + e.getCause() + ")");
            }

            @Override
            public void loadScriptError(HtmlPage page, java.net.URL url, Exception e) {
                errors.add(page.getUrl() + ": cannot load " + url + ": " + e);
            }
        });
    }

    @AfterEach
    void closeBrowser() {
        browser.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/race", "/chat", "/push", "/limits"})
    void pageLoadsWithoutJavaScriptErrors(String path) throws Exception {
        HtmlPage page = browser.getPage(site.httpUri().resolve(path).toURL());
        assertEquals(200, page.getWebResponse().getStatusCode());
        if (page.getElementsByTagName("script").getLength() > 0) {
            // Each page script marks the document when its start-up has run; errors before or during it are recorded.
            await().atMost(Duration.ofSeconds(10)).pollInSameThread().untilAsserted(() -> assertTrue(() -> {
                browser.waitForBackgroundJavaScript(50);
                return "true".equals(page.getDocumentElement().getAttribute("data-ready")) || !errors.isEmpty();
            }, () -> "page script did not start; errors " + errors));
        }
        assertEquals(List.of(), errors);
    }

    @Test
    void indexLinksEveryTechniqueToItsLiveDemo() throws Exception {
        HtmlPage page = browser.getPage(site.httpUri().toURL());
        String xml = page.asXml();
        for (String id : List.of("polling", "long-polling", "streaming", "websocket", "sse", "http2-push")) {
            assertTrue(page.getElementById(id) != null, id);
        }
        for (String link : List.of("race#poll", "race#longpoll", "race#stream", "race#websocket", "race#sse", "chat", "push", "limits")) {
            assertTrue(xml.contains("href=\"" + link + "\""), link);
        }
        assertTrue(page.asNormalizedText().contains("高延遲：有新資料也要等下一次抓取才能用"));
    }

    @Test
    void longPollingPanelReceivesTheTickerInHtmlUnit() throws Exception {
        HtmlPage page = browser.getPage(site.httpUri().resolve("/race").toURL());
        await().atMost(Duration.ofSeconds(20)).pollInSameThread().untilAsserted(() -> assertTrue(() -> {
            browser.waitForBackgroundJavaScript(50);
            return received(page, "longpoll") > 0;
        }, () -> "poll=" + received(page, "poll") + " longpoll=" + received(page, "longpoll") + " errors=" + errors
                + " poll panel: " + page.getElementById("poll").asNormalizedText()));
        assertEquals(List.of(), errors);
    }

    private static int received(HtmlPage page, String transport) {
        return Integer.parseInt(page.getElementById(transport).getAttribute("data-received"));
    }
}
