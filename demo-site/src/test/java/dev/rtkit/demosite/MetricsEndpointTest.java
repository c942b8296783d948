package dev.rtkit.demosite;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.junit.jupiter.api.Test;

/** The demo's /metrics: a Prometheus scrape that parses, with rtkit's meters under their documented names. */
class MetricsEndpointTest extends RunningSite {
    /** {@code name{labels} value}: the text format's sample line (no timestamps from Micrometer). */
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\",?)*\\})? (-?[0-9.eE+-]+|NaN|[+-]Inf)");

    @Test
    void scrapeParsesWithOneSamplePerSeriesAndRtkitsMetersUnderTheirNames() throws Exception {
        HttpClient http = DemoClients.TLS_H2.create();
        try {
            String base = DemoClients.TLS_H2.base(site);
            List<Request> streams = List.of(sse(http, base), sse(http, base));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertTrue(
                    () -> sample(scrape(http, base), "rtkit_connections{transport=\"sse\"}") == 2,
                    () -> "rtkit_connections{transport=\"sse\"} = " + sample(scrape(http, base), "rtkit_connections{transport=\"sse\"}")));
            // The ticker's first tick may still be ahead (its period is the test site's): wait for one.
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertTrue(
                    () -> parse(scrape(http, base)).getOrDefault("rtkit_messages_published_total", 0.0) > 0,
                    () -> "rtkit_messages_published_total = " + parse(scrape(http, base)).get("rtkit_messages_published_total")));
            Map<String, Double> samples = parse(scrape(http, base));
            for (String name : List.of("rtkit_messages_published_total", "rtkit_messages_delivered_total{transport=\"sse\"}",
                    "rtkit_rejections_total{reason=\"origin\"}", "rtkit_history_bytes", "rtkit_topics",
                    "rtkit_subscriptions", "rtkit_publish_latency_seconds_count", "rtkit_bytes_sent_total{transport=\"sse\"}")) {
                assertTrue(samples.containsKey(name), name + " in " + samples.keySet());
            }
            assertTrue(samples.get("rtkit_messages_published_total") > 0, "the ticker publishes");
            double history = samples.get("rtkit_history_bytes");
            // NaN while the log cannot tell what it retains; else the ticker's history.
            assertTrue(Double.isNaN(history) || history > 0, "rtkit_history_bytes " + history);
            assertTrue(samples.keySet().stream().anyMatch(s -> s.startsWith("jvm_memory_used_bytes")), "JVM memory too");
            streams.forEach(r -> r.abort(new Exception("test done")));
        } finally {
            http.stop();
        }
    }

    @Test
    void theSameMetersAreMBeansForJconsole() throws Exception {
        Set<ObjectName> names = ManagementFactory.getPlatformMBeanServer().queryNames(new ObjectName("metrics:name=rtkit*,*"), null);
        assertTrue(names.stream().anyMatch(n -> n.getKeyProperty("name").startsWith("rtkitMessagesPublished")), names.toString());
    }

    private static Request sse(HttpClient http, String base) {
        Request r = http.newRequest(base + "/rt/sse/metrics-test").timeout(0, TimeUnit.SECONDS);
        r.send(new InputStreamResponseListener());
        return r;
    }

    private static String scrape(HttpClient http, String base) {
        try {
            ContentResponse r = http.newRequest(base + "/metrics").timeout(10, TimeUnit.SECONDS).send();
            assertEquals(200, r.getStatus());
            assertTrue(r.getMediaType().startsWith("text/plain"), r.getMediaType());
            return new String(r.getContent(), StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static double sample(String text, String series) {
        return parse(text).getOrDefault(series, -1.0);
    }

    /** Every sample by series (name and labels as written); fails on a line that is no sample or a series twice. */
    static Map<String, Double> parse(String text) {
        Map<String, Double> out = new HashMap<>();
        Set<String> typed = new HashSet<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("# HELP ")) {
                continue;
            }
            if (line.startsWith("# TYPE ")) {
                assertTrue(typed.add(line.split(" ")[2]), "one TYPE per family: " + line);
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertTrue(m.matches(), "not a sample line: " + line);
            String series = m.group(1) + (m.group(2) == null ? "" : m.group(2).replace(",}", "}"));
            assertTrue(out.put(series, Double.parseDouble(m.group(3).replace("+Inf", "Infinity").replace("-Inf", "-Infinity"))) == null,
                    "one sample per series: " + series);
        }
        return out;
    }
}
