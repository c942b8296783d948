package dev.rtkit.bench.run;

import dev.rtkit.bench.load.Transport;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.client.HttpClient;

/**
 * How many publishes per second one node sustains: an open-loop publisher posts to the node at rising rates, with
 * two subscribers (on a cluster one on each node), until a step is not sustained. Each step's CPU of the node, the
 * other node, Redis, the publisher (this JVM), the agents and the whole machine says what limited it. Run over
 * HTTP ({@code POST …/publish}) and over WebSocket publish frames, on the cluster and on the in-memory node.
 */
final class PublishRamp {
    /** HTTP publisher connections: a publish waits for Redis's (fsync'd) append, so many must be in flight at once. */
    static final int HTTP_CONNECTIONS = 64;
    /**
     * WebSocket publisher connections ({@code -Dbench.wsPublishConnections=…}). On the Redis log a connection's
     * publishes were acknowledged at a rate that followed the number of connections (4: under 2,500/s; 32: 7,000/s,
     * node A's CPU then the limit), while 4 reach 15,000/s in memory: 32, so the publisher is not what limits.
     */
    static final int WEBSOCKET_CONNECTIONS = Integer.getInteger("bench.wsPublishConnections", 32);
    /** A step whose receipts lag more than this behind their due time is building a queue, not keeping up. */
    static final double MAX_P99_MILLIS = 1_000;
    private static final double WARM_RUN_SECONDS = 4;

    private PublishRamp() {
    }

    enum Via {
        HTTP("HTTP POST (" + HTTP_CONNECTIONS + " connections)"),
        WEBSOCKET("WebSocket publish frames (" + WEBSOCKET_CONNECTIONS + " connections)");

        final String label;

        Via(String label) {
            this.label = label;
        }
    }

    /** Where the ramp publishes: {@code node}; {@code other} (the second node) and {@code redis} are null in memory. */
    record Setup(String label, ServerProcess node, ServerProcess other, RedisProcess redis) {
    }

    /** One rate: what was sent, answered and received, and where the CPU went (cores = CPU seconds / wall seconds). */
    record Step(double target, long sent, long accepted, long failed, double acceptedPerSecond, double deliveredRatio,
            double p99, double coresNode, double coresOther, double coresRedis, double coresPublisher,
            double coresAgents, double machineBusy, double slowestFsyncMillis) {

        boolean sustained() {
            return failed == 0 && accepted == sent && acceptedPerSecond >= 0.95 * target && deliveredRatio >= 0.99
                    && p99 <= MAX_P99_MILLIS;
        }

        /** Why a step was not sustained, in a few words. */
        String shortfall() {
            List<String> why = new ArrayList<>();
            if (failed > 0 || accepted < sent) {
                why.add(String.format(Locale.ROOT, "%,d of %,d publishes not acknowledged", sent - accepted, sent));
            }
            if (acceptedPerSecond < 0.95 * target) {
                why.add(String.format(Locale.ROOT, "acknowledged %,.0f/s", acceptedPerSecond));
            }
            if (deliveredRatio < 0.99) {
                why.add(String.format(Locale.ROOT, "%.1f%% delivered", 100 * deliveredRatio));
            }
            if (!(p99 <= MAX_P99_MILLIS)) {
                why.add(String.format(Locale.ROOT, "p99 %,.0f ms", p99));
            }
            return String.join(", ", why);
        }
    }

    record Result(Setup setup, Via via, List<Step> steps) {
        /** The highest rate sustained, 0 when none was. */
        double sustained() {
            return steps.stream().filter(Step::sustained).mapToDouble(Step::target).max().orElse(0);
        }

        double mostAcknowledged() {
            return steps.stream().mapToDouble(Step::acceptedPerSecond).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
        }

        /** A markdown table of the steps. */
        String table() {
            boolean cluster = setup.redis() != null;
            StringBuilder md = new StringBuilder("*" + setup.label() + ", " + via.label + ":*\n\n| rate (msg/s) | acknowledged / s "
                    + "| delivered | p99 (ms) | " + (cluster ? "node A | node A µs CPU / publish | node B | Redis | slowest fsync (ms)"
                    : "node | node µs CPU / publish")
                    + " | publisher | agents | machine busy | sustained |\n|---:|---:|---:|---:|" + (cluster ? "---:|---:|---:|---:|---:|" : "---:|---:|")
                    + "---:|---:|---:|---|\n");
            for (Step s : steps) {
                md.append(String.format(Locale.ROOT, "| %,.0f | %,.0f | %.1f%% | %,.1f | %.2f | %,.0f |", s.target(),
                        s.acceptedPerSecond(), 100 * s.deliveredRatio(), s.p99(), s.coresNode(),
                        1e6 * s.coresNode() / s.acceptedPerSecond()));
                if (cluster) {
                    md.append(String.format(Locale.ROOT, " %.2f | %.2f | %,.0f |", s.coresOther(), s.coresRedis(),
                            s.slowestFsyncMillis()));
                }
                md.append(String.format(Locale.ROOT, " %.2f | %.2f | %.0f%% | %s |%n", s.coresPublisher(), s.coresAgents(),
                        100 * s.machineBusy(), s.sustained() ? "yes" : "no: " + s.shortfall()));
            }
            return md.toString().trim();
        }

        /** The first step not sustained (else the last) and which part of the machine ran out. */
        String limit() {
            if (steps.isEmpty()) {
                return "no step ran";
            }
            Step s = steps.stream().filter(x -> !x.sustained()).findFirst().orElse(null);
            if (s == null) {
                Step top = steps.get(steps.size() - 1);
                return String.format(Locale.ROOT, "nothing within the ramp: every rate up to %,.0f msg/s was sustained "
                        + "(there the node used %.2f cores%s, the publisher %.2f; machine %.0f%% busy)", top.target(),
                        top.coresNode(), Double.isNaN(top.coresRedis()) ? "" : String.format(Locale.ROOT, ", Redis %.2f",
                                top.coresRedis()), top.coresPublisher(), 100 * top.machineBusy());
            }
            int cores = Runtime.getRuntime().availableProcessors();
            String[] names = {setup.redis() == null ? "the node" : "node A", "node B", "Redis", "the publisher (runner JVM)",
                "the agents"};
            double[] used = {s.coresNode(), s.coresOther(), s.coresRedis(), s.coresPublisher(), s.coresAgents()};
            int top = 0;
            double ours = 0;
            for (int i = 0; i < used.length; i++) {
                ours += Double.isNaN(used[i]) ? 0 : used[i];
                if (used[i] > used[top]) {
                    top = i;
                }
            }
            String figures = String.format(Locale.ROOT, "at %,.0f msg/s (%s) the bench's processes used %.2f of the "
                    + "machine's %d cores, the most %s with %.2f; the machine was %.0f%% busy", s.target(), s.shortfall(),
                    ours, cores, names[top], used[top], 100 * s.machineBusy());
            RedisProcess redis = setup.redis();
            String fsync = redis == null || !"always".equals(redis.fsync) ? "" : String.format(Locale.ROOT, "; and every "
                    + "publish waits for Redis to fsync its AOF (`appendfsync always`: once per pass of its event loop, "
                    + "before it answers that pass's commands; the slowest fsync in that step took %,.0f ms)",
                    s.slowestFsyncMillis());
            if (s.coresRedis() >= 0.9) {
                return "**Redis**, whose one command thread was busy: " + figures;
            }
            if (used[top] >= 0.9) {
                return "**" + names[top] + "'s CPU**: " + figures + fsync;
            }
            if (s.machineBusy() >= 0.9) {
                return "**the machine's CPU** (the rest of it: other work on the machine): " + figures + fsync;
            }
            return "no process and not the machine ran out of CPU: " + figures + (fsync.isEmpty()
                    ? "; what is left is waiting (a publish is acknowledged once the log holds it)" : fsync);
        }
    }

    static Result run(RunContext run, Setup setup, Via via, ClusterScenario.Plan plan, Transport t) throws Exception {
        Scenarios s = run.scenarios;
        String topic = s.nextTopic("r", t);
        List<Step> steps = new ArrayList<>();
        HttpClient http = new HttpClient();
        http.setMaxConnectionsPerDestination(HTTP_CONNECTIONS);
        http.setMaxRequestsQueuedPerDestination(1 << 20);
        http.start();
        WebSocketPublisher ws = null;
        ServerProcess node = setup.node();
        long before = node.stats(false).connections();
        long beforeOther = setup.other() == null ? 0 : setup.other().stats(false).connections();
        Scenarios.Opened here = null;
        Scenarios.Opened there = null;
        try {
            here = s.open(node, t, topic, setup.other() == null ? 2 : 1, 60_000);
            there = setup.other() == null ? null : s.open(setup.other(), t, topic, 1, 60_000);
            Set<AgentProcess> agents = new LinkedHashSet<>(here.agents());
            if (there != null) {
                agents.addAll(there.agents());
            }
            List<AgentProcess> used = List.copyOf(agents);
            int subscribers = here.ready() + (there == null ? 0 : there.ready());
            Publisher httpPublisher = new Publisher(http, run.config.payloadBytes());
            if (via == Via.WEBSOCKET) {
                ws = WebSocketPublisher.open(http, node.baseUrl(), WEBSOCKET_CONNECTIONS, run.config.payloadBytes());
            }
            WebSocketPublisher wsPublisher = ws;
            Load load = (rate, seconds, w) -> wsPublisher != null ? wsPublisher.run(topic, rate, seconds, w)
                    : httpPublisher.run(node.publishUrl(topic), rate, seconds, w);
            warm(run, setup, load, plan.rampRates().get(0));
            for (double rate : plan.rampRates()) {
                run.progress.say("publish ramp, %s, %s: %s msg/s", setup.label(), via.label, Report.number(rate, 0));
                Step step = step(run, setup, load, rate, plan, used, here, there, subscribers);
                steps.add(step);
                run.progress.say("  acknowledged %,.0f/s, %.1f%% delivered, p99 %.1f ms; cores node %.2f other %.2f Redis %.2f "
                                + "publisher %.2f agents %.2f, machine %.0f%% busy%s%s", step.acceptedPerSecond(),
                        100 * step.deliveredRatio(), step.p99(), step.coresNode(), step.coresOther(), step.coresRedis(),
                        step.coresPublisher(), step.coresAgents(), 100 * step.machineBusy(), Double.isNaN(step.slowestFsyncMillis())
                                ? "" : String.format(Locale.ROOT, ", slowest fsync %.0f ms", step.slowestFsyncMillis()),
                        step.sustained() ? "" : "; not sustained: " + step.shortfall());
                if (!step.sustained()) {
                    break;
                }
            }
        } finally {
            // Publishers first: closing the subscribers waits for the node to hold no more than a few connections.
            if (ws != null) {
                ws.close();
            }
            http.stop();
            if (here != null) {
                s.close(node, here, topic, before);
            }
            if (there != null) {
                s.close(setup.other(), there, topic, beforeOther);
            }
        }
        return new Result(setup, via, steps);
    }

    /**
     * The publish path at a rate is new to the node's JIT, and on the Redis log it compiles for 15–25 s at 1,000
     * publishes/s on these cores (the node's CPU per publish falling 1.1 → 0.6 → 0.2 → 0.12 ms over four 8 s runs):
     * steps taken meanwhile would measure the compiler, and starve the rest of the machine. Unmeasured runs at the
     * first rate until the node's CPU stops falling (by less than 15 % from one run to the next), 3 to 8 of them.
     */
    private static void warm(RunContext run, Setup setup, Load load, double rate) throws Exception {
        JitWarmUp.untilSettled(3, 8, () -> {
            double cores = setup.node().coresDuring(() -> load.run(rate, WARM_RUN_SECONDS, 0));
            run.progress.say("  warming the publish path at %s msg/s: node %.2f cores", Report.number(rate, 0), cores);
            return cores;
        });
    }

    private interface Load {
        Publisher.Outcome run(double rate, double seconds, long window) throws Exception;
    }

    private static Step step(RunContext run, Setup setup, Load load, double rate, ClusterScenario.Plan plan,
            List<AgentProcess> used, Scenarios.Opened here, Scenarios.Opened there, int subscribers) throws Exception {
        Scenarios s = run.scenarios;
        load.run(rate, plan.rampWarmSeconds(), 0);
        long w = s.nextWindow();
        s.window(used, w);
        ServerProcess.Stats n0 = setup.node().stats(false);
        ServerProcess.Stats o0 = setup.other() == null ? null : setup.other().stats(false);
        double r0 = setup.redis() == null ? Double.NaN : setup.redis().cpuSeconds();
        double p0 = Cpu.self();
        double g0 = agentsCpu(used);
        long[] m0 = Cpu.machine();
        if (setup.redis() != null) {
            setup.redis().resetLatency();
        }
        long t0 = System.nanoTime();
        Publisher.Outcome out = load.run(rate, plan.rampSeconds(), w);
        long expected = out.accepted() * subscribers;
        s.awaitDeliveries(used, expected, 5_000);
        double wall = (System.nanoTime() - t0) / 1e9;
        ServerProcess.Stats n1 = setup.node().stats(false);
        ServerProcess.Stats o1 = setup.other() == null ? null : setup.other().stats(false);
        double r1 = setup.redis() == null ? Double.NaN : setup.redis().cpuSeconds();
        Scenarios.Tally a = s.tally(here);
        Scenarios.Tally b = there == null ? null : s.tally(there);
        long delivered = a.deliveries() + (b == null ? 0 : b.deliveries());
        double p99 = b == null ? a.percentileMillis(99) : Math.max(a.percentileMillis(99), b.percentileMillis(99));
        return new Step(rate, out.sent(), out.accepted(), out.failed(), out.acceptedPerSecond(),
                expected == 0 ? 0 : (double) delivered / expected, p99,
                (n1.cpuNanos() - n0.cpuNanos()) / 1e9 / wall, o0 == null ? Double.NaN : (o1.cpuNanos() - o0.cpuNanos()) / 1e9 / wall,
                (r1 - r0) / wall, (Cpu.self() - p0) / wall, (agentsCpu(used) - g0) / wall, Cpu.busy(m0, Cpu.machine()),
                setup.redis() == null ? Double.NaN : setup.redis().slowestFsyncMillis());
    }

    private static double agentsCpu(List<AgentProcess> agents) {
        double sum = 0;
        for (AgentProcess a : agents) {
            sum += Cpu.seconds(a.pid());
        }
        return sum;
    }
}
