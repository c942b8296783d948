package dev.rtkit.bench.run;

/** Progress on the console, each line stamped with the time since the run started. */
final class Progress {
    private final long start = System.nanoTime();

    void say(String format, Object... args) {
        long s = (System.nanoTime() - start) / 1_000_000_000L;
        System.out.printf("[%02d:%02d] %s%n", s / 60, s % 60, String.format(format, args));
        System.out.flush();
    }
}
