package dev.rtkit.bench.run;

import dev.rtkit.bench.load.Transport;
import java.util.EnumMap;
import java.util.Map;

/** One publish at a time to many subscribers: the time until the last of them has it. */
final class FanoutTable {
    private FanoutTable() {
    }

    static Table build(RunContext run) {
        Config c = run.config;
        Table t = new Table("fanout", "Fan-out: one publish to " + String.format("%,d", c.fanoutSubscribers()) + " subscribers",
                "One message published at a time to one topic with " + String.format("%,d", c.fanoutSubscribers())
                        + " subscribers; the figure is the time from the publish to the last subscriber's receipt, over "
                        + c.fanoutRepeats() + " repeats after a few unmeasured ones. Servers in a random order per transport.");
        for (Transport tr : c.fanoutTransports()) {
            Map<Kind, Measurements.Fanout> m = new EnumMap<>(Kind.class);
            for (Kind k : run.shuffled(run.servers.keySet().stream().filter(x -> x.serves(tr)).toList())) {
                run.progress.say("fanout %s %s: %,d subscribers x %d", tr.wireName(), k.label, c.fanoutSubscribers(),
                        c.fanoutRepeats());
                try {
                    Measurements.Fanout f = run.scenarios.fanout(run.servers.get(k), tr, c.fanoutSubscribers(), c.fanoutRepeats());
                    m.put(k, f);
                    run.progress.say("  time to last delivery p50 %.1f ms, p99 %.1f ms", f.percentileMillis(50),
                            f.percentileMillis(99));
                } catch (Exception e) {
                    run.progress.say("  failed: %s", e);
                    t.notes.add("**" + tr.wireName() + " on " + k.label + " failed:** `" + e + "`");
                }
            }
            String n = tr.wireName();
            t.row(n, "subscribers", Figures.single(m, x -> x.subscribers()), 0);
            t.row(n, "time to last delivery p50 (ms)", Figures.single(m, x -> x.percentileMillis(50)), 1);
            Goal[] p99 = tr == Transport.WEBSOCKET && c.fanoutSubscribers() >= 10_000
                    ? new Goal[] {Goal.atMost(150, "≤ 150 ms")} : new Goal[0];
            t.row(n, "time to last delivery p99 (ms)", Figures.single(m, x -> x.percentileMillis(99)), 1, p99);
            t.row(n, "time to last delivery max (ms)", Figures.single(m, x -> x.percentileMillis(100)), 1);
            t.row(n, "repeats not fully delivered", Figures.single(m, x -> x.incomplete()), 0);
        }
        t.chart("fanout-p99", "Time to last delivery p99, ms", "time to last delivery p99 (ms)");
        return t;
    }
}
