package dev.rtkit.bench.load;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Finds the benchmark payload {@code {"pt":<publish nanoTime>,"w":<window>,…}} in whatever a subscriber
 * received and records a delivery: latency is receipt nanoTime minus publish nanoTime (the publisher's
 * intended send time, so a stalled publisher cannot hide delays). Only messages of the current window count.
 * nanoTime is CLOCK_MONOTONIC on Linux, shared by every process on the machine. A group's own probe
 * ({@link #child()}) counts its subscribers alone and passes every receipt on to the agent's probe, so a scenario can
 * tell one group's latency from another's (subscribers of one node from those of another).
 */
public final class Probe {
    private static final byte[] KEY = {'"', 'p', 't', '"', ':'};
    private static final byte[] WINDOW = {',', '"', 'w', '"', ':'};

    private final Probe parent;
    private final Recorder latencies = new Recorder(3);
    private final LongAdder deliveries = new LongAdder();
    private final LongAdder requests = new LongAdder();
    private final Map<Long, long[]> fan = new ConcurrentHashMap<>();
    private volatile long window = -1;
    private volatile boolean fanout;

    public Probe() {
        this(null);
    }

    private Probe(Probe parent) {
        this.parent = parent;
        this.window = parent == null ? -1 : parent.window;
    }

    /** A probe for one group: its own counts, every receipt also recorded by this one. */
    public Probe child() {
        return new Probe(this);
    }

    /** Starts counting messages of window {@code w} only, from zero. */
    public void window(long w) {
        window = w;
        deliveries.reset();
        requests.reset();
        latencies.getIntervalHistogram();
    }

    public void fanout(boolean on) {
        fanout = on;
        fan.clear();
    }

    public void request() {
        if (parent != null) {
            parent.request();
        }
        requests.increment();
    }

    public long deliveries() {
        return deliveries.sum();
    }

    public long requests() {
        return requests.sum();
    }

    /** The latencies (microseconds) since the last call or window change. */
    public Histogram takeHistogram() {
        return latencies.getIntervalHistogram();
    }

    /** Receipts of the fan-out message published at {@code pt}: {count, max latency in microseconds}. */
    public long[] fan(long pt) {
        long[] v = fan.get(pt);
        return v == null ? new long[] {0, 0} : new long[] {v[0], v[1]};
    }

    public void scan(byte[] b, int from, int to) {
        long now = System.nanoTime();
        int i = from;
        while ((i = indexOf(b, KEY, i, to)) >= 0) {
            i += KEY.length;
            long pt = 0;
            while (i < to && b[i] >= '0' && b[i] <= '9') {
                pt = pt * 10 + (b[i++] - '0');
            }
            long w = -2;
            if (indexOf(b, WINDOW, i, Math.min(to, i + WINDOW.length)) == i) {
                i += WINDOW.length;
                w = 0;
                while (i < to && b[i] >= '0' && b[i] <= '9') {
                    w = w * 10 + (b[i++] - '0');
                }
            }
            record(pt, w, now);
        }
    }

    public void scan(String s) {
        long now = System.nanoTime();
        int i = 0;
        while ((i = s.indexOf("\"pt\":", i)) >= 0) {
            i += KEY.length;
            long pt = 0;
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                pt = pt * 10 + (s.charAt(i++) - '0');
            }
            long w = -2;
            if (s.startsWith(",\"w\":", i)) {
                i += WINDOW.length;
                w = 0;
                while (i < s.length() && Character.isDigit(s.charAt(i))) {
                    w = w * 10 + (s.charAt(i++) - '0');
                }
            }
            record(pt, w, now);
        }
    }

    private void record(long pt, long w, long now) {
        if (parent != null) {
            parent.record(pt, w, now);
        }
        if (w != window) {
            return;
        }
        deliveries.increment();
        long micros = Math.max(0, (now - pt) / 1000);
        latencies.recordValue(micros);
        if (fanout) {
            fan.compute(pt, (k, v) -> {
                long[] r = v == null ? new long[2] : v;
                r[0]++;
                r[1] = Math.max(r[1], micros);
                return r;
            });
        }
    }

    private static int indexOf(byte[] b, byte[] key, int from, int to) {
        outer:
        for (int i = from; i <= to - key.length; i++) {
            for (int j = 0; j < key.length; j++) {
                if (b[i + j] != key[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
