package dev.rtkit.client;

import java.net.URI;
import java.util.Map;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;

/** One tab of a headless Chromium window; every evaluation switches to it first (one driver drives every tab). */
final class ChromiumTab extends ClientPage {
    private final ChromeDriver driver;
    private final String handle;

    private ChromiumTab(ChromeDriver driver, String handle) {
        this.driver = driver;
        this.handle = handle;
    }

    /** A new tab beside the current one (same browser profile, so same origin storage, locks and channels). */
    static ChromiumTab open(ChromeDriver driver) {
        WebDriver tab = driver.switchTo().newWindow(WindowType.TAB);
        return new ChromiumTab(driver, tab.getWindowHandle());
    }

    @Override
    void open(URI page) {
        driver.switchTo().window(handle);
        driver.get(page.toString());
    }

    @Override
    protected String evalToJson(String jsonExpression) {
        driver.switchTo().window(handle);
        return (String) driver.executeScript("return " + jsonExpression + ";");
    }

    /**
     * Freezes the page as a browser freezes a background tab: it keeps its connections and its Web Lock but runs
     * nothing (no evaluation either, until it is closed).
     */
    void freeze() {
        driver.switchTo().window(handle);
        driver.executeCdpCommand("Page.setWebLifecycleState", Map.of("state", "frozen"));
    }

    /** Closes the tab as a user would (the page unloads, its Web Lock is released). */
    void close() {
        driver.switchTo().window(handle);
        driver.close();
    }
}
