package dev.rtkit.bench.run;

import dev.rtkit.bench.load.Transport;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Issue 12's cluster: two rtkit nodes, each in its own JVM, sharing topics through one redis-server (the init-param
 * {@code log=redis://…}, rtkit-redis on Lettuce), beside the run's in-memory rtkit node under the same load.
 * Subscribers are split over both nodes and every message is published on node A, so node A's subscribers are
 * served "same node" and node B's "cross-node" (A → Redis → B). Deliveries per server CPU-second count both nodes and
 * Redis. Then {@link PublishRamp} finds how many publishes per second one node sustains.
 */
final class ClusterScenario {
    private ClusterScenario() {
    }

    /**
     * @param subscribers     subscribers on the topic, half on each node (the single node holds them all)
     * @param rate            messages per second, published on node A
     * @param repeats         windows per set-up, the set-ups alternating
     * @param rampRates       publish rates the ramp tries in turn, up to the first it does not sustain
     * @param rampWarmSeconds publishing at a step's rate before it is measured
     * @param rampSeconds     a step's measured window
     */
    record Plan(int subscribers, double rate, int repeats, List<Double> rampRates, double rampWarmSeconds, double rampSeconds) {
        static Plan of(Config c) {
            return switch (c.name()) {
                case "smoke" -> new Plan(c.steadySubscribers(), c.steadyRate(), 1, List.of(500.0, 1_000.0), 0.3, 0.7);
                case "full" -> new Plan(c.steadySubscribers(), c.steadyRate(), c.repeats(),
                        List.of(1_000.0, 2_500.0, 5_000.0, 7_500.0, 10_000.0, 12_500.0, 15_000.0, 20_000.0), 1, 4);
                default -> new Plan(c.steadySubscribers(), c.steadyRate(), Math.max(1, c.repeats()),
                        List.of(1_000.0, 2_500.0, 5_000.0, 10_000.0, 15_000.0), 1, 2);
            };
        }
    }

    /** One measured window of the cluster: node A's subscribers (same node), node B's (cross-node), CPU of each part. */
    record Window(long published, long expected, Scenarios.Tally same, Scenarios.Tally cross, double cpuA, double cpuB,
            double cpuRedis, double wallSeconds, double slowestFsyncMillis) {
        long deliveries() {
            return same.deliveries() + cross.deliveries();
        }

        double cpuSeconds() {
            return cpuA + cpuB + cpuRedis;
        }

        double perCpuSecond() {
            return deliveries() / cpuSeconds();
        }

        double deliveredRatio() {
            return expected == 0 ? Double.NaN : (double) deliveries() / expected;
        }
    }

    static Table build(RunContext run) {
        Config c = run.config;
        Plan plan = Plan.of(c);
        Transport t = c.steadyTransports().contains(Transport.WEBSOCKET) ? Transport.WEBSOCKET : Transport.SSE;
        ClusterNodes nodes = null;
        Exception failure = null;
        try {
            nodes = ClusterNodes.start(run);
        } catch (Exception e) {
            run.progress.say("cluster: could not start: %s", e);
            failure = e;
        }
        Table table = new Table("cluster", "Cluster: 2 rtkit nodes on one Redis, " + String.format("%,d", plan.subscribers())
                + " " + t.wireName() + " subscribers split over both, " + Report.number(plan.rate(), 0) + " msg/s published on one",
                description(c, plan, t, nodes));
        table.rtkitHeader = "2 nodes + Redis";
        table.baselineHeader = "1 node, in memory";
        table.ratioHeader = "cluster ÷ single";
        if (nodes == null) {
            table.notes.add("**cluster failed:** `" + failure + "`");
            return table;
        }
        try (ClusterNodes n = nodes) {
            measure(run, table, plan, t, n);
            RampRows.add(run, table, plan, t, n);
        } catch (Exception e) {
            run.progress.say("  cluster failed: %s", e);
            table.notes.add("**cluster failed:** `" + e + "`");
        }
        return table;
    }

    private static String description(Config c, Plan plan, Transport t, ClusterNodes nodes) {
        String redis = nodes == null ? "redis-server" : "redis-server " + nodes.redis.version + " (started by the bench on a "
                + "free port, " + String.join(", ", RedisProcess.settings(nodes.redis)) + ")";
        return "Nodes A and B: rtkit in JVMs of their own like the other servers, with the init-param "
                + "`log=redis://127.0.0.1:<port>` (rtkit-redis, Lettuce) on one " + redis + ". " + String.format("%,d", plan.subscribers())
                + " " + t.wireName() + " subscribers on one topic, half on A and half on B; the open-loop publisher posts to A at "
                + Report.number(plan.rate(), 0) + " msg/s = " + Report.number(plan.rate() * plan.subscribers(), 0) + " deliveries/s. "
                + "*Same node*: A's subscribers; *cross-node*: B's (published on A, appended to Redis, fanned out to B by "
                + "pub/sub). Beside it the run's in-memory rtkit node with all the subscribers and the same load. "
                + c.warmupSeconds() + " s warm-up, then " + c.measureSeconds() + " s measured; " + plan.repeats()
                + (plan.repeats() == 1 ? " window per set-up" : " windows per set-up, alternating (median ± half the range)")
                + ", after one unmeasured cluster window. Server CPU: nodes A and B (their `ProcessCpuTime` less their JIT compiler threads') plus "
                + "redis-server (`/proc/<pid>/stat` utime + stime); the single node's own. Ratio: cluster ÷ single node.";
    }

    private static void measure(RunContext run, Table table, Plan plan, Transport t, ClusterNodes nodes) throws Exception {
        Config c = run.config;
        ServerProcess single = run.servers.get(Kind.RTKIT);
        if (c.warmSeconds() > 0) {
            run.progress.say("cluster warm-up: one unmeasured window, and the in-memory node for %s s", Report.number(c.warmSeconds(), 1));
            window(run, nodes, t, plan);
            run.scenarios.warm(single, t, Math.min(200, plan.subscribers()), plan.rate(), c.warmSeconds());
        }
        List<Window> cluster = new ArrayList<>();
        List<Measurements.Delivery> alone = new ArrayList<>();
        boolean clusterFirst = run.coin();
        for (int rep = 0; rep < plan.repeats(); rep++) {
            String of = plan.repeats() > 1 ? " (" + (rep + 1) + "/" + plan.repeats() + ")" : "";
            for (boolean isCluster : clusterFirst == (rep % 2 == 0) ? new boolean[] {true, false} : new boolean[] {false, true}) {
                try {
                    if (isCluster) {
                        run.progress.say("cluster %s 2 nodes + Redis%s: %,d subscribers, %s msg/s on node A", t.wireName(), of,
                                plan.subscribers(), Report.number(plan.rate(), 0));
                        Window w = window(run, nodes, t, plan);
                        cluster.add(w);
                        double load = run.recordLoad();
                        run.progress.say("  %,.0f deliveries/CPU-s (A %.2f + B %.2f + Redis %.2f cores), same node p50 %.2f p99 %.2f ms, "
                                        + "cross-node p50 %.2f p99 %.2f ms, %.1f%% delivered, slowest fsync %.0f ms; load %.2f", w.perCpuSecond(),
                                w.cpuA() / w.wallSeconds(), w.cpuB() / w.wallSeconds(), w.cpuRedis() / w.wallSeconds(),
                                w.same().percentileMillis(50), w.same().percentileMillis(99), w.cross().percentileMillis(50),
                                w.cross().percentileMillis(99), 100 * w.deliveredRatio(), w.slowestFsyncMillis(), load);
                    } else {
                        run.progress.say("cluster %s 1 node in memory%s: %,d subscribers, %s msg/s", t.wireName(), of,
                                plan.subscribers(), Report.number(plan.rate(), 0));
                        Measurements.Delivery d = run.scenarios.delivery(single, t, plan.subscribers(), plan.rate());
                        alone.add(d);
                        DeliveryTable.say(run, d);
                    }
                } catch (Exception e) {
                    run.progress.say("  failed: %s", e);
                    table.notes.add("**" + (isCluster ? "cluster" : "single node") + " window failed:** `" + e + "`");
                }
            }
        }
        String n = t.wireName();
        table.row(n, "deliveries / server CPU-s", both(cluster, Window::perCpuSecond, alone, Measurements.Delivery::perCpuSecond), 0);
        table.row(n, "server CPU used (cores)", both(cluster, w -> w.cpuSeconds() / w.wallSeconds(), alone,
                Measurements.Delivery::cores), 2);
        table.row(n, "node A CPU (cores)", Figures.pair(cluster, null, w -> w.cpuA() / w.wallSeconds()), 2);
        table.row(n, "node B CPU (cores)", Figures.pair(cluster, null, w -> w.cpuB() / w.wallSeconds()), 2);
        table.row(n, "Redis CPU (cores)", Figures.pair(cluster, null, w -> w.cpuRedis() / w.wallSeconds()), 2);
        table.row(n, "Redis's slowest AOF fsync (ms)", Figures.pair(cluster, null, Window::slowestFsyncMillis), 0);
        table.row(n, "latency p50, same node (ms)", both(cluster, w -> w.same().percentileMillis(50), alone,
                d -> d.percentileMillis(50)), 2);
        table.row(n, "latency p99, same node (ms)", both(cluster, w -> w.same().percentileMillis(99), alone,
                d -> d.percentileMillis(99)), 2);
        table.row(n, "latency p50, cross-node (ms)", both(cluster, w -> w.cross().percentileMillis(50), alone,
                d -> d.percentileMillis(50)), 2);
        Goal[] p99 = plan.rate() * plan.subscribers() >= 10_000
                ? new Goal[] {Goal.ratioAtMost(2, "≤ 2× single node at 10,000 deliveries/s")} : new Goal[0];
        table.row(n, "latency p99, cross-node (ms)", both(cluster, w -> w.cross().percentileMillis(99), alone,
                d -> d.percentileMillis(99)), 2, p99);
        table.row(n, "delivered (% of expected)", both(cluster, w -> 100 * w.deliveredRatio(), alone,
                d -> 100 * d.deliveredRatio()), 1);
        table.chart("cluster-latency", "Latency, ms: 2 nodes + Redis beside 1 node in memory", List.of(
                "latency p50, same node (ms)", "latency p99, same node (ms)", "latency p50, cross-node (ms)",
                "latency p99, cross-node (ms)"));
        table.notes.add("The single node's latency is its subscribers' (all on it): it stands beside both the same-node and "
                + "the cross-node figure. A node serves a topic's subscribers from its own cache of recent messages; only "
                + "its first use of the topic reads Redis (before the window). Redis's slowest AOF fsync: the largest "
                + "`aof-*` event of its latency monitor (`LATENCY LATEST`, events of 1 ms or more) in the window; "
                + ("always".equals(nodes.redis.fsync) ? "with `appendfsync always` Redis answers nothing of an event-loop "
                + "pass before that pass's fsync ends, so a publish, and every delivery of it, waits for it."
                : "with `appendfsync " + nodes.redis.fsync + "` (Redis's recommended default; `-Dbench.redisFsync=always` "
                + "for the README's \"nothing acknowledged is lost\") a background thread fsyncs once a second and no "
                + "command waits for the disk unless that fsync lags by more than 2 s."));
    }

    /** The cluster figure in the first column, the single node's in the second. */
    private static Map<Kind, Cell> both(List<Window> cluster, Figures.Of<Window> f, List<Measurements.Delivery> alone,
            Figures.Of<Measurements.Delivery> g) {
        Map<Kind, Cell> cells = Figures.pair(cluster, null, f);
        Cell s = Cell.of(Figures.values(alone, g));
        if (s != null) {
            cells.put(Kind.BASELINE, s);
        }
        return cells;
    }

    /** One cluster window: subscribers on both nodes, publishes on A, CPU of A, B and Redis over the window. */
    static Window window(RunContext run, ClusterNodes nodes, Transport t, Plan plan) throws Exception {
        Config c = run.config;
        Scenarios s = run.scenarios;
        String topic = s.nextTopic("c", t);
        int onA = (plan.subscribers() + 1) / 2;
        return across(run, nodes, t, topic, onA, plan.subscribers() - onA, (a, b, used) -> {
            s.publisher().run(nodes.a.publishUrl(topic), plan.rate(), c.warmupSeconds(), 0);
            long w = s.nextWindow();
            s.window(used, w);
            ServerProcess.Stats a0 = nodes.a.stats(false);
            ServerProcess.Stats b0 = nodes.b.stats(false);
            double r0 = nodes.redis.cpuSeconds();
            nodes.redis.resetLatency();
            long t0 = System.nanoTime();
            Publisher.Outcome out = s.publisher().run(nodes.a.publishUrl(topic), plan.rate(), c.measureSeconds(), w);
            if (out.accepted() == 0) {
                throw new java.io.IOException("none of the " + out.sent() + " publishes to node A was answered 202 ("
                        + out.failed() + " failed)");
            }
            long expected = out.accepted() * (a.ready() + b.ready());
            s.awaitDeliveries(used, expected, 5_000);
            ServerProcess.Stats a1 = nodes.a.stats(false);
            ServerProcess.Stats b1 = nodes.b.stats(false);
            double r1 = nodes.redis.cpuSeconds();
            long t1 = System.nanoTime();
            return new Window(out.accepted(), expected, s.tally(a), s.tally(b), (a1.cpuNanos() - a0.cpuNanos()) / 1e9,
                    (b1.cpuNanos() - b0.cpuNanos()) / 1e9, r1 - r0, (t1 - t0) / 1e9, nodes.redis.slowestFsyncMillis());
        });
    }

    interface Across<T> {
        T run(Scenarios.Opened onA, Scenarios.Opened onB, List<AgentProcess> used) throws Exception;
    }

    /** Opens {@code onA} subscribers on node A and {@code onB} on node B to one topic, runs {@code body}, closes them. */
    static <T> T across(RunContext run, ClusterNodes nodes, Transport t, String topic, int onA, int onB, Across<T> body) throws Exception {
        Scenarios s = run.scenarios;
        long beforeA = nodes.a.stats(false).connections();
        long beforeB = nodes.b.stats(false).connections();
        Scenarios.Opened a = s.open(nodes.a, t, topic, onA, 60_000);
        Scenarios.Opened b = null;
        try {
            b = s.open(nodes.b, t, topic, onB, 60_000);
            Set<AgentProcess> used = new LinkedHashSet<>(a.agents());
            used.addAll(b.agents());
            return body.run(a, b, List.copyOf(used));
        } finally {
            s.close(nodes.a, a, topic, beforeA);
            if (b != null) {
                s.close(nodes.b, b, topic, beforeB);
            }
        }
    }
}
