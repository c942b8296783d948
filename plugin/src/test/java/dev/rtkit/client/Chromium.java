package dev.rtkit.client;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Headless Debian Chromium driven by the Debian chromedriver; never downloads a driver or a browser. */
final class Chromium {
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static final Path BROWSER = Path.of("/usr/bin/chromium");

    private Chromium() {
    }

    /** A fresh browser; skips when Chromium is absent, unless CI=true, where that fails the test. */
    static ChromeDriver start() throws IOException {
        boolean present = Files.isExecutable(DRIVER) && Files.isExecutable(BROWSER);
        if (!present) {
            String why = "headless Chromium needs " + BROWSER + " and " + DRIVER + " (apt-get install -y chromium chromium-driver)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(why);
            }
            assumeTrue(false, why);
        }
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
