package dev.rtkit.demosite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtkit.testing.LineStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpVersion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo jar's JVM, with a small heap, attacked over real sockets from several 127.0.0.x addresses, one family of
 * abuse at a time, while a healthy SSE and WebSocket subscriber are measured. Each attack gets its documented
 * answer (202/429/408, or a connection closed at once), never a 500 or a hang; afterwards every feature works and
 * nothing was logged at ERROR. Heap, RSS, threads and descriptors are printed before, during and after. The CI
 * version: seconds per family. (A long soak with a flat heap belongs in the bench.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AttackFromOutsideTest {
    /** Soak rounds vary the addresses that must start with a clean share (see {@link AttackSoak}). */
    int round;
    private static final int MAX_CONNECTIONS = 800;
    private static final int PER_ADDRESS = 150;
    private static final int HEADER_DEADLINE_MILLIS = 3000;
    private static final List<String> ATTACKERS = List.of("127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5");

    @TempDir
    static Path dir;
    ForkedDemo demo;
    private Healthy healthy;
    private HttpClient client;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final List<Socket> sockets = new ArrayList<>();
    private String family;

    @BeforeAll
    void start() throws Exception {
        demo = new ForkedDemo(dir, List.of("-Xmx256m", "-Xss512k", "-Drtkit.demo.maxConnections=" + MAX_CONNECTIONS,
                "-Drtkit.demo.maxConnectionsPerAddress=" + PER_ADDRESS,
                "-Drtkit.demo.headerDeadlineMillis=" + HEADER_DEADLINE_MILLIS));
        healthy = new Healthy(demo.httpPort(), "health");
        client = DemoClients.HTTP_1_1.create();
        // The JVM's first TLS handshake is slow (cold crypto): done once here, not under the first attack.
        HttpClient h2 = DemoClients.TLS_H2.create();
        try {
            assertEquals(200, h2.newRequest("https://127.0.0.1:" + demo.httpsPort() + "/rt/poll/warm").timeout(30, TimeUnit.SECONDS)
                    .send().getStatus());
        } finally {
            h2.stop();
        }
        print("start", "");
    }

    @AfterAll
    void stop() throws Exception {
        pool.shutdownNow();
        if (healthy != null) {
            healthy.close();
        }
        if (client != null) {
            client.stop();
        }
        if (demo != null) {
            demo.warnings().stream().limit(100).forEach(l -> System.out.println("[demo] " + l));
            demo.close();
        }
    }

    @AfterEach
    void everyFeatureWorksAgainAndNothingFailed() throws Exception {
        if (family == null) {
            return;
        }
        for (Socket s : sockets) {
            s.close();
        }
        sockets.clear();
        assertTrue(demo.isAlive(), "the demo JVM died: " + demo.output());
        long roundTrip = healthy.roundTripMillis(Duration.ofSeconds(15));
        everyTransportWorks();
        print("after", "healthy round trip " + roundTrip + " ms");
        assertEquals(List.of(), demo.failures(), "nothing logged at ERROR, no class-loading or memory failure");
        family = null;
    }

    private void print(String when, String extra) throws Exception {
        System.out.printf("[attack] %-22s %-6s %s %s%n", family == null ? "-" : family, when, demo.usage(), extra);
    }

    private void during(String extra) throws Exception {
        long roundTrip = healthy.roundTripMillis(Duration.ofSeconds(15));
        print("during", "healthy round trip " + roundTrip + " ms " + extra);
    }

    @Test
    @Order(1)
    void bigPublishesToManyTopicsAreKeptWithinTheByteBudget() throws Exception {
        family = "big publishes";
        print("before", "");
        String body = "x".repeat(60_000);
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        List<Future<?>> attacks = new ArrayList<>();
        for (String source : ATTACKERS) {
            attacks.add(pool.submit((Callable<Void>) () -> {
                for (int i = 0; i < 100; i++) {
                    try (Socket s = RawHttp.connect(source, demo.httpPort(), 15_000)) {
                        RawHttp.send(s, "POST /rt/publish/flood-" + source + "-" + i + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                + "Content-Type: text/plain\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body);
                        RawHttp.Response r = RawHttp.read(s);
                        statuses.computeIfAbsent(r == null ? -1 : r.status(), k -> new AtomicInteger()).incrementAndGet();
                    }
                }
                return null;
            }));
        }
        during("");
        for (Future<?> f : attacks) {
            f.get(60, TimeUnit.SECONDS);
        }
        print("end", "answers " + statuses);
        assertTrue(statuses.keySet().stream().allMatch(s -> s == 202 || s == 429), "only 202 or 429: " + statuses);
        assertTrue(statuses.getOrDefault(202, new AtomicInteger()).get() > 0, statuses.toString());
    }

    @Test
    @Order(2)
    void idleKeepAliveConnectionsAreBoundedPerAddressAndInTotal() throws Exception {
        family = "idle keep-alive";
        print("before", "");
        Map<String, int[]> outcome = new ConcurrentHashMap<>();
        List<Future<?>> opens = new ArrayList<>();
        for (String source : ATTACKERS) {
            opens.add(pool.submit((Callable<Void>) () -> {
                int[] counts = new int[2];
                for (int i = 0; i < PER_ADDRESS + 20; i++) {
                    Socket s = RawHttp.connect(source, demo.httpPort(), 10_000);
                    synchronized (sockets) {
                        sockets.add(s);
                    }
                    RawHttp.Response first = null;
                    RawHttp.Response second = null;
                    try {
                        RawHttp.send(s, "GET /rt/poll/idle HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                        first = RawHttp.read(s);
                        if (first != null) {
                            RawHttp.send(s, "GET /rt/poll/idle HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                            second = RawHttp.read(s);
                        }
                    } catch (java.io.IOException e) {
                        // Closed by the server while sending: counted below as closed.
                    }
                    if (first != null && second != null) {
                        assertEquals(200, second.status());
                        counts[0]++;
                    } else {
                        counts[1]++;
                    }
                }
                outcome.put(source, counts);
                return null;
            }));
        }
        for (Future<?> f : opens) {
            f.get(60, TimeUnit.SECONDS);
        }
        for (String source : ATTACKERS) {
            int[] counts = outcome.get(source);
            assertEquals(PER_ADDRESS, counts[0], source + " keeps at most " + PER_ADDRESS + " connections");
            assertEquals(20, counts[1], source + ": the connections past the limit are closed at once");
        }
        during(ATTACKERS.size() * PER_ADDRESS + " idle keep-alive connections held");
        // Two more addresses push the process past its total: it stops accepting rather than run out of descriptors.
        for (String source : List.of("127.0.0.6", "127.0.0.7")) {
            for (int i = 0; i < PER_ADDRESS; i++) {
                sockets.add(RawHttp.connect(source, demo.httpPort(), 10_000));
            }
        }
        ForkedDemo.Usage full = demo.usage();
        print("during", "past the total: " + (ATTACKERS.size() + 2) * PER_ADDRESS + " connections attempted");
        assertTrue(full.fds() <= MAX_CONNECTIONS + 200, "descriptors stay near the connection limit: " + full);
    }

    @Test
    @Order(3)
    void slowBodiesHoldNoThreadsAndAreAnswered408Or429() throws Exception {
        family = "slow bodies";
        print("before", "");
        List<Socket> slow = new ArrayList<>();
        for (String source : ATTACKERS) {
            for (int i = 0; i < 40; i++) {
                Socket s = RawHttp.connect(source, demo.httpPort(), 15_000);
                sockets.add(s);
                slow.add(s);
                RawHttp.send(s, "POST /rt/publish/slow HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                        + "Content-Length: 10000\r\n\r\nx");
            }
        }
        during(slow.size() + " slow bodies");
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        for (Socket s : slow) {
            RawHttp.Response r = RawHttp.read(s);
            assertNotNull(r, "an answer, not a silent close");
            statuses.computeIfAbsent(r.status(), k -> new AtomicInteger()).incrementAndGet();
            if (r.status() == 429) {
                assertEquals("1", r.header("Retry-After"), r.head());
            }
            assertTrue(r.body().startsWith("{\"error\":"), r.body());
        }
        print("end", "answers " + statuses);
        assertTrue(statuses.keySet().stream().allMatch(s -> s == 408 || s == 429), statuses.toString());
        assertTrue(statuses.getOrDefault(429, new AtomicInteger()).get() >= ATTACKERS.size() * 8,
                "at most 32 bodies under way per address: " + statuses);
    }

    @Test
    @Order(4)
    void slowHeaderDripsAndStalledHandshakesAreCutAtTheDeadline() throws Exception {
        family = "header drips";
        print("before", "");
        List<Socket> drips = new ArrayList<>();
        for (String source : ATTACKERS) {
            for (int i = 0; i < 40; i++) {
                Socket s = RawHttp.connect(source, demo.httpPort(), 1);
                RawHttp.send(s, "GET /rt/poll/drip HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Drip: ");
                drips.add(s);
            }
        }
        List<Socket> handshakes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Socket s = RawHttp.connect(ATTACKERS.get(i % ATTACKERS.size()), demo.httpsPort(), 1);
            RawHttp.send(s, new byte[] {0x16, 0x03, 0x01});
            handshakes.add(s);
        }
        sockets.addAll(drips);
        sockets.addAll(handshakes);
        long start = System.nanoTime();
        List<Socket> open = new ArrayList<>(drips);
        List<Socket> stalled = new ArrayList<>(handshakes);
        boolean printed = false;
        while (!open.isEmpty() || !stalled.isEmpty()) {
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(elapsed < HEADER_DEADLINE_MILLIS + 8_000,
                    open.size() + " drips and " + stalled.size() + " handshakes survived " + elapsed + " ms");
            if (!printed && elapsed > HEADER_DEADLINE_MILLIS / 2) {
                during(open.size() + " drips, " + stalled.size() + " stalled handshakes");
                printed = true;
            }
            // One more header byte on each drip, then a look at which the server has closed.
            open.removeIf(s -> {
                try {
                    RawHttp.send(s, "a");
                    return RawHttp.closedByServer(s);
                } catch (java.io.IOException e) {
                    return true;
                }
            });
            stalled.removeIf(s -> {
                try {
                    return RawHttp.closedByServer(s);
                } catch (java.io.IOException e) {
                    return true;
                }
            });
            // The attack's pace: a byte every quarter second per connection, well inside Jetty's idle timeout.
            Thread.sleep(250);
        }
        long cut = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        print("end", "all cut within " + cut + " ms (deadline " + HEADER_DEADLINE_MILLIS + " ms, idle timeout 60 s)");
        assertTrue(cut >= HEADER_DEADLINE_MILLIS - 500, "cut by the deadline, not at once: " + cut);
    }

    @Test
    @Order(5)
    void unknownTopicNamesTakeNoPlaceAndOneAddressCannotFillTheTable() throws Exception {
        family = "unknown topics";
        print("before", "");
        HttpClient attacker = DemoClients.HTTP_1_1.create();
        attacker.setBindAddress(new InetSocketAddress("127.0.0.2", 0));
        try {
            List<Future<ContentResponse>> polls = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                polls.add(pool.submit(pollOf(attacker, "/rt/poll/nobody-" + i)));
                if (polls.size() >= 64) {
                    for (Future<ContentResponse> f : polls) {
                        assertEquals(200, f.get(30, TimeUnit.SECONDS).getStatus());
                    }
                    polls.clear();
                }
            }
            for (Future<ContentResponse> f : polls) {
                assertEquals(200, f.get(30, TimeUnit.SECONDS).getStatus());
            }
        } finally {
            attacker.stop();
        }
        // Live subscriptions make topics: one address gets its share (1000), then 429.
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        for (int stream = 0; stream < 20; stream++) {
            StringBuilder query = new StringBuilder();
            for (int t = 0; t < 64; t++) {
                query.append(t == 0 ? "?" : "&").append("topic=made-").append(round).append("-").append(stream).append('-').append(t);
            }
            Socket s = RawHttp.connect("127.0.8." + (round + 1), demo.httpPort(), 10_000);
            sockets.add(s);
            RawHttp.send(s, "GET /rt/stream" + query + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            int status = Integer.parseInt(new String(s.getInputStream().readNBytes(12), java.nio.charset.StandardCharsets.US_ASCII)
                    .substring(9, 12));
            statuses.computeIfAbsent(status, k -> new AtomicInteger()).incrementAndGet();
        }
        during("streams of a fresh address: " + statuses);
        assertEquals(15, statuses.get(200).get(), statuses.toString());
        assertEquals(5, statuses.get(429).get(), statuses.toString());
        // Everyone else can still make topics.
        HttpClient other = DemoClients.HTTP_1_1.create();
        other.setBindAddress(new InetSocketAddress("127.0.0.9", 0));
        try {
            for (int i = 0; i < 100; i++) {
                ContentResponse r = other.POST("http://127.0.0.1:" + demo.httpPort() + "/rt/publish/fresh-" + i)
                        .body(new StringRequestContent("text/plain", "hello")).timeout(10, TimeUnit.SECONDS).send();
                assertEquals(202, r.getStatus(), r.getContentAsString());
            }
        } finally {
            other.stop();
        }
    }

    private Callable<ContentResponse> pollOf(HttpClient c, String path) {
        return () -> c.GET("http://127.0.0.1:" + demo.httpPort() + path);
    }

    /** Publish, poll, long-poll, stream, SSE, WebSocket, TLS h2 and an error page, each from a fresh client. */
    private void everyTransportWorks() throws Exception {
        String base = "http://127.0.0.1:" + demo.httpPort();
        ContentResponse polled = client.newRequest(base + "/rt/poll/check").timeout(10, TimeUnit.SECONDS).send();
        assertEquals(200, polled.getStatus(), polled.getContentAsString());
        String cursor = polled.getContentAsString().replaceAll(".*\"cursor\":\"([^\"]+)\".*", "$1");
        ContentResponse published = client.POST(base + "/rt/publish/check").body(new StringRequestContent("text/plain", "ok"))
                .timeout(10, TimeUnit.SECONDS).send();
        assertEquals(202, published.getStatus(), published.getContentAsString());
        ContentResponse again = client.newRequest(base + "/rt/poll/check?since=" + cursor).timeout(10, TimeUnit.SECONDS).send();
        assertTrue(again.getContentAsString().contains("\"data\":\"ok\""), again.getContentAsString());
        ContentResponse longPoll = client.newRequest(base + "/rt/longpoll/check?since=" + cursor).timeout(10, TimeUnit.SECONDS).send();
        assertTrue(longPoll.getContentAsString().contains("\"data\":\"ok\""), longPoll.getContentAsString());
        try (LineStream stream = LineStream.open(client, URI.create(base + "/rt/stream/check"))) {
            assertEquals("{\"type\":\"heartbeat\"}", stream.next(Duration.ofSeconds(10)));
        }
        try (LineStream sse = LineStream.open(client, URI.create(base + "/rt/sse/check"))) {
            assertEquals("retry: 2000", sse.next(Duration.ofSeconds(10)));
        }
        try (Healthy another = new Healthy(demo.httpPort(), "check-ws")) {
            assertTrue(another.roundTripMillis(Duration.ofSeconds(10)) >= 0);
        }
        HttpClient h2 = DemoClients.TLS_H2.create();
        try {
            ContentResponse overTls = h2.newRequest("https://127.0.0.1:" + demo.httpsPort() + "/rt/poll/check")
                    .timeout(10, TimeUnit.SECONDS).send();
            assertEquals(200, overTls.getStatus());
            assertEquals(HttpVersion.HTTP_2, overTls.getVersion());
        } finally {
            h2.stop();
        }
        ContentResponse missing = client.newRequest(base + "/no-such-page").timeout(10, TimeUnit.SECONDS).send();
        assertEquals(404, missing.getStatus());
    }
}
