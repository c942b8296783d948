package dev.rtkit.demosite;

import dev.rtkit.testing.Tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Headless Chromium against the real launcher, over TLS h2 (and HTTP/1.1 for /limits). */
class BrowserTest extends RunningSite {
    static final List<String> TRANSPORTS = List.of("poll", "longpoll", "stream", "sse", "websocket");

    ChromeDriver chrome;
    Path profile;

    @BeforeEach
    void openChromium() throws Exception {
        Tools.require(Tools.CHROMIUM, "chromium");
        Tools.require(Tools.CHROMEDRIVER, "chromium-driver");
        profile = Files.createTempDirectory(dir, "chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(Tools.CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
                "--no-first-run", "--ignore-certificate-errors", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Tools.CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        chrome = new ChromeDriver(service, options);
    }

    @AfterEach
    void closeChromium() {
        if (chrome != null) {
            chrome.quit();
        }
    }

    private String https(String path) {
        return "https://127.0.0.1:" + site.httpsPort() + path;
    }

    private Map<String, Integer> received() {
        return TRANSPORTS.stream().collect(Collectors.toMap(t -> t,
                t -> Integer.parseInt(chrome.findElement(By.cssSelector("[data-transport='" + t + "']")).getAttribute("data-received"))));
    }

    @Test
    void allFiveRacePanelsReceiveTheTickerOverH2() {
        chrome.get(https("/race"));
        Await.until(Duration.ofSeconds(30), () -> received().values().stream().allMatch(n -> n > 0),
                () -> "received " + received() + " statuses " + statuses());
        Object nextHop = ((JavascriptExecutor) chrome).executeScript(
                "return performance.getEntriesByType('navigation')[0].nextHopProtocol;");
        assertEquals("h2", nextHop);
        Await.until(Duration.ofSeconds(10),
                () -> "HTTP/2.0".equals(chrome.findElement(By.id("server-protocol")).getAttribute("data-protocol")),
                () -> chrome.findElement(By.id("server-protocol")).getText());
    }

    private String statuses() {
        return chrome.findElements(By.cssSelector(".panel .status")).stream().map(WebElement::getText).toList().toString();
    }

    @Test
    void chatMessageWithMarkupStaysText() {
        chrome.get(https("/chat"));
        Await.until(Duration.ofSeconds(20), () -> chrome.findElements(By.cssSelector(".chat .status")).stream()
                .allMatch(s -> s.getText().startsWith("connected")), () -> statusesOf(".chat .status"));
        String evil = "<b>bold</b><img src=x onerror=\"window.__pwned=1\"><script>window.__pwned=2</script>";
        WebElement input = chrome.findElement(By.cssSelector("#chat-sse input.text"));
        input.sendKeys(evil);
        chrome.findElement(By.cssSelector("#chat-sse form.send button")).click();
        for (String panel : List.of("chat-sse", "chat-ws")) {
            Await.until(Duration.ofSeconds(15), () -> !chrome.findElements(By.cssSelector("#" + panel + " li .text")).isEmpty(),
                    () -> panel + ": " + statusesOf(".chat .status"));
            WebElement text = chrome.findElement(By.cssSelector("#" + panel + " li .text"));
            assertEquals(evil, text.getText(), panel);
            assertTrue(chrome.findElements(By.cssSelector("#" + panel + " li b, #" + panel + " li img, #" + panel + " li script")).isEmpty());
        }
        assertEquals(null, ((JavascriptExecutor) chrome).executeScript("return window.__pwned === undefined ? null : window.__pwned;"));
    }

    private String statusesOf(String css) {
        return chrome.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList().toString();
    }

    @Test
    void seventhSseStreamStallsOverHttp11ButNotOverH2() {
        chrome.get("http://127.0.0.1:" + site.httpPort() + "/limits");
        Await.until(Duration.ofSeconds(30), () -> attr("h2-box", "data-open").equals("8") && attr("h1-box", "data-open").equals("6"),
                () -> "h1 open=" + attr("h1-box", "data-open") + " h2 open=" + attr("h2-box", "data-open"));
        assertEquals("http/1.1", attr("h1-box", "data-protocol"));
        assertEquals("h2", attr("h2-box", "data-protocol"));
        Await.until(Duration.ofSeconds(15), () -> "HTTP/2.0".equals(attr("h2-box", "data-ws-protocol")),
                () -> "h2 WebSocket seen as " + attr("h2-box", "data-ws-protocol") + " " + attr("h2-box", "data-ws-method"));
        assertEquals("CONNECT", attr("h2-box", "data-ws-method"));
        Await.until(Duration.ofSeconds(15), () -> "HTTP/1.1".equals(attr("h1-box", "data-ws-protocol")),
                () -> "h1 WebSocket seen as " + attr("h1-box", "data-ws-protocol"));
        assertEquals("6", attr("h1-box", "data-open"), "the seventh and eighth HTTP/1.1 streams are still waiting");
    }

    @Test
    void browserWebSocketOverH2ArrivesAsExtendedConnect() {
        chrome.get(https("/limits"));
        Await.until(Duration.ofSeconds(15), () -> !attr("ws-protocol", "data-protocol").isEmpty(),
                () -> chrome.findElement(By.id("ws-protocol")).getText());
        assertEquals("HTTP/2.0", attr("ws-protocol", "data-protocol"));
        assertEquals("CONNECT", attr("ws-protocol", "data-method"));
    }

    @Test
    void browsersRefusePushAndThePageSaysSo() {
        chrome.get(https("/push"));
        String verdict = chrome.findElement(By.id("push-allowed")).getText();
        assertTrue(verdict.contains("refused by the client"), verdict);
        assertEquals("nothing", chrome.findElement(By.id("pushed")).getText());
        chrome.findElement(By.id("probe")).click();
        Await.until(Duration.ofSeconds(30), () -> chrome.findElements(By.cssSelector("#waterfall .row[data-kind='push']")).size() == 2,
                () -> chrome.findElement(By.id("probe-status")).getText());
    }

    private String attr(String id, String name) {
        String value = chrome.findElement(By.id(id)).getAttribute(name);
        return value == null ? "" : value;
    }
}
