package dev.rtkit.bench.run;

import dev.rtkit.bench.load.Transport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.client.HttpClient;

/**
 * Runs the benchmark: starts the rtkit server, the baseline server, the peers (CometD, Atmosphere) and the
 * load-generator agents as JVMs of their own, warms every server on every transport, then runs every scenario
 * against each server in a random order, repeated, and writes the report. The cluster and metrics scenarios start
 * the servers they compare themselves ({@link ClusterScenario}, {@link MetricsScenario}).
 * <pre>
 * Runner [--mode quick|full|smoke|profile|profile-throughput|profile-poll] [--out DIR] [--logs DIR] [--jfr]
 *        [--kinds rtkit,baseline,cometd,atmosphere] [--scenarios steady,throughput,stalled,idle,fanout,cluster,metrics]
 * </pre>
 */
public final class Runner {
    private final Config requested;
    private final Set<Scenario> scenarios;
    private final Path out;
    private final Path logs;
    private final boolean jfr;
    private final Progress progress = new Progress();

    Runner(Config config, Path out, Path logs, boolean jfr) {
        this(config, Scenario.defaults(config.name()), out, logs, jfr);
    }

    Runner(Config config, Set<Scenario> scenarios, Path out, Path logs, boolean jfr) {
        this.requested = config;
        this.scenarios = scenarios;
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
        Set<Scenario> scenarios = null;
        Double warm = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--mode" -> mode = args[++i];
                case "--quick" -> mode = "quick";
                case "--out" -> out = Path.of(args[++i]);
                case "--logs" -> logs = Path.of(args[++i]);
                case "--jfr" -> jfr = true;
                case "--kinds" -> kinds = Arrays.stream(args[++i].split(",")).map(k -> Kind.valueOf(k.trim()
                        .toUpperCase(Locale.ROOT))).toList();
                case "--scenarios" -> scenarios = Scenario.parse(args[++i]);
                case "--warm" -> warm = Double.parseDouble(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Config config = Config.named(mode);
        if (warm != null) {
            config = config.withWarm(warm);
        }
        if (kinds != null && !kinds.contains(Kind.RTKIT)) {
            throw new IllegalArgumentException("--kinds must include rtkit: every figure is compared with it");
        }
        Path report = new Runner(kinds == null ? config : config.withKinds(kinds),
                scenarios == null ? Scenario.defaults(mode) : scenarios, out, logs, jfr).run();
        System.out.println("Report: " + report);
        System.exit(0);
    }

    /** {@code quick.md} for the mode's whole run; {@code quick-cluster-metrics.md} for a part of it. */
    String reportName() {
        return scenarios.equals(Scenario.defaults(requested.name())) ? requested.name()
                : requested.name() + "-" + Scenario.ids(scenarios).replace(',', '-');
    }

    Path run() throws Exception {
        Files.createDirectories(logs);
        String loadBefore = RunContext.loadAverage();
        Instant started = Instant.now();
        HttpClient client = new HttpClient();
        client.setMaxConnectionsPerDestination(1);
        client.start();
        HttpClient publishing = new HttpClient();
        publishing.setMaxConnectionsPerDestination(Scenarios.PUBLISHER_CONNECTIONS);
        publishing.start();
        Map<Kind, ServerProcess> servers = new EnumMap<>(Kind.class);
        List<String> missing = new ArrayList<>();
        List<AgentProcess> agents = new ArrayList<>();
        List<Runnable> kills = new CopyOnWriteArrayList<>();
        // A run stopped with a signal skips the finally below: no server, agent or Redis may outlive it.
        Thread reaper = new Thread(() -> {
            servers.values().forEach(ServerProcess::kill);
            agents.forEach(AgentProcess::kill);
            kills.forEach(Runnable::run);
        }, "bench-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        boolean compared = scenarios.stream().anyMatch(Scenario.COMPARED::contains);
        try {
            // The cluster and metrics scenarios compare rtkit with itself: the other servers only for the rest.
            for (Kind k : compared ? requested.kinds() : List.of(Kind.RTKIT)) {
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
            boolean ws = WebSocketCheck.available(client, servers.get(Kind.RTKIT), progress);
            if (!ws) {
                config = config.without(List.of(Transport.WEBSOCKET));
                progress.say("rtkit answers no WebSocket at /rt/ws yet: websocket rows are left out");
            }
            int needed = agentsNeeded(config, scenarios);
            for (int i = 0; i < needed; i++) {
                agents.add(AgentProcess.start(i, logs));
            }
            StringBuilder pids = new StringBuilder();
            servers.forEach((k, s) -> pids.append(pids.length() == 0 ? "" : ", ").append(k.label).append(" (pid ").append(s.pid())
                    .append(", Java ").append(s.java).append(')'));
            progress.say("%s run (%s): servers %s, %d load-generator JVM(s); load average %s", config.name(),
                    Scenario.ids(scenarios), pids, agents.size(), loadBefore);
            Report report = new Report(reportName());
            try (Scenarios driver = new Scenarios(config, agents, new Publisher(publishing, config.payloadBytes()), progress)) {
                RunContext run = new RunContext(config, driver, servers, agents, kills, progress, logs, jfr, client);
                if (compared) {
                    warm(run);
                }
                List<Scenario> order = scenarios.stream().sorted().toList();
                for (int i = 0; i < order.size(); i++) {
                    Table t = table(order.get(i), run);
                    if (t != null) {
                        report.add(t);
                    }
                    if (i < order.size() - 1) {
                        report.clearHeader();
                        report.line("- **partial report**: written after each scenario; this run had not finished when it was written");
                        RunHeader.write(report, run, scenarios, started, loadBefore, ws, missing);
                        report.write(out);
                    }
                }
                report.clearHeader();
                RunHeader.write(report, run, scenarios, started, loadBefore, ws, missing);
            }
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

    /** The scenario's table, or null when this mode gives it nothing to run. */
    private static Table table(Scenario s, RunContext run) throws Exception {
        Config c = run.config;
        return switch (s) {
            case STEADY -> DeliveryTable.steady(run);
            case THROUGHPUT -> c.loadTransports().isEmpty() ? null : DeliveryTable.throughput(run);
            case STALLED -> StalledTable.build(run);
            case IDLE -> c.idleTransports().isEmpty() ? null : IdleTable.build(run);
            case FANOUT -> c.fanoutTransports().isEmpty() ? null : FanoutTable.build(run);
            case CLUSTER -> ClusterScenario.build(run);
            case METRICS -> MetricsScenario.build(run);
        };
    }

    /** Load-generator JVMs for the most connections one of the chosen scenarios opens at once. */
    static int agentsNeeded(Config c, Set<Scenario> s) {
        int most = 1;
        if (s.contains(Scenario.STEADY) || s.contains(Scenario.CLUSTER)) {
            most = Math.max(most, c.steadySubscribers());
        }
        if (s.contains(Scenario.THROUGHPUT) || s.contains(Scenario.METRICS)) {
            most = Math.max(most, Math.max(c.loadSubscribers(), MetricsScenario.Plan.of(c).subscribers()));
        }
        if (s.contains(Scenario.STALLED)) {
            most = Math.max(most, StalledTable.subscribers(c) + 1);
        }
        if (s.contains(Scenario.IDLE)) {
            most = Math.max(most, c.idleConnections());
        }
        if (s.contains(Scenario.FANOUT)) {
            most = Math.max(most, c.fanoutSubscribers());
        }
        return Math.max(1, (most + c.perAgent() - 1) / c.perAgent());
    }

    /**
     * Before anything is measured, every server publishes to subscribers of every transport it serves, so no
     * server's measured window is also its JIT warm-up (the order suspicion of an earlier run). First at the steady
     * scenario's own shape (a thousand subscribers take code paths two hundred do not: a profile of an earlier run
     * found rtkit's C2 compiler at half its CPU in its second measured window), run after run until the server's
     * CPU stops falling (by less than 15 % from one run to the next, 2 to 6 runs), then once at the throughput rate.
     */
    private static void warm(RunContext run) {
        Config c = run.config;
        if (c.warmSeconds() <= 0) {
            return;
        }
        int few = Math.max(1, Math.min(200, c.steadySubscribers()));
        double fast = Math.max(c.steadyRate(), c.loadRate());
        for (Kind k : run.shuffled(run.servers.keySet())) {
            for (Transport t : c.steadyTransports()) {
                if (!k.serves(t)) {
                    continue;
                }
                ServerProcess server = run.servers.get(k);
                try {
                    JitWarmUp.untilSettled(2, 6, () -> {
                        double cores = run.scenarios.warm(server, t, c.steadySubscribers(), c.steadyRate(), c.warmSeconds());
                        run.progress.say("warm-up %s %s: %d subscribers, %s msg/s for %s s: %.2f cores", k.label,
                                t.wireName(), c.steadySubscribers(), Report.number(c.steadyRate(), 0),
                                Report.number(c.warmSeconds(), 1), cores);
                        return cores;
                    });
                    if (fast > c.steadyRate()) {
                        run.progress.say("warm-up %s %s: %d subscribers, %s msg/s for %s s", k.label, t.wireName(), few,
                                Report.number(fast, 0), Report.number(c.warmSeconds(), 1));
                        run.scenarios.warm(server, t, few, fast, c.warmSeconds());
                    }
                } catch (Exception e) {
                    run.progress.say("  warm-up failed: %s", e);
                }
            }
        }
    }
}
