package dev.rtkit.bench.run;

import dev.rtkit.bench.load.Transport;
import dev.rtkit.bench.peers.AtmospherePeer;
import dev.rtkit.bench.peers.CometdPeer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * Runs the benchmark: starts the rtkit server, the baseline server, the peers (CometD, Atmosphere) and the
 * load-generator agents as JVMs of their own, warms every server on every transport, then runs every scenario
 * against each server in a random order, repeated, and writes the report.
 * <pre>
 * Runner [--mode quick|full|smoke|profile] [--out DIR] [--logs DIR] [--jfr] [--kinds rtkit,baseline,cometd,atmosphere]
 * </pre>
 */
public final class Runner {
    private final Config requested;
    private final Path out;
    private final Path logs;
    private final boolean jfr;
    private final Progress progress = new Progress();
    private final Random random = new Random();
    /** The 1-minute load average after each measured window. */
    private final List<Double> loads = new ArrayList<>();

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
        List<Kind> kinds = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--mode" -> mode = args[++i];
                case "--quick" -> mode = "quick";
                case "--out" -> out = Path.of(args[++i]);
                case "--logs" -> logs = Path.of(args[++i]);
                case "--jfr" -> jfr = true;
                case "--kinds" -> kinds = java.util.Arrays.stream(args[++i].split(",")).map(k -> Kind.valueOf(k.trim()
                        .toUpperCase(java.util.Locale.ROOT))).toList();
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Config config = Config.named(mode);
        if (kinds != null && !kinds.contains(Kind.RTKIT)) {
            throw new IllegalArgumentException("--kinds must include rtkit: every figure is compared with it");
        }
        Path report = new Runner(kinds == null ? config : config.withKinds(kinds), out, logs, jfr).run();
        System.out.println("Report: " + report);
        System.exit(0);
    }

    Path run() throws Exception {
        Files.createDirectories(logs);
        String loadBefore = loadAverage();
        Instant started = Instant.now();
        HttpClient client = new HttpClient();
        // Stats requests: one connection, so the server's connection count is easy to read.
        client.setMaxConnectionsPerDestination(1);
        client.start();
        HttpClient publishing = new HttpClient();
        publishing.setMaxConnectionsPerDestination(Scenarios.PUBLISHER_CONNECTIONS);
        publishing.start();
        Map<Kind, ServerProcess> servers = new EnumMap<>(Kind.class);
        List<String> missing = new ArrayList<>();
        List<AgentProcess> agents = new ArrayList<>();
        // A run stopped with a signal skips the finally below: no server or agent JVM may outlive it.
        Thread reaper = new Thread(() -> {
            servers.values().forEach(ServerProcess::kill);
            agents.forEach(AgentProcess::kill);
        }, "bench-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        try {
            for (Kind k : requested.kinds()) {
                try {
                    servers.put(k, ServerProcess.start(k, logs, jfr, client));
                } catch (IOException e) {
                    if (!k.isPeer()) {
                        throw e;
                    }
                    progress.say("%s did not start: %s", k.label, e.getMessage());
                    missing.add("- **" + k.label + " did not start:** `" + e.getMessage() + "`");
                }
            }
            Config config = requested.withKinds(List.copyOf(servers.keySet()));
            boolean ws = webSocketAvailable(client, servers.get(Kind.RTKIT));
            if (!ws) {
                config = config.without(List.of(Transport.WEBSOCKET));
                progress.say("rtkit answers no WebSocket at /rt/ws yet: websocket rows are left out");
            }
            for (int i = 0; i < config.agentsNeeded(); i++) {
                agents.add(AgentProcess.start(i, logs));
            }
            StringBuilder pids = new StringBuilder();
            servers.forEach((k, s) -> pids.append(pids.length() == 0 ? "" : ", ").append(k.label).append(" (pid ").append(s.pid())
                    .append(", Java ").append(s.java).append(')'));
            progress.say("%s run: servers %s, %d load-generator JVM(s); load average %s", config.name(), pids, agents.size(),
                    loadBefore);
            Report report = new Report(config.name());
            try (Scenarios scenarios = new Scenarios(config, agents, new Publisher(publishing, config.payloadBytes()), progress)) {
                warm(config, scenarios, servers);
                report.add(deliveryTable("steady", config, scenarios, servers, config.steadyTransports(),
                        config.steadySubscribers(), config.steadyRate(), false));
                checkpoint(report, config, started, loadBefore, ws, servers, missing);
                if (!config.loadTransports().isEmpty()) {
                    report.add(deliveryTable("throughput", config, scenarios, servers, config.loadTransports(),
                            config.loadSubscribers(), config.loadRate(), true));
                    checkpoint(report, config, started, loadBefore, ws, servers, missing);
                }
                if (!config.name().startsWith("profile")) {
                    report.add(stalledTable(config, scenarios, servers));
                }
                report.add(idleTable(config, scenarios, servers));
                checkpoint(report, config, started, loadBefore, ws, servers, missing);
                report.add(fanoutTable(config, scenarios, servers));
            }
            report.clearHeader();
            header(report, config, started, loadBefore, ws, servers, missing);
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

    /**
     * Writes what is measured so far, marked partial: a long run stopped (or starved) part-way leaves its first
     * scenarios behind.
     */
    private void checkpoint(Report report, Config config, Instant started, String loadBefore, boolean ws,
            Map<Kind, ServerProcess> servers, List<String> missing) throws Exception {
        report.clearHeader();
        report.line("- **partial report**: written after each scenario; this run had not finished when it was written");
        header(report, config, started, loadBefore, ws, servers, missing);
        report.write(out);
    }

    /**
     * Before anything is measured, every server publishes to subscribers of every transport it serves, so no
     * server's measured window is also its JIT warm-up (the order suspicion of an earlier run).
     */
    private void warm(Config c, Scenarios scenarios, Map<Kind, ServerProcess> servers) {
        if (c.warmSeconds() <= 0) {
            return;
        }
        int subscribers = Math.max(1, Math.min(200, c.steadySubscribers()));
        double rate = Math.max(c.steadyRate(), c.loadRate());
        for (Kind k : shuffled(servers.keySet())) {
            for (Transport t : c.steadyTransports()) {
                if (!k.serves(t)) {
                    continue;
                }
                progress.say("warm-up %s %s: %d subscribers, %s msg/s for %s s", k.label, t.wireName(), subscribers,
                        Report.number(rate, 0), Report.number(c.warmSeconds(), 1));
                try {
                    scenarios.warm(servers.get(k), t, subscribers, rate, c.warmSeconds());
                } catch (Exception e) {
                    progress.say("  warm-up failed: %s", e);
                }
            }
        }
    }

    private List<Kind> shuffled(java.util.Collection<Kind> kinds) {
        List<Kind> order = new ArrayList<>(kinds);
        Collections.shuffle(order, random);
        return order;
    }

    private Table deliveryTable(String id, Config c, Scenarios scenarios, Map<Kind, ServerProcess> servers,
            List<Transport> transports, int subscribers, double rate, boolean efficiencyGoals) throws Exception {
        Table t = new Table(id, (id.equals("steady") ? "Steady delivery" : "Throughput") + ": " + String.format("%,d", subscribers)
                + " subscribers on one topic, " + Report.number(rate, 0) + " msg/s",
                "Open-loop publisher (`POST …/publish/{topic}`, " + c.payloadBytes() + "-byte JSON payload) at "
                        + Report.number(rate, 0) + " msg/s = " + Report.number(rate * subscribers, 0)
                        + " deliveries/s; " + c.warmupSeconds() + " s warm-up, then " + c.measureSeconds()
                        + " s measured per transport and server" + (c.repeats() > 1 ? ", " + c.repeats()
                        + " times each with the servers in a new random order every time (median ± half the range)" : "")
                        + ". Latency: publish due time to receipt by the subscriber. Poll interval " + c.pollMillis() + " ms.");
        Map<Transport, Map<Kind, List<Measurements.Delivery>>> all = new EnumMap<>(Transport.class);
        for (Transport tr : transports) {
            List<Kind> kinds = servers.keySet().stream().filter(k -> k.serves(tr)).toList();
            Map<Kind, List<Measurements.Delivery>> m = new EnumMap<>(Kind.class);
            java.util.Set<Kind> failedOnce = java.util.EnumSet.noneOf(Kind.class);
            for (int rep = 0; rep < c.repeats(); rep++) {
                for (Kind k : shuffled(kinds)) {
                    progress.say("%s %s %s%s: %,d subscribers, %s msg/s", id, tr.wireName(), k.label,
                            c.repeats() > 1 ? " (" + (rep + 1) + "/" + c.repeats() + ")" : "", subscribers, Report.number(rate, 0));
                    try {
                        Measurements.Delivery d = scenarios.delivery(servers.get(k), tr, subscribers, rate);
                        m.computeIfAbsent(k, x -> new ArrayList<>()).add(d);
                        double load = load1();
                        loads.add(load);
                        progress.say("  %,.0f deliveries/CPU-s (%.2f cores), p50 %.2f ms, p99 %.2f ms, %.1f B/delivery, %.1f%% delivered;"
                                        + " load %.2f", d.perCpuSecond(), d.cores(), d.percentileMillis(50), d.percentileMillis(99),
                                d.bytesPerDelivery(), 100 * d.deliveredRatio(), load);
                    } catch (Exception e) {
                        progress.say("  failed: %s", e);
                        if (failedOnce.add(k)) {
                            t.notes.add("**" + tr.wireName() + " on " + k.label + " failed:** `" + e + "`");
                        }
                    }
                }
            }
            all.put(tr, m);
            String n = tr.wireName();
            List<Goal> eff = new ArrayList<>();
            if (efficiencyGoals && tr == Transport.WEBSOCKET) {
                eff.add(Goal.atLeast(100_000, "≥ 100,000"));
            }
            eff.add(Goal.ratioAtLeast(0.9));
            t.row(n, "deliveries / server CPU-s", cells(m, Measurements.Delivery::perCpuSecond), 0, eff.toArray(new Goal[0]));
            t.row(n, "server CPU used (cores)", cells(m, Measurements.Delivery::cores), 2);
            Goal[] p50 = tr == Transport.LONGPOLL && rate * subscribers <= 10_000 ? new Goal[] {Goal.atMost(5, "≤ 5 ms")} : new Goal[0];
            t.row(n, "latency p50 (ms)", cells(m, d -> d.percentileMillis(50)), 2, p50);
            t.row(n, "latency p99 (ms)", cells(m, d -> d.percentileMillis(99)), 2);
            t.row(n, "latency p99.9 (ms)", cells(m, d -> d.percentileMillis(99.9)), 2);
            t.row(n, "bytes out / delivery", cells(m, Measurements.Delivery::bytesPerDelivery), 0);
            t.row(n, "HTTP requests / delivery", cells(m, Measurements.Delivery::requestsPerDelivery), 3);
            t.row(n, "delivered (% of expected)", cells(m, d -> 100 * d.deliveredRatio()), 1);
        }
        if (efficiencyGoals && all.containsKey(Transport.WEBSOCKET) && all.containsKey(Transport.SSE)) {
            Map<Kind, Cell> q = new EnumMap<>(Kind.class);
            for (Kind k : List.of(Kind.RTKIT, Kind.BASELINE)) {
                Cell w = Cell.of(values(all.get(Transport.WEBSOCKET).get(k), Measurements.Delivery::perCpuSecond));
                Cell s = Cell.of(values(all.get(Transport.SSE).get(k), Measurements.Delivery::perCpuSecond));
                if (w != null && s != null) {
                    q.put(k, Cell.of(s.median() / w.median()));
                }
            }
            t.row("sse ÷ websocket", "deliveries / server CPU-s", q, 2, Goal.atLeast(0.8, "≥ 0.8"));
        }
        t.chart(id + "-efficiency", "Deliveries per server CPU-second (" + id + ")", "deliveries / server CPU-s");
        t.chart(id + "-latency-p99", "Latency p99, ms (" + id + ")", "latency p99 (ms)");
        t.notes.add("Bytes out: everything the server process wrote to sockets in the window (`/proc/<pid>/io` wchar: "
                + "headers, framing and publish answers included) per delivery. HTTP requests: requests the subscribers "
                + "sent in the window per delivery (publishes not counted; a CometD long-poll subscriber's handshake and "
                + "subscribe happen before the window).");
        return t;
    }

    private interface Figure {
        double of(Measurements.Delivery d);
    }

    private static List<Double> values(List<Measurements.Delivery> ds, Figure f) {
        List<Double> v = new ArrayList<>();
        if (ds != null) {
            ds.forEach(d -> v.add(f.of(d)));
        }
        return v;
    }

    private static Map<Kind, Cell> cells(Map<Kind, List<Measurements.Delivery>> m, Figure f) {
        Map<Kind, Cell> cells = new EnumMap<>(Kind.class);
        m.forEach((k, ds) -> {
            Cell c = Cell.of(values(ds, f));
            if (c != null) {
                cells.put(k, c);
            }
        });
        return cells;
    }

    /** One reader that never reads among many: how much it moves everyone else's latency (rtkit, and Atmosphere's SSE). */
    private Table stalledTable(Config c, Scenarios scenarios, Map<Kind, ServerProcess> servers) throws Exception {
        int n = c.name().equals("smoke") ? 20 : 1000;
        double rate = c.steadyRate();
        Table t = new Table("stalled", "Slow consumer: one stalled SSE reader among " + String.format("%,d", n),
                String.format("%,d", n) + " SSE subscribers on one topic at " + Report.number(rate, 0) + " msg/s, measured twice per server:"
                        + " alone, and beside one more SSE reader that never reads (its connection filled first, before the others"
                        + " subscribe, by 256 messages of 32 KiB). Here the first column is the server beside the stalled reader,"
                        + " the second the same server alone, and the ratio beside ÷ alone; the `sse` rows are rtkit's.");
        for (Kind k : List.of(Kind.RTKIT, Kind.ATMOSPHERE)) {
            if (!servers.containsKey(k)) {
                continue;
            }
            Measurements.Delivery[] m = new Measurements.Delivery[2];
            try {
                for (int i = 0; i < 2; i++) {
                    progress.say("stalled sse %s: %,d subscribers%s", k.label, n, i == 0 ? "" : " + 1 stalled reader");
                    m[i] = scenarios.delivery(servers.get(k), Transport.SSE, n, rate, i);
                    progress.say("  p50 %.2f ms, p99 %.2f ms, %.1f%% delivered", m[i].percentileMillis(50), m[i].percentileMillis(99),
                            100 * m[i].deliveredRatio());
                }
            } catch (Exception e) {
                progress.say("  failed: %s", e);
                t.notes.add("**stalled sse on " + k.label + " failed:** `" + e + "`");
                continue;
            }
            String name = k == Kind.RTKIT ? "sse" : "sse (" + k.label + ")";
            for (double p : new double[] {50, 99}) {
                t.row(name, "latency p" + (int) p + " (ms)", m[1].percentileMillis(p), m[0].percentileMillis(p), 2);
            }
            t.row(name, "delivered (% of expected)", 100 * m[1].deliveredRatio(), 100 * m[0].deliveredRatio(), 1);
            t.row(name, "p50 beside ÷ alone", m[1].percentileMillis(50) / m[0].percentileMillis(50), null, 2,
                    k == Kind.RTKIT ? new Goal[] {Goal.atMost(1.1, "≤ 1.1")} : new Goal[0]);
        }
        t.rtkitHeader = "beside";
        t.baselineHeader = "alone";
        t.notes.add("The raw-Jetty baseline is not run here: it writes with blocking calls from the publishing thread, so "
                + "a reader that never reads would hold its publisher until the idle timeout. CometD has no SSE.");
        return t;
    }

    private Table idleTable(Config c, Scenarios scenarios, Map<Kind, ServerProcess> servers) throws Exception {
        Table t = new Table("idle", "Idle connections: " + String.format("%,d", c.idleConnections()) + " per transport and server",
                "Connections opened from " + c.agentsNeeded() + " load-generator JVM(s) on 127.0.0.x source addresses, "
                        + "then the server's heap (after full GCs) and direct memory are weighed against before, not "
                        + "counting buffers idle in Jetty's buffer pool (they belong to no connection). "
                        + "Poll holds no connection and is left out. Servers in a random order per transport.");
        for (Transport tr : c.idleTransports()) {
            Map<Kind, Measurements.Idle> m = new EnumMap<>(Kind.class);
            for (Kind k : shuffled(servers.keySet().stream().filter(x -> x.serves(tr)).toList())) {
                progress.say("idle %s %s: %,d connections", tr.wireName(), k.label, c.idleConnections());
                try {
                    Measurements.Idle i = scenarios.idle(servers.get(k), tr, c.idleConnections());
                    m.put(k, i);
                    progress.say("  held %,d (server sees %,d), %.2f KiB heap + %.2f KiB direct per connection", i.held(),
                            i.serverConnections(), i.heapKiBPerConnection(), i.directKiBPerConnection());
                } catch (Exception e) {
                    progress.say("  failed: %s", e);
                    t.notes.add("**" + tr.wireName() + " on " + k.label + " failed:** `" + e + "`");
                }
            }
            String n = tr.wireName();
            Goal[] held = c.idleConnections() >= 15_000 ? new Goal[] {Goal.atLeast(15_000, "≥ 15,000 per JVM")} : new Goal[0];
            t.row(n, "connections held", idle(m, x -> x.held()), 0, held);
            t.row(n, "heap / connection (KiB)", idle(m, Measurements.Idle::heapKiBPerConnection), 2);
            t.row(n, "direct / connection (KiB)", idle(m, Measurements.Idle::directKiBPerConnection), 2);
            double limit = tr == Transport.WEBSOCKET ? 16 : 24;
            t.row(n, "heap + direct / connection (KiB)", idle(m, Measurements.Idle::totalKiBPerConnection), 2,
                    Goal.atMost(limit, "≤ " + (int) limit + " KiB"));
        }
        t.chart("idle-memory", "Server memory per idle connection, KiB", "heap + direct / connection (KiB)");
        t.notes.add("A CometD connection also holds its Bayeux session (and, for WebSocket, a held `/meta/connect`); an "
                + "Atmosphere one its `AtmosphereResource`, kept in the topic's broadcaster.");
        return t;
    }

    private interface IdleFigure {
        double of(Measurements.Idle m);
    }

    private static Map<Kind, Cell> idle(Map<Kind, Measurements.Idle> m, IdleFigure f) {
        Map<Kind, Cell> cells = new EnumMap<>(Kind.class);
        m.forEach((k, v) -> cells.put(k, Cell.of(f.of(v))));
        return cells;
    }

    private Table fanoutTable(Config c, Scenarios scenarios, Map<Kind, ServerProcess> servers) throws Exception {
        Table t = new Table("fanout", "Fan-out: one publish to " + String.format("%,d", c.fanoutSubscribers()) + " subscribers",
                "One message published at a time to one topic with " + String.format("%,d", c.fanoutSubscribers())
                        + " subscribers; the figure is the time from the publish to the last subscriber's receipt, over "
                        + c.fanoutRepeats() + " repeats after a few unmeasured ones. Servers in a random order per transport.");
        for (Transport tr : c.fanoutTransports()) {
            Map<Kind, Measurements.Fanout> m = new EnumMap<>(Kind.class);
            for (Kind k : shuffled(servers.keySet().stream().filter(x -> x.serves(tr)).toList())) {
                progress.say("fanout %s %s: %,d subscribers x %d", tr.wireName(), k.label, c.fanoutSubscribers(), c.fanoutRepeats());
                try {
                    Measurements.Fanout f = scenarios.fanout(servers.get(k), tr, c.fanoutSubscribers(), c.fanoutRepeats());
                    m.put(k, f);
                    progress.say("  time to last delivery p50 %.1f ms, p99 %.1f ms", f.percentileMillis(50), f.percentileMillis(99));
                } catch (Exception e) {
                    progress.say("  failed: %s", e);
                    t.notes.add("**" + tr.wireName() + " on " + k.label + " failed:** `" + e + "`");
                }
            }
            String n = tr.wireName();
            t.row(n, "subscribers", fan(m, x -> x.subscribers()), 0);
            t.row(n, "time to last delivery p50 (ms)", fan(m, x -> x.percentileMillis(50)), 1);
            Goal[] p99 = tr == Transport.WEBSOCKET && c.fanoutSubscribers() >= 10_000
                    ? new Goal[] {Goal.atMost(150, "≤ 150 ms")} : new Goal[0];
            t.row(n, "time to last delivery p99 (ms)", fan(m, x -> x.percentileMillis(99)), 1, p99);
            t.row(n, "time to last delivery max (ms)", fan(m, x -> x.percentileMillis(100)), 1);
            t.row(n, "repeats not fully delivered", fan(m, x -> x.incomplete()), 0);
        }
        t.chart("fanout-p99", "Time to last delivery p99, ms", "time to last delivery p99 (ms)");
        return t;
    }

    private interface FanoutFigure {
        double of(Measurements.Fanout m);
    }

    private static Map<Kind, Cell> fan(Map<Kind, Measurements.Fanout> m, FanoutFigure f) {
        Map<Kind, Cell> cells = new EnumMap<>(Kind.class);
        m.forEach((k, v) -> cells.put(k, Cell.of(f.of(v))));
        return cells;
    }

    private static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).trim();
    }

    private static double load1() {
        try {
            return Double.parseDouble(loadAverage().split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private void header(Report r, Config c, Instant started, String loadBefore, boolean ws, Map<Kind, ServerProcess> servers,
            List<String> missing) throws Exception {
        String loadAfter = loadAverage();
        r.line("- run: `bench/run.sh" + (c.name().equals("full") ? "" : " --" + c.name()) + "` at "
                + started.truncatedTo(ChronoUnit.SECONDS) + ", " + Math.round((Instant.now().toEpochMilli() - started.toEpochMilli()) / 1000.0)
                + " s; commit " + System.getProperty("bench.commit", "unknown"));
        r.line("- machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version")
                + ", load average before `" + loadBefore + "`, after `" + loadAfter + "`");
        if (!loads.isEmpty()) {
            Cell l = Cell.of(loads);
            r.line("- 1-minute load average after each measured delivery window: median " + Report.number(l.median(), 2)
                    + ", min " + Report.number(l.min(), 2) + ", max " + Report.number(l.max(), 2) + " (" + l.n() + " windows; "
                    + "the " + Runtime.getRuntime().availableProcessors() + " cores are shared with other work on this machine)");
        }
        ServerProcess rtkit = servers.get(Kind.RTKIT);
        r.line("- servers: each in its own JVM (`-Xms2g -Xmx2g`, G1; rtkit and baseline on Java " + (rtkit == null ? "?" : rtkit.java)
                + "), Jetty 12.1 ee10, HTTP/1.1 on 127.0.0.1; rtkit = "
                + "`RealtimeServlet` + `RtkitListener` at /rt/*; baseline = a minimal async servlet (blocking write + flush per "
                + "subscriber from the publishing thread, as Jetty's EventSourceServlet) and a Jakarta WebSocket endpoint "
                + "broadcasting with `getAsyncRemote().sendText`, in the same wire shapes, without history, cursors, gaps or validation");
        if (servers.containsKey(Kind.COMETD)) {
            r.line("- CometD 8.0.9 (Java " + servers.get(Kind.COMETD).java + "): `CometDServlet` at /cometd/*, transports "
                    + "`JettyWebSocketTransport` (websocket) and `JSONHttpTransport` (long-polling), a broadcast channel "
                    + "`/t/<topic>` per topic; set: " + CometdPeer.SETTINGS + ". Clients: the bench's own Bayeux "
                    + "(handshake, subscribe, `/meta/connect` loop, as CometD's JavaScript client) on Jetty's HttpClient / "
                    + "WebSocketClient, not CometD's Java client, so every server is driven by the same client code. "
                    + "Publishes: `POST /publish/{topic}` to a servlet that parses the JSON and calls "
                    + "`ServerChannel.publish` from a server-side `LocalSession`");
        }
        if (servers.containsKey(Kind.ATMOSPHERE)) {
            r.line("- Atmosphere 4.0.0 (Java " + servers.get(Kind.ATMOSPHERE).java + ", as atmosphere-runtime 4 is Java 21 "
                    + "bytecode): `AtmosphereServlet` at /atmo/* with `ReflectorServletProcessor` (Atmosphere's own handler "
                    + "writes each broadcast), `JSR356AsyncSupport`, a `DefaultBroadcaster` `/<topic>` per topic, default "
                    + "interceptors and thread pools (its performance page says to change nothing after 1.0.12); set: "
                    + AtmospherePeer.settings() + ". "
                    + "Clients: `?X-Atmosphere-Transport=websocket|sse|streaming|long-polling` (long-polls resend the "
                    + "tracking id, as atmosphere.js). Publishes: `POST /publish/{topic}` to a servlet calling "
                    + "`Broadcaster.broadcast` with the body");
        }
        missing.forEach(r::line);
        r.line("- order: every server is first warmed on every steady transport (" + Report.number(c.warmSeconds(), 1)
                + " s each, nothing measured); then per transport the servers run in a new random order each repeat ("
                + c.repeats() + (c.repeats() == 1 ? " window" : " windows") + " per transport and server)");
        r.line("- server CPU: the server process's own `ProcessCpuTime` over the measured window; clients and publisher run "
                + "in other JVMs on the same cores, so the machine is shared and figures are noisy");
        r.line("- ratio = rtkit ÷ baseline (above 1 is better for throughput, worse for latency, bytes and memory); "
                + "goals are printed, not asserted");
        if (!ws) {
            r.line("- **websocket**: not in this build of rtkit yet, so its rows are missing");
        }
    }

    /**
     * Whether rtkit answers a subscribe on its WebSocket: three tries with generous deadlines, as a loaded machine can
     * take seconds to answer the first upgrade; a no says why.
     */
    private boolean webSocketAvailable(HttpClient client, ServerProcess rtkit) {
        Exception last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            WebSocketClient ws = new WebSocketClient(client);
            try {
                ws.start();
                Probe probe = new Probe();
                ws.connect(probe, URI.create("ws://127.0.0.1:" + rtkit.port + "/rt/ws")).get(20, TimeUnit.SECONDS);
                if (probe.subscribed.get(20, TimeUnit.SECONDS)) {
                    return true;
                }
                last = new IOException("no subscribed answer");
            } catch (Exception e) {
                last = e;
            } finally {
                try {
                    ws.stop();
                } catch (Exception e) {
                    // Nothing to clean.
                }
            }
        }
        progress.say("rtkit WebSocket probe failed three times, last: %s", last);
        return false;
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

        @Override
        public void onWebSocketError(Throwable cause) {
            // The probe's connection is closed when the client stops: nothing to report.
            subscribed.complete(false);
        }
    }
}
