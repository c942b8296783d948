package dev.rtkit.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rtkit.testing.Clients;
import dev.rtkit.testing.TestServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;
import org.junit.jupiter.api.Test;

/**
 * 50 clients moving at random between two nodes and five transports while one node restarts and Redis (AOF on)
 * restarts once; a publisher retries what was refused. Every acknowledged message reaches every client of its
 * topic once, in order, without a gap. CI length: about 12 s; the seed is printed.
 */
class TwoNodesChaosTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CLIENTS = 50;
    private static final int TOPICS = 5;
    private static final int MESSAGES = 1_200;
    private static final long DURATION_MS = 12_000;

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger refused = new AtomicInteger();

    @Test
    void clientsRoamingNodesAndTransportsThroughANodeAndARedisRestartLoseAndRepeatNothing() throws Exception {
        // A known seed by default; -Dchaos.seed=N replays any run, -Dchaos.seed=0 a random one. Seed 7969747336790
        // once showed a node's cache behind a client's cursor after the restarts (a false `unknown` gap, now fixed).
        long seed = Long.getLong("chaos.seed", 8207019101553L);
        seed = seed == 0 ? System.nanoTime() : seed;
        System.out.println("chaos seed " + seed);
        Random random = new Random(seed);
        try (RedisServer redis = RedisServer.start(true);
                TestServer a = node(redis).start();
                TestServer b = node(redis).start()) {
            List<URI> nodes = List.of(a.uri(), b.uri());
            HttpClient http = Clients.HTTP_1_1.create();
            java.net.http.HttpClient jdk = java.net.http.HttpClient.newHttpClient();
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            try {
                Map<String, List<String>> acknowledged = new ConcurrentHashMap<>();
                List<Roamer> clients = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    String topic = "chaos/" + (i % TOPICS);
                    acknowledged.putIfAbsent(topic, Collections.synchronizedList(new ArrayList<>()));
                    URI first = nodes.get(i % 2);
                    String cursor = JSON.readTree(http.GET(first.resolve("/rt/poll/" + topic)).getContentAsString())
                            .get("cursor").asText();
                    clients.add(new Roamer(http, jdk, topic, cursor));
                }
                List<Future<?>> roaming = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    Roamer client = clients.get(i);
                    Random mine = new Random(seed + i);
                    roaming.add(pool.submit(() -> roam(client, nodes, mine)));
                }
                publish(http, nodes, acknowledged, random, a, b, redis);
                running.set(false);
                for (Future<?> f : roaming) {
                    f.get(30, TimeUnit.SECONDS);
                }
                int lost = 0;
                int duplicated = 0;
                int disorders = 0;
                int gaps = 0;
                int sessions = 0;
                for (Roamer client : clients) {
                    client.catchUp(nodes.get(random.nextInt(2)));
                    List<String> got = List.copyOf(client.ids);
                    Set<String> seen = new HashSet<>(got);
                    lost += (int) acknowledged.get(client.topic).stream().filter(id -> !seen.contains(id)).count();
                    duplicated += got.size() - seen.size();
                    for (int i = 1; i < got.size(); i++) {
                        if (seq(got.get(i)) <= seq(got.get(i - 1))) {
                            disorders++;
                            System.out.println("chaos out of order on " + client.topic + ": "
                                    + got.subList(Math.max(0, i - 3), Math.min(got.size(), i + 3)));
                        }
                    }
                    gaps += client.gaps.size();
                    client.gaps.forEach(g -> System.out.println("chaos gap on " + client.topic + ": " + g));
                    sessions += client.sessions.get();
                }
                int total = acknowledged.values().stream().mapToInt(List::size).sum();
                System.out.printf("chaos (seed %d): %d clients, %d sessions over 2 nodes and 5 transports, %d messages "
                        + "acknowledged, %d refused and retried, a node restart and a Redis restart: lost %d, "
                        + "duplicated %d, out of order %d, gaps %d%n", seed, CLIENTS, sessions, total, refused.get(),
                        lost, duplicated, disorders, gaps);
                assertEquals(MESSAGES, total, "every message acknowledged in the end");
                assertEquals(0, lost, "lost");
                assertEquals(0, duplicated, "duplicated");
                assertEquals(0, disorders, "out of order");
                assertEquals(0, gaps, "gaps (history and epoch are kept)");
            } finally {
                running.set(false);
                pool.shutdownNow();
                http.stop();
            }
        }
    }

    private static TestServer node(RedisServer redis) {
        return new TestServer().param("log", redis.uri()).param("historySize", MESSAGES)
                .param("maxPublishRate", 100_000).param("longPollTimeoutMillis", 1500).param("heartbeatIntervalMillis", 500);
    }

    private void roam(Roamer client, List<URI> nodes, Random random) {
        while (running.get()) {
            String transport = Roamer.TRANSPORTS.get(random.nextInt(Roamer.TRANSPORTS.size()));
            client.session(transport, nodes.get(random.nextInt(nodes.size())),
                    System.currentTimeMillis() + 200 + random.nextInt(1800));
        }
    }

    /** Paced publishes to random nodes; B restarts at a quarter of the run, Redis at half. Refusals are retried. */
    private void publish(HttpClient http, List<URI> nodes, Map<String, List<String>> acknowledged, Random random,
            TestServer a, TestServer b, RedisServer redis) throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < MESSAGES; i++) {
            long due = start + TimeUnit.MILLISECONDS.toNanos(DURATION_MS * i / MESSAGES);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait); // pacing the publisher, not synchronising a test
            }
            if (i == MESSAGES / 4) {
                b.restartApplication();
            }
            if (i == MESSAGES / 2) {
                redis.restart();
            }
            String topic = "chaos/" + (i % TOPICS);
            while (true) {
                String id = tryPublish(http, nodes.get(random.nextInt(nodes.size())), topic, "m" + i);
                if (id != null) {
                    acknowledged.get(topic).add(id);
                    break;
                }
                refused.incrementAndGet();
                TimeUnit.MILLISECONDS.sleep(50); // a client's retry back-off
            }
        }
    }

    private static String tryPublish(HttpClient http, URI node, String topic, String body) {
        try {
            ContentResponse r = http.newRequest(node.resolve("/rt/publish/" + topic)).method(HttpMethod.POST)
                    .body(new StringRequestContent("text/plain", body, StandardCharsets.UTF_8))
                    .timeout(10, TimeUnit.SECONDS).send();
            return r.getStatus() == 202 ? JSON.readTree(r.getContentAsString()).get("id").asText() : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static long seq(String id) {
        return Long.parseLong(id.substring(id.lastIndexOf('-') + 1));
    }
}
