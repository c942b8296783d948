package dev.rtkit.client;

import java.net.URI;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/** The harness page in headless Chromium. */
final class ChromiumPage extends ClientPage {
    private final WebDriver driver;

    ChromiumPage(WebDriver driver) {
        this.driver = driver;
    }

    @Override
    void open(URI page) {
        driver.get(page.toString());
    }

    @Override
    protected String evalToJson(String jsonExpression) {
        return (String) ((JavascriptExecutor) driver).executeScript("return " + jsonExpression + ";");
    }
}
