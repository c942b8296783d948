package dev.rtkit.client;

import java.io.IOException;
import org.openqa.selenium.chrome.ChromeDriver;

/** The test kit's headless Chromium ({@link dev.rtkit.testing.Chromium}), under the name this package's tests use. */
final class Chromium {
    private Chromium() {
    }

    static ChromeDriver start() throws IOException {
        return dev.rtkit.testing.Chromium.start();
    }
}
