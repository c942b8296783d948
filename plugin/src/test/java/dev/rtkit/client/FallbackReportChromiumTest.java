package dev.rtkit.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rtkit.Payload;
import dev.rtkit.internal.metrics.MetricsBinding;
import dev.rtkit.testing.Chromium;
import dev.rtkit.testing.Chromium;
import dev.rtkit.testing.TestServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.EnumSet;
import org.awaitility.Awaitility;
import org.eclipse.jetty.ee10.servlet.DefaultServlet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Why a browser fell back, counted by the server: a page on an origin rtkit's WebSocket policy does not allow has
 * its handshake refused (403), and the real rtkit.js comes back over SSE with {@code fallback=websocket.handshake}.
 */
class FallbackReportChromiumTest {
    private TestServer server;
    private ChromeDriver chrome;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void stop() throws Exception {
        if (chrome != null) {
            chrome.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void websocketRefusedByOriginPolicyIsCountedAsAHandshakeFallbackToSse() throws Exception {
        server = new TestServer().setup((jetty, context) -> {
            context.setAttribute(MetricsBinding.REGISTRY_ATTRIBUTE, registry);
            // The page and rtkit.js, from the plugin jar's META-INF/resources as a container serves them.
            ResourceFactory resources = ResourceFactory.of(context);
            context.setBaseResource(ResourceFactory.combine(resources.newClassLoaderResource("META-INF/resources/"),
                    resources.newClassLoaderResource("metrics-pages/")));
            context.addServlet(DefaultServlet.class, "/");
            // The page's origin may read rtkit's HTTP answers (the application's CORS), not open its WebSocket.
            Filter cors = (request, response, chain) -> {
                ((HttpServletResponse) response).setHeader("Access-Control-Allow-Origin", "http://localhost:" + jetty.getURI().getPort());
                chain.doFilter(request, response);
            };
            context.addFilter(new FilterHolder(cors), "/rt/*", EnumSet.of(DispatcherType.REQUEST));
        }).start();
        chrome = Chromium.start();
        String rt = "http://127.0.0.1:" + server.port() + "/rt";
        chrome.get("http://localhost:" + server.port() + "/fallback-report.html?rt=" + rt);
        awaitPage("open over SSE after the refused handshake", "client.transport === 'sse' && "
                + "result.events.some(function (e) { return e.name === 'open'; })");
        server.rtkit().publish("news", Payload.json("{\"n\":1}"));
        awaitPage("the message over SSE", "result.messages.length === 1");
        assertEquals("websocket.handshake>sse", ((JavascriptExecutor) chrome).executeScript("return result.events"
                + ".filter(function (e) { return e.name === 'transport'; })"
                + ".map(function (e) { return e.value.from + '.' + e.value.code + '>' + e.value.name; }).join(' ');"),
                "one fallback, from a refused handshake");

        assertEquals(1, count("rtkit.rejections", "reason", "origin"), "the handshake was refused by origin policy");
        assertEquals(1, count("rtkit.fallbacks", "from", "websocket", "to", "sse", "reason", "handshake"));
        assertEquals(1, registry.find("rtkit.fallbacks").counters().size(), "no other fallback was counted");
        assertEquals(0, count("rtkit.connections.opened", "transport", "websocket"));
        assertEquals(1, count("rtkit.connections", "transport", "sse"));
        assertEquals(1, count("rtkit.messages.delivered", "transport", "sse"));
    }

    private double count(String name, String... tags) {
        var s = registry.find(name).tags(tags);
        return s.counter() != null ? s.counter().count() : s.gauge() != null ? s.gauge().value() : 0;
    }

    private boolean eval(String condition) {
        return Boolean.TRUE.equals(((JavascriptExecutor) chrome).executeScript("return " + condition + ";"));
    }

    private void awaitPage(String what, String condition) {
        Awaitility.await(what).atMost(Duration.ofSeconds(20)).until(() -> eval(condition));
    }
}
