package dev.rtkit.bench.run;

import dev.rtkit.bench.load.Transport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Issue 14's cost of metrics: the throughput load on two fresh rtkit servers started for this scenario, one with
 * metrics off and one recording into a Prometheus registry (as an operator runs it), measured in pairs whose order
 * alternates, so drift in the machine's load falls on both alike. The goal: on within 5 % of off. Both servers are
 * recorded with Flight Recorder, so the cost is also read from the "on" server alone: the share of its CPU samples
 * inside Micrometer or rtkit's metrics code, a figure the machine's drift does not move.
 */
final class MetricsScenario {
    private static final String ON = "rtkit-metrics-on";
    private static final String SHARE = "CPU samples in metrics code, \"on\" server (%)";
    /** Where the "on" server's metrics work happens: Micrometer itself and rtkit's calls into it. */
    private static final List<String> METRICS_CODE = List.of("io.micrometer.", "dev.rtkit.internal.metrics.");

    private MetricsScenario() {
    }

    /**
     * @param transports  transports measured
     * @param subscribers subscribers on the one topic
     * @param rate        messages per second
     * @param repeats     pairs of windows (off and on) per transport
     */
    record Plan(List<Transport> transports, int subscribers, double rate, int repeats) {
        static Plan of(Config c) {
            return switch (c.name()) {
                case "smoke" -> new Plan(List.of(Transport.SSE), c.steadySubscribers(), c.steadyRate(), 3);
                case "full" -> new Plan(c.loadTransports(), c.loadSubscribers(), c.loadRate(), 5);
                default -> c.loadTransports().isEmpty()
                        ? new Plan(List.of(Transport.WEBSOCKET), 500, 100, 3)
                        : new Plan(c.loadTransports(), c.loadSubscribers(), c.loadRate(), 3);
            };
        }
    }

    static Table build(RunContext run) {
        Map<Transport, List<Instant[]>> onWindows = new EnumMap<>(Transport.class);
        Config c = run.config;
        Plan plan = Plan.of(c);
        List<Transport> transports = plan.transports().stream().filter(x -> x != Transport.WEBSOCKET
                || c.steadyTransports().contains(Transport.WEBSOCKET)).toList();
        Table table = new Table("metrics", "Metrics cost: " + String.format("%,d", plan.subscribers()) + " subscribers, "
                + Report.number(plan.rate(), 0) + " msg/s, metrics on and off",
                "The throughput load (" + Report.number(plan.rate() * plan.subscribers(), 0) + " deliveries/s, "
                        + c.warmupSeconds() + " s warm-up, " + c.measureSeconds() + " s measured) on two rtkit servers started "
                        + "for this scenario and warmed alike: one with `metrics=off`, one recording every meter into a "
                        + "`PrometheusMeterRegistry` (`-Drtkit.bench.metrics=on`; nobody scrapes it during the window). "
                        + plan.repeats() + " pairs per transport, the order within a pair alternating (off first, then on "
                        + "first, …); median ± half the range. *on ÷ off per pair*: each pair's ratio, then their median, "
                        + "less moved by the machine's drift than the ratio of the medians.");
        table.rtkitHeader = "metrics on";
        table.baselineHeader = "metrics off";
        table.ratioHeader = "on ÷ off";
        ServerProcess off;
        ServerProcess on;
        try {
            // A recording left by an earlier run must not be read as this one's.
            Files.deleteIfExists(run.logs.resolve(ON + ".jfr"));
            List<ServerProcess> both = ServerProcess.all(List.of(
                    ServerProcess.startAsync(Kind.RTKIT, "rtkit-metrics-off", false, List.of(), run.logs, true, run.client),
                    ServerProcess.startAsync(Kind.RTKIT, ON, true, List.of(), run.logs, true, run.client)));
            off = both.get(0);
            on = both.get(1);
        } catch (Exception e) {
            run.progress.say("metrics: could not start the servers: %s", e);
            table.notes.add("**metrics failed:** `" + e + "`");
            return table;
        }
        List<Runnable> kills = List.of(off::kill, on::kill);
        run.kills.addAll(kills);
        try {
            measure(run, table, plan, transports, off, on, onWindows);
        } catch (Exception e) {
            run.progress.say("  metrics failed: %s", e);
            table.notes.add("**metrics failed:** `" + e + "`");
        } finally {
            for (ServerProcess s : List.of(off, on)) {
                try {
                    s.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            run.kills.removeAll(kills);
        }
        share(run, table, onWindows);
        return table;
    }

    /**
     * Once the "on" server has stopped and written its recording: the share of its samples in metrics code while it
     * carried each transport's load, and over its whole run.
     */
    private static void share(RunContext run, Table table, Map<Transport, List<Instant[]>> onWindows) {
        Path recording = run.logs.resolve(ON + ".jfr");
        try {
            SampleShare.Samples samples = SampleShare.Samples.read(recording, METRICS_CODE);
            List<String> shares = new ArrayList<>();
            for (Map.Entry<Transport, List<Instant[]>> w : onWindows.entrySet()) {
                SampleShare s = samples.share(w.getValue());
                table.row(w.getKey().wireName(), SHARE, s.percent(), null, 2, Goal.atMost(5, "≤ 5 %"));
                shares.add(w.getKey().wireName() + " " + s.inside() + " of " + s.samples());
            }
            SampleShare all = samples.share();
            run.progress.say("metrics: %d of the \"on\" server's %d CPU samples in metrics code (%s)", all.inside(),
                    all.samples(), String.join(", ", shares));
            table.row("all", SHARE + ", whole run", all.percent(), null, 2, Goal.atMost(5, "≤ 5 %"));
            table.notes.add("CPU samples in metrics code: of the \"on\" server's Flight Recorder execution samples, those "
                    + "with a frame of `io.micrometer` or `dev.rtkit.internal.metrics` on the stack, while it carried each "
                    + "transport's windows (" + String.join("; ", shares) + ") and over its whole run (" + all.inside()
                    + " of " + all.samples() + "). Kernel time (socket writes) is not sampled, so this bounds metrics' share "
                    + "of that server's CPU from above; both servers carry the same recorder.");
        } catch (Exception e) {
            run.progress.say("metrics: no CPU samples read: %s", e);
            table.notes.add("**metrics samples not read:** `" + e + "`");
        }
    }

    private static void measure(RunContext run, Table table, Plan plan, List<Transport> transports, ServerProcess off,
            ServerProcess on, Map<Transport, List<Instant[]>> onWindows) throws Exception {
        Config c = run.config;
        double warm = Math.max(1, c.warmSeconds());
        for (Transport t : transports) {
            for (ServerProcess s : run.coin() ? List.of(off, on) : List.of(on, off)) {
                run.progress.say("metrics warm-up %s %s: %s s", s.name, t.wireName(), Report.number(warm, 1));
                run.scenarios.warm(s, t, Math.min(200, plan.subscribers()), plan.rate(), warm);
            }
        }
        check(run, table, off, on);
        List<String> figures = new ArrayList<>();
        for (Transport t : transports) {
            Map<Kind, List<Measurements.Delivery>> m = new EnumMap<>(Kind.class);
            List<Double> pairs = new ArrayList<>();
            for (int rep = 0; rep < plan.repeats(); rep++) {
                Measurements.Delivery[] pair = new Measurements.Delivery[2];
                for (int i : rep % 2 == 0 ? new int[] {0, 1} : new int[] {1, 0}) {
                    ServerProcess s = i == 0 ? off : on;
                    run.progress.say("metrics %s %s (%d/%d): %,d subscribers, %s msg/s", t.wireName(), s.name, rep + 1,
                            plan.repeats(), plan.subscribers(), Report.number(plan.rate(), 0));
                    Instant from = Instant.now();
                    try {
                        pair[i] = run.scenarios.delivery(s, t, plan.subscribers(), plan.rate());
                        if (s == on) {
                            onWindows.computeIfAbsent(t, k -> new ArrayList<>()).add(new Instant[] {from, Instant.now()});
                        }
                        m.computeIfAbsent(i == 0 ? Kind.BASELINE : Kind.RTKIT, k -> new ArrayList<>()).add(pair[i]);
                        DeliveryTable.say(run, pair[i]);
                    } catch (Exception e) {
                        run.progress.say("  failed: %s", e);
                        table.notes.add("**" + t.wireName() + " with metrics " + (i == 0 ? "off" : "on") + " failed:** `" + e + "`");
                    }
                }
                if (pair[0] != null && pair[1] != null) {
                    pairs.add(pair[1].perCpuSecond() / pair[0].perCpuSecond());
                }
            }
            String n = t.wireName();
            table.row(n, "deliveries / server CPU-s", Figures.cells(m, Measurements.Delivery::perCpuSecond), 0);
            Map<Kind, Cell> ratio = new EnumMap<>(Kind.class);
            Cell r = Cell.of(pairs);
            if (r != null) {
                ratio.put(Kind.RTKIT, r);
            }
            table.row(n, "on ÷ off per pair, deliveries / CPU-s", ratio, 3, Goal.atLeast(0.95, "within 5 % (≥ 0.95)"));
            table.row(n, "server CPU used (cores)", Figures.cells(m, Measurements.Delivery::cores), 2);
            table.row(n, "latency p50 (ms)", Figures.cells(m, d -> d.percentileMillis(50)), 2);
            table.row(n, "latency p99 (ms)", Figures.cells(m, d -> d.percentileMillis(99)), 2);
            table.row(n, "delivered (% of expected)", Figures.cells(m, d -> 100 * d.deliveredRatio()), 1);
            figures.add(n + ": " + pairs.stream().map(x -> Report.number(x, 3)).toList());
        }
        table.chart("metrics-efficiency", "Deliveries per server CPU-second, metrics on and off", "deliveries / server CPU-s");
        table.notes.add("Per-pair ratios on ÷ off, in order: " + String.join("; ", figures) + ". The spread between "
                + "windows on this shared machine is often wider than 5 %: read the goal against the spread.");
    }

    /** The "on" server must really hold rtkit's meters and the "off" one none, or the comparison means nothing. */
    private static void check(RunContext run, Table table, ServerProcess off, ServerProcess on) throws Exception {
        long metersOn = on.stats(false).meters();
        long metersOff = off.stats(false).meters();
        run.progress.say("metrics: %d meters in the \"on\" server's registry, %d in the \"off\" one's", metersOn, metersOff);
        if (metersOn == 0 || metersOff != 0) {
            table.notes.add("**metrics check failed:** the \"on\" server's registry holds " + metersOn + " meters and the "
                    + "\"off\" one's " + metersOff + ": the comparison below may not be of metrics on and off");
        } else {
            table.notes.add("Checked after the warm-up: the \"on\" server's registry held " + metersOn + " meters, the \"off\" "
                    + "server has none.");
        }
    }
}
