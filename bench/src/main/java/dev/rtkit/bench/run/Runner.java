package dev.rtkit.bench.run;

import dev.rtkit.bench.load.Transport;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * Runs the benchmark: starts the rtkit server, the baseline server and the load-generator agents as JVMs of their
 * own, runs every scenario against both servers back to back, and writes the report.
 * <pre>
 * Runner [--mode quick|full|smoke] [--out DIR] [--logs DIR] [--jfr]
 * </pre>
 */
public final class Runner {
    private static final String[] KINDS = {"rtkit", "baseline"};

    private final Config requested;
    private final Path out;
    private final Path logs;
    private final boolean jfr;
    private final Progress progress = new Progress();

    Runner(Config config, Path out, Path logs, boolean jfr) {
        this.requested = config;
        this.out = out;
        this.logs = logs;
        this.jfr = jfr;
    }

    public static void main(String[] args) throws Exception {
        String mode = "full";
        Path out = Path.of("bench/results");
        Path logs = Path.of("bench/target/logs");
        boolean jfr = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--mode" -> mode = args[++i];
                case "--quick" -> mode = "quick";
                case "--out" -> out = Path.of(args[++i]);
                case "--logs" -> logs = Path.of(args[++i]);
                case "--jfr" -> jfr = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Path report = new Runner(Config.named(mode), out, logs, jfr).run();
        System.out.println("Report: " + report);
        System.exit(0);
    }

    Path run() throws Exception {
        Files.createDirectories(logs);
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
        Instant started = Instant.now();
        HttpClient client = new HttpClient();
        // Stats requests: one connection, so the server's connection count is easy to read.
        client.setMaxConnectionsPerDestination(1);
        client.start();
        HttpClient publishing = new HttpClient();
        publishing.setMaxConnectionsPerDestination(Scenarios.PUBLISHER_CONNECTIONS);
        publishing.start();
        Map<String, ServerProcess> servers = new java.util.LinkedHashMap<>();
        List<AgentProcess> agents = new ArrayList<>();
        try {
            for (String kind : KINDS) {
                servers.put(kind, ServerProcess.start(kind, logs, jfr, client));
            }
            Config config = requested;
            boolean ws = webSocketAvailable(client, servers.get("rtkit"));
            if (!ws) {
                config = config.without(List.of(Transport.WEBSOCKET));
                progress.say("rtkit answers no WebSocket at /rt/ws yet: websocket rows are left out");
            }
            for (int i = 0; i < config.agentsNeeded(); i++) {
                agents.add(AgentProcess.start(i, logs));
            }
            progress.say("%s run: servers rtkit (pid %d) and baseline (pid %d), %d load-generator JVM(s)", config.name(),
                    servers.get("rtkit").pid(), servers.get("baseline").pid(), agents.size());
            Report report = new Report(config.name());
            try (Scenarios scenarios = new Scenarios(config, agents, new Publisher(publishing, config.payloadBytes()), progress)) {
                report.add(deliveryTable("steady", config, scenarios, servers, config.steadyTransports(),
                        config.steadySubscribers(), config.steadyRate(), false));
                if (!config.loadTransports().isEmpty()) {
                    report.add(deliveryTable("throughput", config, scenarios, servers, config.loadTransports(),
                            config.loadSubscribers(), config.loadRate(), true));
                }
                report.add(stalledTable(config, scenarios, servers.get("rtkit")));
                report.add(idleTable(config, scenarios, servers));
                report.add(fanoutTable(config, scenarios, servers));
            }
            header(report, config, started, loadBefore, ws);
            return report.write(out);
        } finally {
            for (AgentProcess a : agents) {
                a.close();
            }
            for (ServerProcess s : servers.values()) {
                s.close();
            }
            client.stop();
            publishing.stop();
        }
    }

    private Table deliveryTable(String id, Config c, Scenarios scenarios, Map<String, ServerProcess> servers,
            List<Transport> transports, int subscribers, double rate, boolean efficiencyGoals) throws Exception {
        Table t = new Table(id, (id.equals("steady") ? "Steady delivery" : "Throughput") + ": " + String.format("%,d", subscribers)
                + " subscribers on one topic, " + Report.number(rate, 0) + " msg/s",
                "Open-loop publisher (`POST …/publish/{topic}`, " + c.payloadBytes() + "-byte JSON payload) at "
                        + Report.number(rate, 0) + " msg/s = " + Report.number(rate * subscribers, 0)
                        + " deliveries/s; " + c.warmupSeconds() + " s warm-up, then " + c.measureSeconds()
                        + " s measured per transport and server. Latency: publish due time to receipt by the subscriber."
                        + " Poll interval " + c.pollMillis() + " ms.");
        Map<Transport, Measurements.Delivery[]> all = new EnumMap<>(Transport.class);
        for (Transport tr : transports) {
            Measurements.Delivery[] m = new Measurements.Delivery[2];
            for (int k = 0; k < 2; k++) {
                progress.say("%s %s %s: %,d subscribers, %s msg/s", id, tr.wireName(), KINDS[k], subscribers, Report.number(rate, 0));
                try {
                    m[k] = scenarios.delivery(servers.get(KINDS[k]), tr, subscribers, rate);
                    progress.say("  %,.0f deliveries/CPU-s (%.2f cores), p50 %.2f ms, p99 %.2f ms, %.1f B/delivery, %.1f%% delivered",
                            m[k].perCpuSecond(), m[k].cores(), m[k].percentileMillis(50), m[k].percentileMillis(99),
                            m[k].bytesPerDelivery(), 100 * m[k].deliveredRatio());
                } catch (Exception e) {
                    progress.say("  failed: %s", e);
                    t.notes.add("**" + tr.wireName() + " on " + KINDS[k] + " failed:** `" + e + "`");
                }
            }
            all.put(tr, m);
            String n = tr.wireName();
            List<Goal> eff = new ArrayList<>();
            if (efficiencyGoals && tr == Transport.WEBSOCKET) {
                eff.add(Goal.atLeast(100_000, "≥ 100,000"));
            }
            eff.add(Goal.ratioAtLeast(0.9));
            t.row(n, "deliveries / server CPU-s", f(m, Measurements.Delivery::perCpuSecond, 0), f(m, Measurements.Delivery::perCpuSecond, 1),
                    0, eff.toArray(new Goal[0]));
            t.row(n, "server CPU used (cores)", f(m, Measurements.Delivery::cores, 0), f(m, Measurements.Delivery::cores, 1), 2);
            Goal[] p50 = tr == Transport.LONGPOLL && rate * subscribers <= 10_000 ? new Goal[] {Goal.atMost(5, "≤ 5 ms")} : new Goal[0];
            t.row(n, "latency p50 (ms)", f(m, d -> d.percentileMillis(50), 0), f(m, d -> d.percentileMillis(50), 1), 2, p50);
            t.row(n, "latency p99 (ms)", f(m, d -> d.percentileMillis(99), 0), f(m, d -> d.percentileMillis(99), 1), 2);
            t.row(n, "latency p99.9 (ms)", f(m, d -> d.percentileMillis(99.9), 0), f(m, d -> d.percentileMillis(99.9), 1), 2);
            t.row(n, "bytes out / delivery", f(m, Measurements.Delivery::bytesPerDelivery, 0), f(m, Measurements.Delivery::bytesPerDelivery, 1), 0);
            t.row(n, "HTTP requests / delivery", f(m, Measurements.Delivery::requestsPerDelivery, 0),
                    f(m, Measurements.Delivery::requestsPerDelivery, 1), 3);
            t.row(n, "delivered (% of expected)", f(m, d -> 100 * d.deliveredRatio(), 0), f(m, d -> 100 * d.deliveredRatio(), 1), 1);
        }
        if (efficiencyGoals && all.containsKey(Transport.WEBSOCKET) && all.containsKey(Transport.SSE)) {
            Measurements.Delivery[] w = all.get(Transport.WEBSOCKET);
            Measurements.Delivery[] s = all.get(Transport.SSE);
            t.row("sse ÷ websocket", "deliveries / server CPU-s", quotient(s[0], w[0]), quotient(s[1], w[1]), 2,
                    Goal.atLeast(0.8, "≥ 0.8"));
        }
        t.chart(id + "-efficiency", "Deliveries per server CPU-second (" + id + ")", "deliveries / server CPU-s");
        t.chart(id + "-latency-p99", "Latency p99, ms (" + id + ")", "latency p99 (ms)");
        t.notes.add("Bytes out: everything the server process wrote to sockets in the window (`/proc/<pid>/io` wchar: "
                + "headers, framing and publish answers included) per delivery. HTTP requests: requests the subscribers "
                + "sent in the window per delivery (publishes not counted).");
        return t;
    }

    /** One reader that never reads among many: how much it moves everyone else's latency. */
    private Table stalledTable(Config c, Scenarios scenarios, ServerProcess rtkit) throws Exception {
        int n = c.name().equals("smoke") ? 20 : 1000;
        double rate = c.steadyRate();
        Table t = new Table("stalled", "Slow consumer: one stalled SSE reader among " + String.format("%,d", n),
                String.format("%,d", n) + " SSE subscribers on one topic at " + Report.number(rate, 0) + " msg/s, measured twice on rtkit:"
                        + " alone, and beside one more SSE reader that never reads (its connection filled first, before the others"
                        + " subscribe, by 256 messages of 32 KiB). Here the rtkit column is rtkit beside the stalled reader, the baseline column rtkit alone, and the"
                        + " ratio beside ÷ alone.");
        Measurements.Delivery[] m = new Measurements.Delivery[2];
        for (int k = 0; k < 2; k++) {
            progress.say("stalled sse rtkit: %,d subscribers%s", n, k == 0 ? "" : " + 1 stalled reader");
            m[k] = scenarios.delivery(rtkit, Transport.SSE, n, rate, k);
            progress.say("  p50 %.2f ms, p99 %.2f ms, %.1f%% delivered", m[k].percentileMillis(50), m[k].percentileMillis(99),
                    100 * m[k].deliveredRatio());
        }
        for (double p : new double[] {50, 99}) {
            double alone = m[0].percentileMillis(p);
            double beside = m[1].percentileMillis(p);
            t.row("sse", "latency p" + (int) p + " (ms)", beside, alone, 2);
        }
        t.row("sse", "delivered (% of expected)", 100 * m[1].deliveredRatio(), 100 * m[0].deliveredRatio(), 1);
        t.row("sse", "p50 beside ÷ alone", m[1].percentileMillis(50) / m[0].percentileMillis(50), null, 2,
                Goal.atMost(1.1, "≤ 1.1"));
        t.notes.add("The raw-Jetty baseline is not run here: it writes with blocking calls from the publishing thread, so "
                + "a reader that never reads would hold its publisher until the idle timeout.");
        return t;
    }

    private static Double quotient(Measurements.Delivery a, Measurements.Delivery b) {
        return a == null || b == null ? null : a.perCpuSecond() / b.perCpuSecond();
    }

    private interface Figure {
        double of(Measurements.Delivery d);
    }

    private static Double f(Measurements.Delivery[] m, Figure figure, int k) {
        return m[k] == null ? null : figure.of(m[k]);
    }

    private Table idleTable(Config c, Scenarios scenarios, Map<String, ServerProcess> servers) throws Exception {
        Table t = new Table("idle", "Idle connections: " + String.format("%,d", c.idleConnections()) + " per transport and server",
                "Connections opened from " + c.agentsNeeded() + " load-generator JVM(s) on 127.0.0.x source addresses, "
                        + "then the server's heap (after full GCs) and direct memory are weighed against before, not "
                        + "counting buffers idle in Jetty's buffer pool (they belong to no connection). "
                        + "Poll holds no connection and is left out.");
        for (Transport tr : c.idleTransports()) {
            Measurements.Idle[] m = new Measurements.Idle[2];
            for (int k = 0; k < 2; k++) {
                progress.say("idle %s %s: %,d connections", tr.wireName(), KINDS[k], c.idleConnections());
                try {
                    m[k] = scenarios.idle(servers.get(KINDS[k]), tr, c.idleConnections());
                    progress.say("  held %,d (server sees %,d), %.2f KiB heap + %.2f KiB direct per connection", m[k].held(),
                            m[k].serverConnections(), m[k].heapKiBPerConnection(), m[k].directKiBPerConnection());
                } catch (Exception e) {
                    progress.say("  failed: %s", e);
                    t.notes.add("**" + tr.wireName() + " on " + KINDS[k] + " failed:** `" + e + "`");
                }
            }
            String n = tr.wireName();
            Goal[] held = c.idleConnections() >= 15_000 ? new Goal[] {Goal.atLeast(15_000, "≥ 15,000 per JVM")} : new Goal[0];
            t.row(n, "connections held", i(m, 0, x -> x.held()), i(m, 1, x -> x.held()), 0, held);
            t.row(n, "heap / connection (KiB)", i(m, 0, Measurements.Idle::heapKiBPerConnection),
                    i(m, 1, Measurements.Idle::heapKiBPerConnection), 2);
            t.row(n, "direct / connection (KiB)", i(m, 0, Measurements.Idle::directKiBPerConnection),
                    i(m, 1, Measurements.Idle::directKiBPerConnection), 2);
            double limit = tr == Transport.WEBSOCKET ? 16 : 24;
            t.row(n, "heap + direct / connection (KiB)", i(m, 0, Measurements.Idle::totalKiBPerConnection),
                    i(m, 1, Measurements.Idle::totalKiBPerConnection), 2, Goal.atMost(limit, "≤ " + (int) limit + " KiB"));
        }
        t.chart("idle-memory", "Server memory per idle connection, KiB", "heap + direct / connection (KiB)");
        return t;
    }

    private interface IdleFigure {
        double of(Measurements.Idle m);
    }

    private static Double i(Measurements.Idle[] m, int k, IdleFigure f) {
        return m[k] == null ? null : f.of(m[k]);
    }

    private Table fanoutTable(Config c, Scenarios scenarios, Map<String, ServerProcess> servers) throws Exception {
        Table t = new Table("fanout", "Fan-out: one publish to " + String.format("%,d", c.fanoutSubscribers()) + " subscribers",
                "One message published at a time to one topic with " + String.format("%,d", c.fanoutSubscribers())
                        + " subscribers; the figure is the time from the publish to the last subscriber's receipt, over "
                        + c.fanoutRepeats() + " repeats after a few unmeasured ones.");
        for (Transport tr : c.fanoutTransports()) {
            Measurements.Fanout[] m = new Measurements.Fanout[2];
            for (int k = 0; k < 2; k++) {
                progress.say("fanout %s %s: %,d subscribers x %d", tr.wireName(), KINDS[k], c.fanoutSubscribers(), c.fanoutRepeats());
                try {
                    m[k] = scenarios.fanout(servers.get(KINDS[k]), tr, c.fanoutSubscribers(), c.fanoutRepeats());
                    progress.say("  time to last delivery p50 %.1f ms, p99 %.1f ms", m[k].percentileMillis(50), m[k].percentileMillis(99));
                } catch (Exception e) {
                    progress.say("  failed: %s", e);
                    t.notes.add("**" + tr.wireName() + " on " + KINDS[k] + " failed:** `" + e + "`");
                }
            }
            String n = tr.wireName();
            t.row(n, "subscribers", fo(m, 0, x -> x.subscribers()), fo(m, 1, x -> x.subscribers()), 0);
            t.row(n, "time to last delivery p50 (ms)", fo(m, 0, x -> x.percentileMillis(50)), fo(m, 1, x -> x.percentileMillis(50)), 1);
            Goal[] p99 = tr == Transport.WEBSOCKET && c.fanoutSubscribers() >= 10_000
                    ? new Goal[] {Goal.atMost(150, "≤ 150 ms")} : new Goal[0];
            t.row(n, "time to last delivery p99 (ms)", fo(m, 0, x -> x.percentileMillis(99)), fo(m, 1, x -> x.percentileMillis(99)), 1, p99);
            t.row(n, "time to last delivery max (ms)", fo(m, 0, x -> x.percentileMillis(100)), fo(m, 1, x -> x.percentileMillis(100)), 1);
            t.row(n, "repeats not fully delivered", fo(m, 0, x -> x.incomplete()), fo(m, 1, x -> x.incomplete()), 0);
        }
        t.chart("fanout-p99", "Time to last delivery p99, ms", "time to last delivery p99 (ms)");
        return t;
    }

    private interface FanoutFigure {
        double of(Measurements.Fanout m);
    }

    private static Double fo(Measurements.Fanout[] m, int k, FanoutFigure f) {
        return m[k] == null ? null : f.of(m[k]);
    }

    private void header(Report r, Config c, Instant started, String loadBefore, boolean ws) throws Exception {
        String loadAfter = Files.readString(Path.of("/proc/loadavg")).trim();
        r.line("- run: `bench/run.sh" + (c.name().equals("full") ? "" : " --" + c.name()) + "` at "
                + started.truncatedTo(ChronoUnit.SECONDS) + ", " + Math.round((Instant.now().toEpochMilli() - started.toEpochMilli()) / 1000.0)
                + " s; commit " + System.getProperty("bench.commit", "unknown"));
        r.line("- machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version")
                + ", load average before `" + loadBefore + "`, after `" + loadAfter + "`");
        r.line("- servers: each in its own JVM (`-Xms2g -Xmx2g`, G1), Jetty 12.1 ee10, HTTP/1.1 on 127.0.0.1; rtkit = "
                + "`RealtimeServlet` + `RtkitListener` at /rt/*; baseline = a minimal async servlet (blocking write + flush per "
                + "subscriber from the publishing thread, as Jetty's EventSourceServlet) and a Jakarta WebSocket endpoint "
                + "broadcasting with `getAsyncRemote().sendText`, in the same wire shapes, without history, cursors, gaps or validation");
        r.line("- server CPU: the server process's own `ProcessCpuTime` over the measured window; clients and publisher run "
                + "in other JVMs on the same cores, so the machine is shared and figures are noisy");
        r.line("- ratio = rtkit ÷ baseline (above 1 is better for throughput, worse for latency, bytes and memory); "
                + "goals are printed, not asserted");
        if (!ws) {
            r.line("- **websocket**: not in this build of rtkit yet, so its rows are missing");
        }
    }

    /** Whether rtkit answers a subscribe on its WebSocket. */
    private static boolean webSocketAvailable(HttpClient client, ServerProcess rtkit) {
        WebSocketClient ws = new WebSocketClient(client);
        try {
            ws.start();
            Probe probe = new Probe();
            ws.connect(probe, URI.create("ws://127.0.0.1:" + rtkit.port + "/rt/ws")).get(5, TimeUnit.SECONDS);
            CompletableFuture<Boolean> subscribed = probe.subscribed;
            return subscribed.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            return false;
        } finally {
            try {
                ws.stop();
            } catch (Exception e) {
                // Nothing to clean.
            }
        }
    }

    /** Public, as Jetty calls listener methods through method handles. */
    public static final class Probe implements Session.Listener.AutoDemanding {
        final CompletableFuture<Boolean> subscribed = new CompletableFuture<>();

        @Override
        public void onWebSocketOpen(Session session) {
            session.sendText("{\"type\":\"subscribe\",\"topic\":\"probe\"}", Callback.NOOP);
        }

        @Override
        public void onWebSocketText(String text) {
            subscribed.complete(text.contains("\"subscribed\""));
        }
    }
}
