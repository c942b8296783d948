package dev.rtkit.bench.run;

import dev.rtkit.bench.load.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import org.HdrHistogram.Histogram;

/** The scenarios, each against one server, driving the agents and the publisher. */
final class Scenarios implements AutoCloseable {
    /** The publisher's connections: they come and go, so connection counts allow for them. */
    static final int PUBLISHER_CONNECTIONS = 4;

    private final Config config;
    private final List<AgentProcess> agents;
    private final Publisher publisher;
    private final Progress progress;
    private final ExecutorService parallel;
    private long windows;
    private int groups;
    private int addresses;
    private int opens;

    /** Subscribers opened for one scenario, spread over some of the agents. */
    record Opened(List<AgentProcess> agents, String group, int ready) {
    }

    /** One group's receipts in the current window: deliveries, subscriber requests, subscribers lost, latency (µs). */
    record Tally(long deliveries, long requests, long lost, Histogram latency) {
        double percentileMillis(double p) {
            return latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(p) / 1000.0;
        }
    }

    Scenarios(Config config, List<AgentProcess> agents, Publisher publisher, Progress progress) {
        this.config = config;
        this.agents = agents;
        this.publisher = publisher;
        this.progress = progress;
        this.parallel = Executors.newFixedThreadPool(agents.size());
    }

    /**
     * Subscribers publishing for {@code seconds}, nothing measured: warms the server's code paths for the transport.
     * Returns the server's CPU (cores) while publishing, which falls while its JIT still compiles those paths.
     */
    double warm(ServerProcess server, Transport t, int subscribers, double rate, double seconds) throws Exception {
        String topic = "w" + (++groups) + "-" + t.wireName();
        long before = server.stats(false).connections();
        Opened opened = open(server, t, topic, subscribers, 60_000);
        try {
            return server.coresDuring(() -> publisher.run(server.publishUrl(topic), rate, seconds, 0));
        } finally {
            close(server, opened, topic, before);
        }
    }

    /** Subscribers on one topic, an open-loop publisher at {@code rate}: warm-up, then one measured window. */
    Measurements.Delivery delivery(ServerProcess server, Transport t, int subscribers, double rate) throws Exception {
        return delivery(server, t, subscribers, rate, 0);
    }

    /**
     * The same with {@code stalled} more SSE readers on the topic that never read: a burst of large messages
     * fills their connections first, so the window measures everyone else beside peers that are already stuck.
     */
    Measurements.Delivery delivery(ServerProcess server, Transport t, int subscribers, double rate, int stalled) throws Exception {
        String topic = "d" + (++groups) + "-" + t.wireName();
        long before = server.stats(false).connections();
        List<Socket> stalledReaders = new ArrayList<>();
        for (int i = 0; i < stalled; i++) {
            stalledReaders.add(stalledReader(server, topic));
        }
        if (stalled > 0) {
            // Before the others subscribe (from now), so only the stalled readers are sent the burst.
            burst(server.publishUrl(topic), 256, 32 * 1024);
        }
        Opened opened = open(server, t, topic, subscribers, 60_000);
        try {
            publisher.run(server.publishUrl(topic), rate, config.warmupSeconds(), 0);
            long w = ++windows;
            forEach(opened, a -> a.call("window " + w));
            ServerProcess.Stats s0 = server.stats(false);
            long bytes0 = server.bytesWritten();
            long t0 = System.nanoTime();
            Publisher.Outcome out = publisher.run(server.publishUrl(topic), rate, config.measureSeconds(), w);
            if (out.accepted() == 0) {
                throw new IOException("none of the " + out.sent() + " publishes to " + server.kind.label
                        + " was answered 202 within 10 s of the window (" + out.failed() + " failed)");
            }
            long expected = out.accepted() * opened.ready();
            awaitDeliveries(opened.agents(), expected, 5_000);
            ServerProcess.Stats s1 = server.stats(false);
            long bytes1 = server.bytesWritten();
            long t1 = System.nanoTime();
            long deliveries = 0;
            long requests = 0;
            long lost = 0;
            Histogram latency = new Histogram(3);
            for (String r : forEach(opened, a -> a.call("report"))) {
                String[] f = r.split(" ");
                deliveries += Long.parseLong(f[0]);
                requests += Long.parseLong(f[1]);
                lost += Long.parseLong(f[2]);
                latency.add(Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(f[3])), 0));
            }
            return new Measurements.Delivery(opened.ready(), out.accepted(), expected, deliveries,
                    (s1.cpuNanos() - s0.cpuNanos()) / 1e9, (s1.compilerNanos() - s0.compilerNanos()) / 1e9, (t1 - t0) / 1e9,
                    bytes0 < 0 ? -1 : bytes1 - bytes0, requests, lost, latency);
        } finally {
            for (Socket socket : stalledReaders) {
                socket.close();
            }
            close(server, opened, topic, before);
        }
    }

    /** An SSE request whose response is never read, with a small receive window so it fills quickly. */
    private static Socket stalledReader(ServerProcess server, String topic) throws IOException {
        URI base = URI.create(server.baseUrl());
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()));
        String path = server.kind == Kind.ATMOSPHERE
                ? base.getPath() + "/" + topic + "?X-Atmosphere-Transport=sse&X-Atmosphere-tracking-id=0"
                : base.getPath() + "/sse/" + topic;
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + base.getHost()
                + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    /** Publishes {@code count} messages of {@code bytes} each, one after the other, outside any measured window. */
    private static void burst(String url, int count, int bytes) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String body = "\"" + "x".repeat(bytes - 2) + "\"";
        for (int i = 0; i < count; i++) {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() != 202) {
                throw new IOException("burst publish answered " + r.statusCode());
            }
        }
    }

    /**
     * Opens {@code n} subscribers that then sit idle, and weighs the server's heap and direct memory. {@code h2c}:
     * over HTTP/2 without TLS, many requests to a connection (as many as the server's streams allow).
     */
    Measurements.Idle idle(ServerProcess server, Transport t, int n, boolean h2c) throws Exception {
        String topic = "i" + (++groups) + "-" + t.wireName();
        ServerProcess.Stats s0 = server.stats(true);
        Opened opened = open(server, t, topic, n, 180_000, h2c);
        try {
            // A long-poll is ready once sent; wait until the server holds them all before weighing.
            ToLongFunction<ServerProcess.Stats> holding = h2c ? ServerProcess.Stats::streams : ServerProcess.Stats::connections;
            long before = holding.applyAsLong(s0);
            long held = server.awaitAtLeast(holding, before + opened.ready(), 20_000) - before;
            ServerProcess.Stats s1 = server.stats(true);
            return new Measurements.Idle(n, opened.ready(), held, s1.connections() - s0.connections(), s1.heap() - s0.heap(),
                    s1.direct() - s0.direct());
        } finally {
            close(server, opened, topic, s0.connections());
        }
    }

    /** One publish at a time to {@code subscribers}: time until the last of them has it, over repeats. */
    Measurements.Fanout fanout(ServerProcess server, Transport t, int subscribers, int repeats) throws Exception {
        String topic = "f" + (++groups) + "-" + t.wireName();
        long before = server.stats(false).connections();
        Opened opened = open(server, t, topic, subscribers, 180_000);
        try {
            long w = ++windows;
            forEach(opened, a -> a.call("window " + w));
            forEach(opened, a -> a.call("fanout on"));
            Histogram timeToLast = new Histogram(3);
            int incomplete = 0;
            int warmups = Math.min(5, Math.max(1, repeats / 5));
            for (int i = 0; i < warmups + repeats; i++) {
                long pt = publisher.publishOne(server.publishUrl(topic), w);
                long[] got = awaitFan(opened, pt, 10_000);
                if (i >= warmups) {
                    if (got[0] < opened.ready()) {
                        incomplete++;
                    } else {
                        timeToLast.recordValue(got[1]);
                    }
                }
            }
            forEach(opened, a -> a.call("fanout off"));
            return new Measurements.Fanout(opened.ready(), repeats, incomplete, timeToLast);
        } finally {
            close(server, opened, topic, before);
        }
    }

    private long[] awaitFan(Opened opened, long pt, long timeoutMillis) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        long count;
        long max;
        do {
            Thread.sleep(2);
            count = 0;
            max = 0;
            for (String r : forEach(opened, a -> a.call("fan " + pt))) {
                String[] f = r.split(" ");
                count += Long.parseLong(f[0]);
                max = Math.max(max, Long.parseLong(f[1]));
            }
        } while (count < opened.ready() && System.nanoTime() < deadline);
        return new long[] {count, max};
    }

    /** Waits until the agents counted {@code expected} receipts in the current window, up to the deadline. */
    void awaitDeliveries(List<AgentProcess> used, long expected, long timeoutMillis) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        Opened all = new Opened(used, "", 0);
        while (System.nanoTime() < deadline) {
            long sum = 0;
            for (String r : forEach(all, a -> a.call("count"))) {
                sum += Long.parseLong(r.split(" ")[0]);
            }
            if (sum >= expected) {
                return;
            }
            Thread.sleep(10);
        }
    }

    Publisher publisher() {
        return publisher;
    }

    /** The next window's number: agents count only its messages once told. */
    long nextWindow() {
        return ++windows;
    }

    /** A topic no earlier scenario used. */
    String nextTopic(String prefix, Transport t) {
        return prefix + (++groups) + "-" + t.wireName();
    }

    /** Tells the agents to count window {@code w} only, from zero. */
    void window(List<AgentProcess> used, long w) throws Exception {
        forEach(new Opened(used, "", 0), a -> a.call("window " + w));
    }

    /** What the group's own subscribers received in the current window, summed over its agents. */
    Tally tally(Opened opened) throws Exception {
        long deliveries = 0;
        long requests = 0;
        long lost = 0;
        Histogram latency = new Histogram(3);
        for (String r : forEach(opened, a -> a.call("report " + opened.group()))) {
            String[] f = r.split(" ");
            deliveries += Long.parseLong(f[0]);
            requests += Long.parseLong(f[1]);
            lost += Long.parseLong(f[2]);
            latency.add(Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(f[3])), 0));
        }
        return new Tally(deliveries, requests, lost, latency);
    }

    Opened open(ServerProcess server, Transport t, String topic, int total, long timeoutMillis) throws Exception {
        return open(server, t, topic, total, timeoutMillis, false);
    }

    /** As {@link #open(ServerProcess, Transport, String, int, long)}, over h2c when {@code h2c}. */
    Opened open(ServerProcess server, Transport t, String topic, int total, long timeoutMillis, boolean h2c) throws Exception {
        int k = Math.min(agents.size(), Math.max(1, (total + config.perAgent() - 1) / config.perAgent()));
        List<AgentProcess> used = agents.subList(0, k);
        // A name per open, not per topic: the cluster opens two groups (one per node) on one topic.
        String group = "g" + (++opens);
        List<Future<String>> answers = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            AgentProcess a = used.get(i);
            int share = total / k + (i < total % k ? 1 : 0);
            // A fresh source address per group: thousands of closed connections leave TIME_WAIT ports behind.
            String ip = "127.0.0." + (2 + (addresses++ % 250));
            String cmd = String.join(" ", "open", group, t.wireName(), server.kind.dialect.wireName(), server.baseUrl(), topic,
                    String.valueOf(share), ip, String.valueOf(config.pollMillis()), "256", String.valueOf(timeoutMillis),
                    h2c ? "h2c" : "http/1.1");
            answers.add(parallel.submit(() -> a.call(cmd)));
        }
        int ready = 0;
        String error = null;
        for (Future<String> f : answers) {
            String r = f.get();
            ready += Integer.parseInt(r.replaceAll(".*ready=(\\d+).*", "$1"));
            if (error == null && r.contains(" error=")) {
                error = r.substring(r.indexOf(" error=") + 7);
            }
        }
        Opened opened = new Opened(used, group, ready);
        if (ready < total) {
            progress.say("  only %,d of %,d %s subscribers got ready%s", ready, total, t.wireName(), error == null ? "" : ": " + error);
        }
        if (ready == 0) {
            close(server, opened, topic, server.stats(false).connections());
            throw new IOException("no " + t.wireName() + " subscriber of " + server.kind.label + " got ready"
                    + (error == null ? "" : ": " + error));
        }
        return opened;
    }

    /**
     * Closes the subscribers and waits until the server has let go of them. Over HTTP/1.1 a server learns of a
     * closed stream or parked long-poll only when it writes to it, so a few unmeasured publishes sweep them out.
     */
    void close(ServerProcess server, Opened opened, String topic, long connectionsBefore) throws Exception {
        forEach(opened, a -> a.call("close " + opened.group()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (server.awaitConnectionsAtMost(connectionsBefore + PUBLISHER_CONNECTIONS, 100) > connectionsBefore + PUBLISHER_CONNECTIONS
                && System.nanoTime() < deadline) {
            publisher.publishOne(server.publishUrl(topic), 0);
        }
    }

    interface Call {
        String on(AgentProcess a) throws IOException;
    }

    List<String> forEach(Opened opened, Call call) throws Exception {
        if (opened.agents().size() == 1) {
            return List.of(call.on(opened.agents().get(0)));
        }
        List<Future<String>> fs = new ArrayList<>();
        for (AgentProcess a : opened.agents()) {
            fs.add(parallel.submit(() -> call.on(a)));
        }
        List<String> out = new ArrayList<>();
        for (Future<String> f : fs) {
            out.add(f.get());
        }
        return out;
    }

    @Override
    public void close() {
        parallel.shutdownNow();
    }
}
