package dev.rtkit.bench.run;

import dev.rtkit.bench.load.Transport;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The steady and throughput scenarios: subscribers on one topic, an open-loop publisher, every server. */
final class DeliveryTable {
    static final String PER_REQUEST = "server CPU per HTTP request (µs)";

    private DeliveryTable() {
    }

    static Table steady(RunContext run) throws Exception {
        Config c = run.config;
        return build(run, "steady", c.steadyTransports(), c.steadySubscribers(), c.steadyRate(), false);
    }

    static Table throughput(RunContext run) throws Exception {
        Config c = run.config;
        return build(run, "throughput", c.loadTransports(), c.loadSubscribers(), c.loadRate(), true);
    }

    private static Table build(RunContext run, String id, List<Transport> transports, int subscribers, double rate,
            boolean efficiencyGoals) throws Exception {
        Config c = run.config;
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
            List<Kind> kinds = run.servers.keySet().stream().filter(k -> k.serves(tr)).toList();
            Map<Kind, List<Measurements.Delivery>> m = new EnumMap<>(Kind.class);
            Set<Kind> failedOnce = EnumSet.noneOf(Kind.class);
            for (int rep = 0; rep < c.repeats(); rep++) {
                for (Kind k : run.shuffled(kinds)) {
                    run.progress.say("%s %s %s%s: %,d subscribers, %s msg/s", id, tr.wireName(), k.label,
                            c.repeats() > 1 ? " (" + (rep + 1) + "/" + c.repeats() + ")" : "", subscribers, Report.number(rate, 0));
                    try {
                        Measurements.Delivery d = run.scenarios.delivery(run.servers.get(k), tr, subscribers, rate);
                        m.computeIfAbsent(k, x -> new ArrayList<>()).add(d);
                        say(run, d);
                    } catch (Exception e) {
                        run.progress.say("  failed: %s", e);
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
            Goal[] p50 = tr == Transport.LONGPOLL && rate * subscribers <= 10_000 ? new Goal[] {Goal.atMost(5, "≤ 5 ms")} : new Goal[0];
            rows(t, n, m, eff.toArray(new Goal[0]), p50);
        }
        if (efficiencyGoals && all.containsKey(Transport.WEBSOCKET) && all.containsKey(Transport.SSE)) {
            Map<Kind, Cell> q = new EnumMap<>(Kind.class);
            for (Kind k : List.of(Kind.RTKIT, Kind.BASELINE)) {
                Cell w = Cell.of(Figures.values(all.get(Transport.WEBSOCKET).get(k), Measurements.Delivery::perCpuSecond));
                Cell s = Cell.of(Figures.values(all.get(Transport.SSE).get(k), Measurements.Delivery::perCpuSecond));
                if (w != null && s != null) {
                    q.put(k, Cell.of(s.median() / w.median()));
                }
            }
            t.row("sse ÷ websocket", "deliveries / server CPU-s", q, 2, Goal.atLeast(0.8, "≥ 0.8"));
        }
        t.chart(id + "-efficiency", "Deliveries per server CPU-second (" + id + ")", "deliveries / server CPU-s");
        t.chart(id + "-latency-p99", "Latency p99, ms (" + id + ")", "latency p99 (ms)");
        t.notes.add("Server CPU: the process's CPU time in the window without its JIT compiler threads' (HotSpot's C1/C2"
                + " CompilerThreads, from /proc/<pid>/task/*/schedstat), the same for every server: compiling goes on in the"
                + " background for minutes after start, a one-off cost that took up to a third of a server's CPU in a"
                + " seconds-long window and moved the ratios by as much. The row above shows what was left out.");
        t.notes.add("Bytes out: everything the server process wrote to sockets in the window (`/proc/<pid>/io` wchar: "
                + "headers, framing and publish answers included) per delivery. HTTP requests: requests the subscribers "
                + "sent in the window per delivery (publishes not counted; a CometD long-poll subscriber's handshake and "
                + "subscribe happen before the window).");
        return t;
    }

    /** The figures of one transport's delivery windows, a column per server (or per set-up). */
    static void rows(Table t, String n, Map<Kind, List<Measurements.Delivery>> m, Goal[] efficiency, Goal[] p50) {
        t.row(n, "deliveries / server CPU-s", Figures.cells(m, Measurements.Delivery::perCpuSecond), 0, efficiency);
        t.row(n, "server CPU used (cores)", Figures.cells(m, Measurements.Delivery::cores), 2);
        t.row(n, "JIT compiler, not counted (% of CPU)", Figures.cells(m, Measurements.Delivery::compilerPercent), 1);
        t.row(n, "latency p50 (ms)", Figures.cells(m, d -> d.percentileMillis(50)), 2, p50);
        t.row(n, "latency p99 (ms)", Figures.cells(m, d -> d.percentileMillis(99)), 2);
        t.row(n, "latency p99.9 (ms)", Figures.cells(m, d -> d.percentileMillis(99.9)), 2);
        t.row(n, "bytes out / delivery", Figures.cells(m, Measurements.Delivery::bytesPerDelivery), 0);
        t.row(n, "HTTP requests / delivery", Figures.cells(m, Measurements.Delivery::requestsPerDelivery), 3);
        if (n.equals("longpoll") || n.equals("poll")) {
            // Deliveries per CPU-second fall when latency does (fewer messages wait for each request): per request too.
            t.row(n, PER_REQUEST, Figures.cells(m, Measurements.Delivery::cpuMicrosPerRequest), 1);
        }
        t.row(n, "delivered (% of expected)", Figures.cells(m, d -> 100 * d.deliveredRatio()), 1);
    }

    static void say(RunContext run, Measurements.Delivery d) {
        double load = run.recordLoad();
        run.progress.say("  %,.0f deliveries/CPU-s (%.2f cores, JIT %.1f%% not counted), p50 %.2f ms, p99 %.2f ms,"
                        + " %.1f B/delivery, %.1f%% delivered; load %.2f", d.perCpuSecond(), d.cores(), d.compilerPercent(),
                d.percentileMillis(50), d.percentileMillis(99), d.bytesPerDelivery(), 100 * d.deliveredRatio(), load);
    }
}
