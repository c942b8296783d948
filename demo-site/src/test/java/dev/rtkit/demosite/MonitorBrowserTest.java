package dev.rtkit.demosite;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtkit.testing.Chromium;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/** /monitor in headless Chromium over TLS h2: fed over rtkit itself, its uPlot charts drawn, no script error. */
class MonitorBrowserTest extends RunningSite {
    private ChromeDriver chrome;

    @BeforeEach
    void openChromium() throws Exception {
        chrome = Chromium.start(Files.createTempDirectory(dir, "chromium-"), "--ignore-certificate-errors");
    }

    @AfterEach
    void closeChromium() {
        if (chrome != null) {
            chrome.quit();
        }
    }

    private Object js(String expression) {
        return ((JavascriptExecutor) chrome).executeScript("return " + expression + ";");
    }

    @Test
    void monitorDrawsLiveChartsOverH2WithoutScriptErrors() {
        chrome.get("https://127.0.0.1:" + site.httpsPort() + "/monitor");
        assertEquals("h2", js("performance.getEntriesByType('navigation')[0].nextHopProtocol"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertTrue(
                () -> ((Number) js("window.rtkitMonitor ? window.rtkitMonitor.samples : 0")).intValue() >= 3,
                () -> chrome.findElement(By.id("monitor-status")).getText()));
        // Five uPlot charts, each with a canvas and the samples as its data.
        assertEquals(5L, js("document.querySelectorAll('#charts .uplot canvas').length"));
        for (String chart : List.of("connections", "messages", "bytes", "trouble", "heap")) {
            long points = ((Number) js("window.rtkitMonitor.charts['" + chart + "'].plot.data[0].length")).longValue();
            assertTrue(points >= 3, chart + " has " + points + " points");
        }
        // The page's own subscription is a connection the monitor sees; the ticker's publishes move the rates.
        assertTrue(((Number) js("window.rtkitMonitor.last.published")).longValue() > 0);
        long ownConnections = ((Number) js("Object.values(window.rtkitMonitor.last.connections).reduce((a, b) => a + b, 0)")).longValue();
        assertTrue(ownConnections >= 1, "the monitor's own connection is counted");
        assertTrue(((Number) js("window.rtkitMonitor.last.heapUsed")).longValue() > 0);
        assertEquals(List.of(), js("window.rtkitMonitor.errors"));
        List<String> severe = chrome.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage).toList();
        assertEquals(List.of(), severe, "no script errors or failed loads");
    }
}
