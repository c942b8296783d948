package dev.rtkit.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Debian Chromium driven by the Debian chromedriver; never downloads a driver or a browser. Skips the
 * test when Chromium is absent, unless CI=true, where that fails it. The browser's console is kept for
 * {@code driver.manage().logs().get(LogType.BROWSER)}.
 */
public final class Chromium {
    private Chromium() {
    }

    /** A fresh browser in a temporary profile that accepts any certificate (the test servers' are self-signed). */
    public static ChromeDriver start() throws IOException {
        Path profile = Files.createTempDirectory("rtkit-chromium-");
        profile.toFile().deleteOnExit();
        return start(profile, "--ignore-certificate-errors");
    }

    /**
     * A fresh browser in {@code profile} with {@code switches} added to the usual ones: how certificates are
     * trusted (say {@code --ignore-certificate-errors-spki-list=…}: Chromium acts on 103 Early Hints only for a
     * connection without certificate errors), a window size.
     */
    public static ChromeDriver start(Path profile, String... switches) {
        Tools.require(Tools.CHROMIUM, "chromium");
        Tools.require(Tools.CHROMEDRIVER, "chromium-driver");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Tools.CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(Tools.CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
                "--disable-extensions", "--no-first-run", "--no-default-browser-check",
                "--user-data-dir=" + profile);
        options.addArguments(switches);
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        return new ChromeDriver(service, options);
    }
}
