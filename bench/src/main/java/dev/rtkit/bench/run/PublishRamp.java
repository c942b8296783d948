package dev.rtkit.bench.run;

import dev.rtkit.bench.load.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.jetty.client.HttpClient;

/**
 * How many publishes per second one node of the cluster sustains: an open-loop publisher posts to node A at rising
 * rates, one subscriber on each node, until a step is not sustained; each step's CPU of node A, node B, Redis, the
 * publisher (this JVM) and the agents says what limited it.
 */
final class PublishRamp {
    /** Publisher connections: a publish waits for Redis's (fsync'd) append, so many must be in flight at once. */
    static final int CONNECTIONS = 64;
    /** A step whose receipts lag more than this behind their due time is building a queue, not keeping up. */
    static final double MAX_P99_MILLIS = 1_000;

    private PublishRamp() {
    }

    /** One rate: what was sent, answered and received, and where the CPU went (cores = CPU seconds / wall seconds). */
    record Step(double target, long sent, long accepted, long failed, double acceptedPerSecond, double deliveredRatio,
            double p99Same, double p99Cross, double coresA, double coresB, double coresRedis, double coresPublisher,
            double coresAgents, double machineBusy) {

        boolean sustained() {
            return failed == 0 && accepted == sent && acceptedPerSecond >= 0.95 * target && deliveredRatio >= 0.99
                    && Math.max(p99Same, p99Cross) <= MAX_P99_MILLIS;
        }

        /** Why a step was not sustained, in a few words. */
        String shortfall() {
            List<String> why = new ArrayList<>();
            if (failed > 0 || accepted < sent) {
                why.add(String.format(Locale.ROOT, "%,d of %,d publishes not answered 202", sent - accepted, sent));
            }
            if (acceptedPerSecond < 0.95 * target) {
                why.add(String.format(Locale.ROOT, "answered %,.0f/s", acceptedPerSecond));
            }
            if (deliveredRatio < 0.99) {
                why.add(String.format(Locale.ROOT, "%.1f%% delivered", 100 * deliveredRatio));
            }
            if (Math.max(p99Same, p99Cross) > MAX_P99_MILLIS) {
                why.add(String.format(Locale.ROOT, "p99 %,.0f ms", Math.max(p99Same, p99Cross)));
            }
            return String.join(", ", why);
        }
    }

    record Result(List<Step> steps, ClusterScenario.Plan plan, String fsync) {
        /** The highest rate sustained, 0 when none was. */
        double sustained() {
            double best = 0;
            for (Step s : steps) {
                if (s.sustained()) {
                    best = Math.max(best, s.target());
                }
            }
            return best;
        }

        double mostAnswered() {
            return steps.stream().mapToDouble(Step::acceptedPerSecond).filter(v -> !Double.isNaN(v)).max().orElse(Double.NaN);
        }

        void addTo(Table t) {
            String n = "publish ramp";
            t.row(n, "publishes / s sustained through node A", sustained(), null, 0, Goal.atLeast(10_000, "≥ 10,000"));
            t.row(n, "publishes / s answered, most in a step", mostAnswered(), null, 0);
            StringBuilder md = new StringBuilder("Publish ramp: one subscriber on each node, the open-loop publisher ("
                    + CONNECTIONS + " HTTP/1.1 connections from the runner JVM) posting to node A at each rate for "
                    + Report.number(plan.rampSeconds(), 1) + " s after " + Report.number(plan.rampWarmSeconds(), 1)
                    + " s unmeasured, up to the first rate not sustained (every "
                    + "publish answered 202, at ≥ 95 % of the rate, ≥ 99 % delivered, p99 ≤ " + (int) MAX_P99_MILLIS
                    + " ms). Cores: CPU seconds over the step's wall time; *machine*: the share of all cores busy "
                    + "(`/proc/stat`), other work on the machine included.\n\n"
                    + "| rate (msg/s) | answered 202 / s | delivered | p99 same / cross (ms) | node A | node B | Redis "
                    + "| publisher | agents | machine busy | sustained |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
            for (Step s : steps) {
                md.append(String.format(Locale.ROOT, "| %,.0f | %,.0f | %.1f%% | %,.1f / %,.1f | %.2f | %.2f | %.2f | %.2f | %.2f "
                                + "| %.0f%% | %s |%n", s.target(), s.acceptedPerSecond(), 100 * s.deliveredRatio(), s.p99Same(),
                        s.p99Cross(), s.coresA(), s.coresB(), s.coresRedis(), s.coresPublisher(), s.coresAgents(),
                        100 * s.machineBusy(), s.sustained() ? "yes" : "no: " + s.shortfall()));
            }
            t.notes.add(md.toString().trim());
            t.notes.add("**What limited it:** " + limit());
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
                        + "(there node A used %.2f cores, Redis %.2f, the publisher %.2f; machine %.0f%% busy)",
                        top.target(), top.coresA(), top.coresRedis(), top.coresPublisher(), 100 * top.machineBusy());
            }
            int cores = Runtime.getRuntime().availableProcessors();
            String[] names = {"node A", "node B", "Redis", "the publisher (runner JVM)", "the agents"};
            double[] used = {s.coresA(), s.coresB(), s.coresRedis(), s.coresPublisher(), s.coresAgents()};
            int top = 0;
            double ours = 0;
            for (int i = 0; i < used.length; i++) {
                ours += used[i];
                if (used[i] > used[top]) {
                    top = i;
                }
            }
            String figures = String.format(Locale.ROOT, "at %,.0f msg/s (%s): node A %.2f cores, node B %.2f, Redis %.2f, "
                            + "publisher %.2f, agents %.2f — %.2f of the machine's %d cores; the machine was %.0f%% busy",
                    s.target(), s.shortfall(), s.coresA(), s.coresB(), s.coresRedis(), s.coresPublisher(), s.coresAgents(),
                    ours, cores, 100 * s.machineBusy());
            if (s.coresRedis() >= 0.9) {
                return "**Redis**, whose one command thread was busy: " + figures
                        + (fsync.equals("always") ? " (every append fsync'd: `appendfsync always`)" : "");
            }
            if (s.machineBusy() >= 0.9) {
                return "**the machine's CPU** (all " + cores + " cores busy; of the bench's processes " + names[top]
                        + " used the most): " + figures + ". On a machine of its own each part would have more room.";
            }
            return "no process and not the machine ran out of CPU (" + names[top] + " used the most): " + figures
                    + ". What is left is waiting: each publish holds its connection until Redis has appended"
                    + (fsync.equals("always") ? " and fsync'd" : "") + " it, and " + CONNECTIONS
                    + " connections carry at most that many publishes at once.";
        }
    }

    static Result run(RunContext run, ClusterScenario.Nodes nodes, Transport t, ClusterScenario.Plan plan) throws Exception {
        HttpClient http = new HttpClient();
        http.setMaxConnectionsPerDestination(CONNECTIONS);
        http.setMaxRequestsQueuedPerDestination(1 << 20);
        http.start();
        Publisher publisher = new Publisher(http, run.config.payloadBytes());
        Scenarios s = run.scenarios;
        String topic = s.nextTopic("r", t);
        List<Step> steps = new ArrayList<>();
        try {
            ClusterScenario.across(run, nodes, t, topic, 1, 1, (a, b, used) -> {
                try {
                    ramp(run, nodes, plan, publisher, topic, a, b, used, steps);
                } finally {
                    // Before the subscribers close: closing waits for node A to hold no more than a few connections.
                    http.stop();
                }
                return null;
            });
        } finally {
            http.stop();
        }
        return new Result(steps, plan, nodes.redis().fsync);
    }

    private static void ramp(RunContext run, ClusterScenario.Nodes nodes, ClusterScenario.Plan plan, Publisher publisher,
            String topic, Scenarios.Opened a, Scenarios.Opened b, List<AgentProcess> used, List<Step> steps) throws Exception {
        Scenarios s = run.scenarios;
        for (double rate : plan.rampRates()) {
            run.progress.say("cluster publish ramp: %s msg/s on node A, one subscriber on each node", Report.number(rate, 0));
            publisher.run(nodes.a().publishUrl(topic), rate, plan.rampWarmSeconds(), 0);
            long w = s.nextWindow();
            s.window(used, w);
            ServerProcess.Stats a0 = nodes.a().stats(false);
            ServerProcess.Stats b0 = nodes.b().stats(false);
            double r0 = nodes.redis().cpuSeconds();
            double p0 = Cpu.self();
            double g0 = agentsCpu(used);
            long[] m0 = Cpu.machine();
            long t0 = System.nanoTime();
            Publisher.Outcome out = publisher.run(nodes.a().publishUrl(topic), rate, plan.rampSeconds(), w);
            s.awaitDeliveries(used, out.accepted() * (a.ready() + b.ready()), 5_000);
            double wall = (System.nanoTime() - t0) / 1e9;
            ServerProcess.Stats a1 = nodes.a().stats(false);
            ServerProcess.Stats b1 = nodes.b().stats(false);
            Scenarios.Tally same = s.tally(a);
            Scenarios.Tally cross = s.tally(b);
            long expected = out.accepted() * (a.ready() + b.ready());
            Step step = new Step(rate, out.sent(), out.accepted(), out.failed(), out.acceptedPerSecond(),
                    expected == 0 ? 0 : (double) (same.deliveries() + cross.deliveries()) / expected,
                    same.percentileMillis(99), cross.percentileMillis(99),
                    (a1.cpuNanos() - a0.cpuNanos()) / 1e9 / wall, (b1.cpuNanos() - b0.cpuNanos()) / 1e9 / wall,
                    (nodes.redis().cpuSeconds() - r0) / wall, (Cpu.self() - p0) / wall, (agentsCpu(used) - g0) / wall,
                    Cpu.busy(m0, Cpu.machine()));
            steps.add(step);
            run.progress.say("  answered %,.0f/s, %.1f%% delivered, p99 %.1f / %.1f ms; cores A %.2f B %.2f Redis %.2f "
                            + "publisher %.2f agents %.2f, machine %.0f%% busy%s", step.acceptedPerSecond(),
                    100 * step.deliveredRatio(), step.p99Same(), step.p99Cross(), step.coresA(), step.coresB(),
                    step.coresRedis(), step.coresPublisher(), step.coresAgents(), 100 * step.machineBusy(),
                    step.sustained() ? "" : "; not sustained: " + step.shortfall());
            if (!step.sustained()) {
                break;
            }
        }
    }

    private static double agentsCpu(List<AgentProcess> agents) {
        double sum = 0;
        for (AgentProcess a : agents) {
            sum += Cpu.seconds(a.pid());
        }
        return sum;
    }
}
