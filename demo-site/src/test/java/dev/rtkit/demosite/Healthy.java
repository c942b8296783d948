package dev.rtkit.demosite;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * A well-behaved SSE subscriber and WebSocket subscriber of one topic, kept open through every attack: a probe
 * published over HTTP must reach both, and how long it took is the measure of health.
 */
final class Healthy implements AutoCloseable {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String topic;
    private final Set<String> seenBySse = ConcurrentHashMap.newKeySet();
    private final Set<String> seenByWs = ConcurrentHashMap.newKeySet();
    private final WebSocket ws;
    private final Thread sseReader;
    private int probes;

    Healthy(int port, String topic) throws Exception {
        this.base = "http://127.0.0.1:" + port;
        this.topic = topic;
        HttpResponse<Stream<String>> sse = client.send(HttpRequest.newBuilder(URI.create(base + "/rt/sse/" + topic)).build(),
                HttpResponse.BodyHandlers.ofLines());
        if (sse.statusCode() != 200) {
            throw new AssertionError("SSE answered " + sse.statusCode());
        }
        sseReader = new Thread(() -> sse.body().forEach(line -> {
            if (line.startsWith("data: ")) {
                seenBySse.add(line.substring(6));
            }
        }), "healthy-sse");
        sseReader.setDaemon(true);
        sseReader.start();
        StringBuilder frame = new StringBuilder();
        ws = client.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/rt/ws"), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                frame.append(data);
                if (last) {
                    seenByWs.add(frame.toString());
                    frame.setLength(0);
                }
                webSocket.request(1);
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        ws.sendText("{\"type\":\"subscribe\",\"topic\":\"" + topic + "\"}", true).get(10, TimeUnit.SECONDS);
        Awaitility.await("WebSocket subscribed").atMost(Duration.ofSeconds(10))
                .until(() -> seenByWs.stream().anyMatch(f -> f.contains("\"subscribed\"")));
    }

    /** Publishes a probe and waits until both subscribers have it; the milliseconds it took. */
    long roundTripMillis(Duration within) throws Exception {
        String probe = "probe-" + (++probes) + "-" + System.nanoTime();
        long start = System.nanoTime();
        HttpResponse<String> published = client.send(HttpRequest.newBuilder(URI.create(base + "/rt/publish/" + topic))
                .timeout(within).POST(HttpRequest.BodyPublishers.ofString(probe)).build(), HttpResponse.BodyHandlers.ofString());
        if (published.statusCode() != 202) {
            throw new AssertionError("the probe's publish answered " + published.statusCode() + " " + published.body());
        }
        Awaitility.await("probe delivered over SSE and WebSocket").atMost(within).pollInterval(Duration.ofMillis(5))
                .until(() -> seenBySse.contains(probe) && seenByWs.stream().anyMatch(f -> f.contains(probe)));
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    @Override
    public void close() {
        ws.abort();
        sseReader.interrupt();
    }
}
