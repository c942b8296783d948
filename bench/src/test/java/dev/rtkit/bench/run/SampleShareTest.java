package dev.rtkit.bench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleShareTest {

    @Test
    void countsTheSamplesWhoseStackPassesThroughThePackages(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("spin.jfr");
        try (Recording r = new Recording()) {
            r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            r.start();
            Thread watched = new Thread(() -> Watched.spin(800), "watched");
            Thread other = new Thread(() -> Other.spin(800), "other");
            watched.start();
            other.start();
            watched.join();
            other.join();
            r.stop();
            r.dump(file);
        }
        assertTrue(Files.size(file) > 0);

        SampleShare share = SampleShare.Samples.read(file, List.of(Watched.class.getName())).share();

        assertTrue(share.inside() > 0, "samples in the watched spinner: " + share);
        assertTrue(share.inside() < share.samples(), "the other spinner's samples are outside: " + share);
        assertEquals(100.0 * share.inside() / share.samples(), share.percent(), 1e-9);
        assertEquals(0, SampleShare.Samples.read(file, List.of("no.such.package.")).share().inside());
        Instant before = Instant.now().minusSeconds(3600);
        assertEquals(0, SampleShare.Samples.read(file, List.of(Watched.class.getName()))
                .share(List.<Instant[]>of(new Instant[] {before, before.plusSeconds(1)})).samples(), "no sample in an hour-old window");
    }

    static final class Watched {
        static long spin(long millis) {
            return Spinning.until(System.nanoTime() + millis * 1_000_000);
        }
    }

    static final class Other {
        static long spin(long millis) {
            return Spinning.until(System.nanoTime() + millis * 1_000_000);
        }
    }

    private static final class Spinning {
        static long until(long deadline) {
            // Real work (allocating, calling): a bare counting loop can leave the sampler no stack to walk.
            long x = 0;
            while (System.nanoTime() < deadline) {
                x += String.valueOf(x).hashCode() & 7;
            }
            return x;
        }
    }
}
