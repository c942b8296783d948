package dev.rtkit.bench.run;

import dev.rtkit.bench.load.Transport;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The cluster table's publish-ramp rows and notes: each ramp's steps and what limited it. */
final class RampRows {
    private RampRows() {
    }

    /**
     * The publish ramps: over HTTP and over WebSocket frames, each on the cluster's node A and on the in-memory node,
     * so the report tells what publishing costs from what the Redis log adds to it.
     */
    static void add(RunContext run, Table table, ClusterScenario.Plan plan, Transport t, ClusterNodes nodes) {
        PublishRamp.Setup cluster = new PublishRamp.Setup("2 nodes + Redis, publishing on node A", nodes.a, nodes.b,
                nodes.redis);
        PublishRamp.Setup single = new PublishRamp.Setup("1 node in memory", run.servers.get(Kind.RTKIT), null, null);
        List<String> limits = new ArrayList<>();
        List<String> tables = new ArrayList<>();
        for (PublishRamp.Via via : PublishRamp.Via.values()) {
            Map<Kind, Cell> sustained = new EnumMap<>(Kind.class);
            Map<Kind, Cell> most = new EnumMap<>(Kind.class);
            for (PublishRamp.Setup setup : List.of(cluster, single)) {
                Kind column = setup == cluster ? Kind.RTKIT : Kind.BASELINE;
                try {
                    PublishRamp.Result r = PublishRamp.run(run, setup, via, plan, t);
                    sustained.put(column, Cell.of(r.sustained()));
                    most.put(column, Cell.of(r.mostAcknowledged()));
                    tables.add(r.table());
                    limits.add("- " + setup.label() + ", " + via.label + ": " + r.limit());
                } catch (Exception e) {
                    run.progress.say("  failed: %s", e);
                    table.notes.add("**publish ramp, " + setup.label() + ", " + via.label + " failed:** `" + e + "`");
                }
            }
            String name = via == PublishRamp.Via.HTTP ? "HTTP POST" : "WebSocket frames";
            table.row("publish ramp", "publishes / s sustained, " + name, sustained, 0, Goal.atLeast(10_000, "≥ 10,000"));
            table.row("publish ramp", "publishes / s acknowledged, most in a step, " + name, most, 0);
        }
        table.notes.add("Publish ramps: two subscribers on the topic (on the cluster one on each node), an open-loop "
                + "publisher in the runner JVM posting to the node at each rate in turn (" + plan.rampRates().stream()
                .map(r -> Report.number(r, 0)).collect(Collectors.joining(", ")) + " msg/s) after 3 to 8 unmeasured 4 s runs at "
                + "the first, until the node's CPU stops falling (its JIT compiles the publish path), each step " + Report.number(plan.rampWarmSeconds(), 1)
                + " s unmeasured then " + Report.number(plan.rampSeconds(), 1)
                + " s measured, up to the first rate not sustained: every publish acknowledged (202, or an `ack` frame), "
                + "at ≥ 95 % of the rate, ≥ 99 % delivered, p99 publish-to-receipt ≤ " + (int) PublishRamp.MAX_P99_MILLIS
                + " ms. Cores: CPU seconds over the step's wall time (*µs CPU / publish*: the node's, per acknowledged "
                + "publish, its fan-out included); *machine busy*: the share of all cores busy "
                + "(`/proc/stat`), other work on the machine included.");
        table.notes.addAll(tables);
        if (!limits.isEmpty()) {
            table.notes.add("**What limited the publish rate:**\n\n" + String.join("\n", limits));
        }
    }
}
