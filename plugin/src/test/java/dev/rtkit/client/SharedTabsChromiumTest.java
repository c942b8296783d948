package dev.rtkit.client;

import static dev.rtkit.client.ClientPage.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rtkit.client.PageServer.Protocol;
import dev.rtkit.testing.Chromium;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Tabs of one origin share one server connection (Web Locks elect the leader, BroadcastChannel relays), in headless
 * Chromium: three tabs cost the server what one does, and closing the leader tab in the middle of a burst loses and
 * repeats nothing in the tabs that remain.
 */
class SharedTabsChromiumTest {
    private static ChromeDriver driver;
    private static String home;
    private PageServer server;
    private final List<ChromiumTab> tabs = new ArrayList<>();

    @BeforeAll
    static void startBrowser() throws Exception {
        driver = Chromium.start();
        home = driver.getWindowHandle();
    }

    @AfterAll
    static void stopBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    @AfterEach
    void closeTabsAndServer() throws Exception {
        for (String handle : driver.getWindowHandles()) {
            if (!handle.equals(home)) {
                driver.switchTo().window(handle).close();
            }
        }
        driver.switchTo().window(home);
        tabs.clear();
        if (server != null) {
            server.close();
        }
    }

    private List<ChromiumTab> openTabs(int n, String options, String... topics) throws Exception {
        for (int i = 0; i < n; i++) {
            ChromiumTab tab = ChromiumTab.open(driver);
            tab.open(server.page(Protocol.HTTP_1_1, "client.html"));
            tab.eval("h.start(" + options + ", ['" + String.join("','", topics) + "'])");
            tab.await("tab " + i + " open", Scenarios.WAIT, s -> count(s, "open") >= 1);
            tabs.add(tab);
        }
        return tabs;
    }

    private static String options(String transport, boolean share) {
        return "{transports: ['" + transport + "'], share: " + share + ", reconnectDelay: 100, maxReconnectDelay: 500}";
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"websocket", "sse", "stream"})
    void threeTabsHoldAsManyServerConnectionsAsOne(String transport) throws Exception {
        server = PageServer.start(Map.of());
        openTabs(1, options(transport, true), "news");
        int one = server.hub().subscriptionCount();
        assertEquals(1, one, "one tab, one subscription");
        openTabs(2, options(transport, true), "news");
        assertEquals(one, server.hub().subscriptionCount(), "three tabs, still one connection");
        List<Boolean> leaders = new ArrayList<>();
        for (ChromiumTab tab : tabs) {
            JsonNode s = tab.state();
            leaders.add(s.get("leader").asBoolean());
            if (!s.get("leader").asBoolean()) {
                assertEquals(0, s.get("stats").get("requests").asInt(), "a follower sends no request");
            }
        }
        assertEquals(List.of(true, false, false), leaders);
        server.publish("news", 1);
        for (ChromiumTab tab : tabs) {
            JsonNode s = tab.await("the message in every tab", Scenarios.WAIT, st -> st.get("received").size() >= 1);
            assertEquals(List.of(1), Scenarios.numbers(s));
            assertEquals(transport, s.get("transport").asText());
        }
    }

    /** The measure above can fail: tabs that do not share hold one connection each. */
    @Test
    void tabsThatDoNotShareHoldOneConnectionEach() throws Exception {
        server = PageServer.start(Map.of());
        openTabs(3, options("websocket", false), "news");
        assertEquals(3, server.hub().subscriptionCount());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"websocket", "sse"})
    void closingTheLeaderTabMidBurstLosesAndRepeatsNothing(String transport) throws Exception {
        server = PageServer.start(Map.of());
        openTabs(3, options(transport, true), "news");
        int total = 300;
        // The burst is paced so that it is still running when the leader tab goes.
        CompletableFuture<Void> burst = CompletableFuture.runAsync(() -> {
            for (int n = 1; n <= total; n++) {
                server.publish("news", n);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
        });
        ChromiumTab leader = tabs.get(0);
        leader.await("the burst under way", Scenarios.WAIT, s -> s.get("received").size() >= 40);
        leader.close();
        tabs.remove(0);
        burst.get(Scenarios.WAIT.toSeconds(), TimeUnit.SECONDS);
        int leaders = 0;
        for (ChromiumTab tab : tabs) {
            JsonNode s = tab.await("every message in the remaining tab", Scenarios.WAIT,
                    st -> st.get("received").size() >= total);
            assertEquals(Scenarios.range(1, total), Scenarios.numbers(s), "each message once, in order");
            assertEquals(0, count(s, "gap"), s.get("events").toString());
            leaders += s.get("leader").asBoolean() ? 1 : 0;
        }
        assertEquals(1, leaders, "one remaining tab took over");
        assertTrue(server.hub().subscriptionCount() <= 1, "the old leader's connection is gone");
    }

    /** A frozen leader keeps its lock and its connection but relays nothing: a follower steals the lock and resumes. */
    @Test
    void aFrozenLeaderTabIsReplacedWithoutLoss() throws Exception {
        server = PageServer.start(Map.of());
        openTabs(3, "{transports: ['websocket'], heartbeatTimeout: 1000, reconnectDelay: 100}", "news");
        for (int n = 1; n <= 5; n++) {
            server.publish("news", n);
        }
        for (ChromiumTab tab : tabs) {
            tab.await("the first messages", Scenarios.WAIT, s -> s.get("received").size() >= 5);
        }
        ChromiumTab leader = tabs.remove(0);
        leader.freeze();
        for (int n = 6; n <= 20; n++) {
            server.publish("news", n);
        }
        int leaders = 0;
        for (ChromiumTab tab : tabs) {
            JsonNode s = tab.await("every message in a tab that is not frozen", Scenarios.WAIT,
                    st -> st.get("received").size() >= 20);
            assertEquals(Scenarios.range(1, 20), Scenarios.numbers(s), "each message once, in order");
            leaders += s.get("leader").asBoolean() ? 1 : 0;
        }
        assertEquals(1, leaders, "one follower took over");
    }
}
