package dev.rtkit.bench.run;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * How many of a Flight Recording's CPU samples ({@code jdk.ExecutionSample}: threads running Java code) were inside
 * given packages, anywhere on the stack. A share of samples from one process is not moved by what else the machine
 * runs, unlike a ratio of two windows' CPU times; and since time in the kernel is not sampled, it is an upper bound
 * of those packages' share of the process's CPU.
 */
record SampleShare(long samples, long inside) {

    /** A recording's execution samples, read once: when each was taken and whether it was inside the packages. */
    record Samples(List<Instant> times, List<Boolean> inside) {
        static Samples read(Path recording, List<String> packagePrefixes) throws IOException {
            List<Instant> times = new ArrayList<>();
            List<Boolean> inside = new ArrayList<>();
            try (RecordingFile file = new RecordingFile(recording)) {
                while (file.hasMoreEvents()) {
                    RecordedEvent e = file.readEvent();
                    if ("jdk.ExecutionSample".equals(e.getEventType().getName())) {
                        times.add(e.getStartTime());
                        inside.add(passesThrough(e.getStackTrace(), packagePrefixes));
                    }
                }
            }
            return new Samples(times, inside);
        }

        SampleShare share() {
            return share(List.<Instant[]>of(new Instant[] {Instant.MIN, Instant.MAX}));
        }

        SampleShare share(List<Instant[]> windows) {
            long samples = 0;
            long in = 0;
            for (int i = 0; i < times.size(); i++) {
                if (within(times.get(i), windows)) {
                    samples++;
                    if (inside.get(i)) {
                        in++;
                    }
                }
            }
            return new SampleShare(samples, in);
        }
    }

    private static boolean within(Instant t, List<Instant[]> windows) {
        for (Instant[] w : windows) {
            if (!t.isBefore(w[0]) && !t.isAfter(w[1])) {
                return true;
            }
        }
        return false;
    }

    private static boolean passesThrough(RecordedStackTrace stack, List<String> prefixes) {
        if (stack == null) {
            return false;
        }
        for (RecordedFrame f : stack.getFrames()) {
            if (f.isJavaFrame()) {
                String type = f.getMethod().getType().getName();
                for (String p : prefixes) {
                    if (type.startsWith(p)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    double percent() {
        return samples == 0 ? Double.NaN : 100.0 * inside / samples;
    }
}
