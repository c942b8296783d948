package dev.rtkit.bench.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time from Linux's /proc, for processes that do not report their own (redis-server, the agents, this runner):
 * {@code /proc/<pid>/stat} utime + stime of all the process's threads, and the machine's busy share from
 * {@code /proc/stat}. In clock ticks of 1/100 s ({@code getconf CLK_TCK} is 100 on Linux).
 */
final class Cpu {
    private static final double TICKS_PER_SECOND = 100;

    private Cpu() {
    }

    /** CPU seconds the process has used (user + system), or NaN when /proc cannot tell. */
    static double seconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // Fields after the command name (in parentheses, which may hold spaces): state is field 3, utime 14, stime 15.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** This JVM's CPU seconds. */
    static double self() {
        return seconds(ProcessHandle.current().pid());
    }

    /** The machine's busy and total ticks since boot, over all cores: {busy, total}. */
    static long[] machine() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    /** The machine's busy share between two {@link #machine()} readings, 0 to 1. */
    static double busy(long[] before, long[] after) {
        long total = after[1] - before[1];
        return total <= 0 ? Double.NaN : (double) (after[0] - before[0]) / total;
    }
}
