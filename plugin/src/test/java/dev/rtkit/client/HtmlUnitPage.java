package dev.rtkit.client;

import java.io.IOException;
import java.net.URI;
import org.htmlunit.BrowserVersion;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlPage;

/** The harness page in HtmlUnit (XHR and WebSocket; no EventSource, no fetch streaming). */
final class HtmlUnitPage extends ClientPage implements AutoCloseable {
    private final WebClient client = new WebClient(BrowserVersion.CHROME);
    private HtmlPage page;

    HtmlUnitPage() {
        client.getOptions().setCssEnabled(false);
        client.getOptions().setThrowExceptionOnScriptError(true);
    }

    @Override
    void open(URI uri) throws IOException {
        page = client.getPage(uri.toURL());
    }

    @Override
    protected String evalToJson(String jsonExpression) {
        Object result = page.executeJavaScript(jsonExpression).getJavaScriptResult();
        return result == null ? null : result.toString();
    }

    @Override
    public void close() {
        client.close();
    }
}
