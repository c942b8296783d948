package dev.rtkit.bench.load;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.HdrHistogram.Histogram;

/**
 * A load-generator JVM, driven by the runner one command a line on stdin, one answer a line on stdout
 * ({@code ok …} or {@code err …}). Each process holds at most some thousands of connections: the machine
 * allows 20,000 file descriptors per process.
 * <pre>
 * open NAME TRANSPORT DIALECT BASE_URL TOPIC COUNT BIND_IP POLL_MS CONCURRENCY TIMEOUT_MS [PROTOCOL] → ok ready=N failed=M
 *                   (DIALECT: rtkit for rtkit and the baseline, cometd (Bayeux), atmosphere; PROTOCOL: http/1.1,
 *                   the default, or h2c: HTTP/2 with prior knowledge, many requests to a connection)
 * window W          count only messages of window W, from zero              → ok
 * count             deliveries, subscriber requests, subscribers lost        → ok D R L
 * report [NAME]     the same and the latency histogram (µs), base64, of every  → ok D R L HIST
 *                   group or of group NAME alone
 * fanout on|off     track each message's receipts                              → ok
 * fan PT            receipts of the message published at PT: count, max µs    → ok N MAX
 * close NAME        closes the group's connections                            → ok
 * exit
 * </pre>
 */
public final class Agent {
    private Agent() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        // Everything else printed goes to stderr, so stdout carries answers only.
        System.setOut(System.err);
        Probe probe = new Probe();
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "agent-timer");
            t.setDaemon(true);
            return t;
        });
        Map<String, Group> groups = new HashMap<>();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        out.println("ok agent " + ProcessHandle.current().pid());
        String line;
        while ((line = in.readLine()) != null) {
            String[] a = line.trim().split(" ");
            try {
                switch (a[0]) {
                    case "open" -> {
                        Group g = new Group(probe.child(), Transport.of(a[2]), Dialect.of(a[3]), a[4], a[5], a[7], Long.parseLong(a[8]),
                                Integer.parseInt(a[9]), Integer.parseInt(a[6]), a.length > 11 && a[11].equals("h2c"), timer);
                        groups.put(a[1], g);
                        out.println("ok " + g.open(Integer.parseInt(a[6]), Long.parseLong(a[10])));
                    }
                    case "window" -> {
                        long w = Long.parseLong(a[1]);
                        probe.window(w);
                        groups.values().forEach(g -> g.probe.window(w));
                        out.println("ok");
                    }
                    case "count" -> out.println("ok " + counts(probe, groups));
                    case "report" -> {
                        Group g = a.length > 1 ? groups.get(a[1]) : null;
                        if (a.length > 1 && g == null) {
                            out.println("err no group " + a[1]);
                        } else if (g != null) {
                            Probe p = g.probe;
                            out.println("ok " + p.deliveries() + " " + p.requests() + " " + g.lostCount() + " "
                                    + encode(p.takeHistogram()));
                        } else {
                            out.println("ok " + counts(probe, groups) + " " + encode(probe.takeHistogram()));
                        }
                    }
                    case "fanout" -> {
                        probe.fanout(a[1].equals("on"));
                        out.println("ok");
                    }
                    case "fan" -> {
                        long[] f = probe.fan(Long.parseLong(a[1]));
                        out.println("ok " + f[0] + " " + f[1]);
                    }
                    case "close" -> {
                        Group g = groups.remove(a[1]);
                        if (g != null) {
                            g.close();
                        }
                        out.println("ok");
                    }
                    case "exit" -> {
                        for (Group g : groups.values()) {
                            g.close();
                        }
                        out.println("ok");
                        System.exit(0);
                    }
                    default -> out.println("err unknown command " + a[0]);
                }
            } catch (Exception e) {
                e.printStackTrace();
                out.println("err " + e.toString().replace('\n', ' '));
            }
        }
        System.exit(0);
    }

    private static String counts(Probe probe, Map<String, Group> groups) {
        int lost = groups.values().stream().mapToInt(Group::lostCount).sum();
        return probe.deliveries() + " " + probe.requests() + " " + lost;
    }

    private static String encode(Histogram h) {
        ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoCompressedByteBuffer(buf);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buf.array(), n));
    }
}
