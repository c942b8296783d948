package dev.rtkit.bench.run;

import dev.rtkit.bench.load.Transport;
import java.util.List;

/** One reader that never reads among many: how much it moves everyone else's latency (rtkit, and Atmosphere's SSE). */
final class StalledTable {
    private StalledTable() {
    }

    static Table build(RunContext run) {
        Config c = run.config;
        int n = subscribers(c);
        double rate = c.steadyRate();
        Table t = new Table("stalled", "Slow consumer: one stalled SSE reader among " + String.format("%,d", n),
                String.format("%,d", n) + " SSE subscribers on one topic at " + Report.number(rate, 0) + " msg/s, measured twice per server:"
                        + " alone, and beside one more SSE reader that never reads (its connection filled first, before the others"
                        + " subscribe, by 256 messages of 32 KiB). Here the first column is the server beside the stalled reader,"
                        + " the second the same server alone, and the ratio beside ÷ alone; the `sse` rows are rtkit's.");
        for (Kind k : List.of(Kind.RTKIT, Kind.ATMOSPHERE)) {
            if (!run.servers.containsKey(k)) {
                continue;
            }
            Measurements.Delivery[] m = new Measurements.Delivery[2];
            try {
                for (int i = 0; i < 2; i++) {
                    run.progress.say("stalled sse %s: %,d subscribers%s", k.label, n, i == 0 ? "" : " + 1 stalled reader");
                    m[i] = run.scenarios.delivery(run.servers.get(k), Transport.SSE, n, rate, i);
                    run.progress.say("  p50 %.2f ms, p99 %.2f ms, %.1f%% delivered", m[i].percentileMillis(50),
                            m[i].percentileMillis(99), 100 * m[i].deliveredRatio());
                }
            } catch (Exception e) {
                run.progress.say("  failed: %s", e);
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

    static int subscribers(Config c) {
        return c.name().equals("smoke") ? 20 : 1000;
    }
}
