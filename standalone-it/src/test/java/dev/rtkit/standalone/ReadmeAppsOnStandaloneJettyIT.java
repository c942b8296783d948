package dev.rtkit.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.FormRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.Fields;
import org.htmlunit.BrowserVersion;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlPage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the README tells a user to deploy, on a jetty-home 12.1.12. examples/, the quickstart application built by
 * its own pom, as {@code webapps/news-app.war} (so under /news-app/, not /): its own listener and servlet publish and
 * subscribe through the public API, and its page, with relative URLs, receives what they publish. And the demo WAR
 * as {@code webapps/root.war} beside the README's {@code webapps/root.xml}, which sets its init-params.
 */
class ReadmeAppsOnStandaloneJettyIT {
    private static final String CONTEXT = "/news-app";
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static StandaloneJetty jetty;
    private static HttpClient http;

    @BeforeAll
    static void startJetty() throws Exception {
        jetty = StandaloneJetty.start(Path.of(Wiring.requiredProperty("rtkit.it.jettyHome")),
                Path.of(Wiring.requiredProperty("rtkit.it.jettyBase") + "-readme"),
                Map.of("news-app", Path.of(Wiring.requiredProperty("rtkit.it.exampleWar")),
                        "root", Path.of(Wiring.requiredProperty("rtkit.it.demoWar"))),
                Map.of("root.xml", resource("/root.xml")));
        http = Protocol.HTTP_1_1.newClient(jetty);
    }

    @AfterAll
    static void stopJetty() throws Exception {
        if (http != null) {
            http.stop();
        }
        if (jetty != null) {
            jetty.close();
        }
    }

    static String resource(String name) throws IOException {
        try (InputStream in = ReadmeAppsOnStandaloneJettyIT.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void rootXmlDeploysTheDemoAtTheRootWithItsInitParams() throws Exception {
        ContentResponse info = http.newRequest(URI.create("http://127.0.0.1:" + jetty.httpPort() + "/demo/info"))
                .timeout(10, TimeUnit.SECONDS).send();
        assertEquals(200, info.getStatus(), info.getContentAsString());
        JsonNode body = JSON.readTree(info.getContentAsString());
        assertEquals(8080, body.get("httpPort").asInt(), body.toString());
        assertEquals(8443, body.get("httpsPort").asInt(), body.toString());
        ContentResponse ticker = http.newRequest(URI.create("http://127.0.0.1:" + jetty.httpPort() + "/demo/ticker"))
                .timeout(10, TimeUnit.SECONDS).send();
        assertEquals(500, JSON.readTree(ticker.getContentAsString()).get("periodMillis").asInt(), ticker.getContentAsString());
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + jetty.httpPort() + CONTEXT + path);
    }

    private static ContentResponse get(String path) throws Exception {
        return http.newRequest(uri(path)).timeout(10, TimeUnit.SECONDS).send();
    }

    private static ContentResponse postText(String text) throws Exception {
        Fields form = new Fields();
        if (text != null) {
            form.put("text", text);
        }
        return http.newRequest(uri("/news")).method("POST").body(new FormRequestContent(form))
                .timeout(10, TimeUnit.SECONDS).send();
    }

    @Test
    void listenerPublishesAtStartAndItsOwnSubscriptionReceivesIt() throws Exception {
        awaitTrue(() -> body("/news").contains("the news application started"), () -> body("/news"));
    }

    @Test
    void servletPublishReachesHttpSubscribersAndTheServerSideSubscription() throws Exception {
        JsonNode before = JSON.readTree(get("/rt/poll/news").getContentAsString());
        String text = "headline " + UUID.randomUUID();

        ContentResponse published = postText(text);

        assertEquals(202, published.getStatus(), published.getContentAsString());
        JsonNode answer = JSON.readTree(published.getContentAsString());
        assertEquals("news", answer.get("topic").asText());
        String id = answer.get("id").asText();
        JsonNode polled = JSON.readTree(get("/rt/poll/news?since=" + before.get("cursor").asText()).getContentAsString());
        JsonNode message = polled.get("messages").get(polled.get("messages").size() - 1);
        assertEquals(id, message.get("id").asText());
        assertEquals(text, message.get("data").asText());
        awaitTrue(() -> body("/news").contains(id + " " + text), () -> body("/news"));
    }

    @Test
    void servletRefusesAMissingOrOverlongTextWith400() throws Exception {
        for (String bad : new String[] {null, " ", "x".repeat(201)}) {
            ContentResponse r = postText(bad);
            assertEquals(400, r.getStatus(), r.getContentAsString());
            assertTrue(JSON.readTree(r.getContentAsString()).has("error"), r.getContentAsString());
        }
    }

    @Test
    void pageWithRelativeUrlsReceivesWhatTheServletPublishes() throws Exception {
        try (WebClient browser = new WebClient(BrowserVersion.CHROME)) {
            browser.getOptions().setThrowExceptionOnScriptError(true);
            HtmlPage page = browser.getPage(uri("/").toURL());
            String html = page.getWebResponse().getContentAsString();
            assertTrue(html.contains("src=\"rtkit/rtkit.js\"") && html.contains("url: 'rt'"), html);
            awaitTrue(() -> {
                browser.waitForBackgroundJavaScript(50);
                return page.getElementById("status").getTextContent().startsWith("connected over ");
            }, () -> page.getElementById("status").getTextContent());
            String text = "to the page " + UUID.randomUUID();
            assertEquals(202, postText(text).getStatus());
            awaitTrue(() -> {
                browser.waitForBackgroundJavaScript(50);
                return page.getElementById("news").getTextContent().contains(text);
            }, () -> page.getElementById("news").getTextContent());
        }
    }

    private static String body(String path) {
        try {
            return get(path).getContentAsString();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static void awaitTrue(Supplier<Boolean> condition, Supplier<String> lastSeen) throws InterruptedException {
        try {
            Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> Boolean.TRUE.equals(condition.get()));
        } catch (ConditionTimeoutException e) {
            throw jetty.failure("not within " + WAIT + "; last seen: " + lastSeen.get());
        }
    }
}
