package dev.rtkit.client;

import dev.rtkit.testing.Tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Headless Debian Chromium driven by the Debian chromedriver; never downloads a driver or a browser. */
final class Chromium {
    static final Path DRIVER = Tools.CHROMEDRIVER;
    static final Path BROWSER = Tools.CHROMIUM;

    private Chromium() {
    }

    /** A fresh browser; skips when Chromium is absent, unless CI=true, where that fails the test. */
    static ChromeDriver start() throws IOException {
        Tools.require(BROWSER, "chromium");
        Tools.require(DRIVER, "chromium-driver");
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, DRIVER.toString());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .build();
        Path profile = Files.createTempDirectory("rtkit-chromium-");
        profile.toFile().deleteOnExit();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
                "--disable-extensions", "--no-first-run", "--no-default-browser-check",
                // The TLS connector's certificate is self-signed.
                "--ignore-certificate-errors",
                "--user-data-dir=" + profile);
        return new ChromeDriver(service, options);
    }
}
