package dev.rtkit.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rtkit.Transport;
import dev.rtkit.testing.Clients;
import dev.rtkit.testing.TestServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;
import org.junit.jupiter.api.Test;

/**
 * 50 clients over all five transports, each cut off at random moments and coming back on a random transport from
 * its cursor, while 5,000 messages are published over 60 s: nothing lost, nothing repeated, order kept.
 */
class ChaosTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CLIENTS = 50;
    private static final int MESSAGES = 5_000;
    private static final long DURATION_MS = 60_000;
    private static final int TOPICS = 5;
    private static final List<String> TRANSPORTS = Transport.ALL.stream().map(Transport::wireName).toList();
    /** Re-run a failed run with {@code -Drtkit.chaos.seed=<the seed it printed>}. */
    private static final long SEED = Long.getLong("rtkit.chaos.seed", System.nanoTime());

    private TestServer server;
    private HttpClient http;
    private final java.net.http.HttpClient jdk = java.net.http.HttpClient.newHttpClient();
    private final AtomicBoolean publishing = new AtomicBoolean(true);

    @Test
    void randomDisconnectsAndTransportSwitchesLoseAndRepeatNothing() throws Exception {
        server = new TestServer().param("historySize", MESSAGES).param("maxPublishRate", 100_000)
                .param("longPollTimeoutMillis", 1500).param("heartbeatIntervalMillis", 500).start();
        http = Clients.HTTP_1_1.create();
        System.out.println("ChaosTest seed " + SEED + " (re-run with -Drtkit.chaos.seed=" + SEED + ")");
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS + 1);
        try {
            Map<String, List<String>> published = new ConcurrentHashMap<>();
            List<Subscriber> subscribers = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                String topic = "chaos/" + (i % TOPICS);
                published.putIfAbsent(topic, Collections.synchronizedList(new ArrayList<>()));
                String cursor = JSON.readTree(http.GET(server.uri("/rt/poll/" + topic)).getContentAsString()).get("cursor").asText();
                subscribers.add(new Subscriber(topic, cursor, new Random(SEED + i)));
            }
            List<Future<?>> running = new ArrayList<>();
            for (Subscriber s : subscribers) {
                running.add(pool.submit(s::run));
            }
            publish(published);
            publishing.set(false);
            for (Future<?> f : running) {
                f.get(60, TimeUnit.SECONDS);
            }
            int lost = 0;
            int duplicated = 0;
            int disorders = 0;
            int switches = 0;
            for (Subscriber s : subscribers) {
                s.catchUp();
                List<String> expected = published.get(s.topic);
                List<String> got = s.received;
                lost += (int) expected.stream().filter(id -> !got.contains(id)).count();
                duplicated += got.size() - (int) got.stream().distinct().count();
                for (int i = 1; i < got.size(); i++) {
                    if (seq(got.get(i)) <= seq(got.get(i - 1))) {
                        disorders++;
                    }
                }
                switches += s.sessions.get();
            }
            System.out.printf("chaos: %d clients, %d messages, %d sessions (random cuts and transport switches): "
                    + "lost %d, duplicated %d, out of order %d, gaps %d%n", CLIENTS, MESSAGES, switches, lost, duplicated,
                    disorders, subscribers.stream().mapToInt(s -> s.gaps.get()).sum());
            assertEquals(0, lost, "lost");
            assertEquals(0, duplicated, "duplicated");
            assertEquals(0, disorders, "out of order");
            assertEquals(0, subscribers.stream().mapToInt(s -> s.gaps.get()).sum(), "gaps within the history window");
        } finally {
            publishing.set(false);
            pool.shutdownNow();
            http.stop();
            server.close();
        }
    }

    private void publish(Map<String, List<String>> published) throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < MESSAGES; i++) {
            long due = start + TimeUnit.MILLISECONDS.toNanos(DURATION_MS * i / MESSAGES);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait); // pacing the publisher, not synchronising a test
            }
            String topic = "chaos/" + (i % TOPICS);
            ContentResponse r = http.newRequest(server.uri("/rt/publish/" + topic)).method(HttpMethod.POST)
                    .body(new StringRequestContent("text/plain", "m" + i, StandardCharsets.UTF_8)).send();
            assertEquals(202, r.getStatus(), r.getContentAsString());
            published.get(topic).add(JSON.readTree(r.getContentAsString()).get("id").asText());
        }
    }

    private static long seq(String id) {
        return Long.parseLong(id.substring(id.lastIndexOf('-') + 1));
    }

    /** One client: connects on a random transport from its cursor, is cut off at a random moment, comes back. */
    private final class Subscriber {
        final String topic;
        volatile String cursor;
        final List<String> received = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger sessions = new AtomicInteger();
        final AtomicInteger gaps = new AtomicInteger();
        final Random random;

        Subscriber(String topic, String cursor, Random random) {
            this.topic = topic;
            this.cursor = cursor;
            this.random = random;
        }

        void run() {
            while (publishing.get()) {
                String transport = TRANSPORTS.get(random.nextInt(TRANSPORTS.size()));
                long until = System.currentTimeMillis() + random.nextLong(200, 2500);
                sessions.incrementAndGet();
                try {
                    switch (transport) {
                        case "poll" -> poll(until);
                        case "longpoll" -> longPoll(until);
                        case "stream" -> stream(until, "/rt/stream/" + topic + "?since=" + enc(cursor), false);
                        case "sse" -> stream(until, "/rt/sse/" + topic + "?format=json&since=" + enc(cursor), true);
                        default -> webSocket(until);
                    }
                } catch (Exception e) {
                    // A cut connection is the point of this test: come back from the cursor.
                }
            }
        }

        /** Records a message exactly once per arrival; the cursor moves with it, as a client's would. */
        synchronized void accept(JsonNode event) {
            String type = event.path("type").asText();
            if (type.equals("gap")) {
                gaps.incrementAndGet();
            } else if (type.equals("message") && event.path("topic").asText().equals(topic)) {
                received.add(event.get("id").asText());
                cursor = event.get("id").asText();
            }
        }

        private void batch(JsonNode batch) {
            batch.path("gaps").forEach(g -> gaps.incrementAndGet());
            synchronized (this) {
                batch.get("messages").forEach(this::accept);
                cursor = batch.get("cursor").asText();
            }
        }

        void poll(long until) throws Exception {
            while (System.currentTimeMillis() < until) {
                batch(JSON.readTree(http.newRequest(server.uri("/rt/poll/" + topic + "?since=" + enc(cursor)))
                        .timeout(10, TimeUnit.SECONDS).send().getContentAsString()));
                TimeUnit.MILLISECONDS.sleep(50); // the polling interval
            }
        }

        void longPoll(long until) throws Exception {
            while (System.currentTimeMillis() < until) {
                long left = Math.max(1, until - System.currentTimeMillis());
                // The request timeout cuts the long-poll abruptly at a random moment.
                batch(JSON.readTree(http.newRequest(server.uri("/rt/longpoll/" + topic + "?since=" + enc(cursor)))
                        .timeout(left, TimeUnit.MILLISECONDS).send().getContentAsString()));
            }
        }

        void stream(long until, String path, boolean sse) throws Exception {
            Request request = http.newRequest(server.uri(path)).timeout(until - System.currentTimeMillis(), TimeUnit.MILLISECONDS);
            InputStreamResponseListener listener = new InputStreamResponseListener();
            request.send(listener);
            try (BufferedReader in = new BufferedReader(new InputStreamReader(listener.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                boolean gapEvent = false;
                while ((line = in.readLine()) != null) {
                    if (sse) {
                        if (line.equals("event: gap")) {
                            gapEvent = true;
                        } else if (line.startsWith("data: ")) {
                            if (gapEvent) {
                                gaps.incrementAndGet();
                                gapEvent = false;
                            } else {
                                accept(JSON.readTree(line.substring(6)));
                            }
                        }
                    } else if (!line.isEmpty()) {
                        accept(JSON.readTree(line));
                    }
                }
            }
        }

        void webSocket(long until) throws Exception {
            CompletableFuture<Void> closed = new CompletableFuture<>();
            AtomicBoolean alive = new AtomicBoolean(true);
            URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/rt/ws");
            WebSocket ws = jdk.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
                private final StringBuilder text = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                    text.append(data);
                    if (last) {
                        try {
                            JsonNode event = JSON.readTree(text.toString());
                            synchronized (Subscriber.this) {
                                // An aborted session's late frames must not count: its successor already resumed.
                                if (alive.get()) {
                                    accept(event);
                                }
                            }
                        } catch (Exception e) {
                            closed.completeExceptionally(e);
                        }
                        text.setLength(0);
                    }
                    socket.request(1);
                    return null;
                }

                @Override
                public CompletionStage<?> onClose(WebSocket socket, int code, String reason) {
                    closed.complete(null);
                    return null;
                }

                @Override
                public void onError(WebSocket socket, Throwable error) {
                    closed.completeExceptionally(error);
                }
            }).get(10, TimeUnit.SECONDS);
            synchronized (this) {
                ws.sendText("{\"type\":\"subscribe\",\"topic\":\"" + topic + "\",\"since\":\"" + cursor + "\"}", true);
            }
            try {
                closed.get(Math.max(1, until - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // Time to cut it off.
            } finally {
                synchronized (this) {
                    alive.set(false);
                }
                ws.abort();
            }
        }

        /** After the storm: read whatever is left from the cursor. */
        void catchUp() throws Exception {
            while (true) {
                JsonNode b = JSON.readTree(http.GET(server.uri("/rt/poll/" + topic + "?since=" + enc(cursor))).getContentAsString());
                batch(b);
                if (b.get("messages").isEmpty()) {
                    return;
                }
            }
        }

        private String enc(String s) {
            return URLEncoder.encode(s, StandardCharsets.UTF_8);
        }
    }
}
