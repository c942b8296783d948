package dev.rtkit.internal.metrics;

import dev.rtkit.testing.Clients;
import dev.rtkit.testing.TestServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;
import org.awaitility.Awaitility;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;

/** A {@link TestServer} handed its own registry through the documented ServletContext attribute, and a client. */
final class MeteredServer implements AutoCloseable {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final TestServer server;
    final HttpClient http;

    MeteredServer(TestServer server) throws Exception {
        this.server = server;
        server.setup((jetty, context) -> context.setAttribute(MetricsBinding.REGISTRY_ATTRIBUTE, registry));
        server.start();
        this.http = Clients.HTTP_1_1.create();
    }

    URI uri(String path) {
        return server.uri(path);
    }

    /** rtkit's WebSocket endpoint. */
    URI ws() {
        return URI.create("ws://127.0.0.1:" + server.port() + "/rt/ws");
    }

    ContentResponse get(String path) throws Exception {
        return http.newRequest(uri(path)).timeout(10, java.util.concurrent.TimeUnit.SECONDS).send();
    }

    ContentResponse publish(String topic, String body) throws Exception {
        return http.POST(uri("/rt/publish/" + topic))
                .body(new StringRequestContent("application/json", body, StandardCharsets.UTF_8))
                .timeout(10, java.util.concurrent.TimeUnit.SECONDS).send();
    }

    double count(String name, String... tags) {
        Search s = registry.find(name).tags(tags);
        Counter c = s.counter();
        if (c != null) {
            return c.count();
        }
        Gauge g = s.gauge();
        if (g != null) {
            return g.value();
        }
        Timer t = s.timer();
        return t == null ? 0 : t.count();
    }

    void await(String what, double expected, DoubleSupplier actual) {
        Awaitility.await(what).atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> org.junit.jupiter.api.Assertions.assertEquals(expected, actual.getAsDouble(), what));
    }

    /** Until the meter equals what {@code expected} says (both may move: a stream's probes are counted and read). */
    void awaitCount(DoubleSupplier expected, String name, String... tags) {
        Awaitility.await(name + " " + String.join(",", tags)).atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> org.junit.jupiter.api.Assertions.assertEquals(expected.getAsDouble(), count(name, tags),
                        name + " " + String.join(",", tags)));
    }

    void awaitCount(double expected, String name, String... tags) {
        await(name + " " + String.join(",", tags) + " = " + expected, expected, () -> count(name, tags));
    }

    /**
     * From now on, each counter's final count as it leaves the registry, by {@code name{transport=…,reason=…}}
     * (a test class must not name Micrometer types in its methods: the without-Micrometer run loads every test class).
     */
    Map<String, Double> countsAtRemoval() {
        Map<String, Double> removed = new ConcurrentHashMap<>();
        registry.config().onMeterRemoved(m -> {
            if (m instanceof Counter c) {
                removed.put(m.getId().getName() + "{transport=" + m.getId().getTag("transport") + ",reason="
                        + m.getId().getTag("reason") + "}", c.count());
            }
        });
        return removed;
    }

    /** Every meter in the registry as {@code name[tags]}. */
    java.util.List<String> meterNames() {
        return registry.getMeters().stream().map(m -> m.getId().getName() + m.getId().getTags()).sorted().toList();
    }

    boolean hasMeter(String name) {
        for (Meter m : registry.getMeters()) {
            if (m.getId().getName().equals(name)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws Exception {
        http.stop();
        server.close();
    }
}
