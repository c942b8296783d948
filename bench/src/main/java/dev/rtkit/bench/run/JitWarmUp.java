package dev.rtkit.bench.run;

/**
 * Unmeasured runs until a server's CPU stops falling: while its JIT still compiles the paths a load takes, each run
 * costs less than the one before, and a window measured meanwhile would measure code not compiled yet.
 */
final class JitWarmUp {
    /** Settled: a run cost more than this share of the one before it. */
    private static final double SETTLED = 0.85;

    /** One unmeasured run; returns the server's CPU over it, in cores. */
    interface Run {
        double cores() throws Exception;
    }

    private JitWarmUp() {
    }

    /**
     * At least {@code minRuns} (while the compiler has the server, its CPU sits at what the machine gives it rather
     * than falling), at most {@code maxRuns}.
     */
    static void untilSettled(int minRuns, int maxRuns, Run run) throws Exception {
        double last = Double.NaN;
        for (int i = 0; i < maxRuns; i++) {
            double cores = run.cores();
            if (i >= minRuns - 1 && cores > SETTLED * last) {
                return;
            }
            last = cores;
        }
    }
}
