package dev.rtkit.internal.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Micrometer is optional because only the metrics package's {@code Micrometer*} classes name it, and only
 * {@link MetricsBinding} reaches them, once it found Micrometer on the class path.
 */
class MicrometerConfinementTest {

    @Test
    void onlyMicrometerMetricsReferencesMicrometer() throws IOException {
        Path classes = Path.of(Metrics.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        List<String> referring;
        try (Stream<Path> files = Files.walk(classes)) {
            referring = files.filter(p -> p.toString().endsWith(".class") && !p.endsWith("module-info.class"))
                    .filter(MicrometerConfinementTest::mentionsMicrometer)
                    .map(p -> classes.relativize(p).toString())
                    .sorted().toList();
        }
        assertTrue(referring.contains("dev/rtkit/internal/metrics/MicrometerMetrics.class"), referring.toString());
        for (String c : referring) {
            assertTrue(c.startsWith("dev/rtkit/internal/metrics/Micrometer"), "Micrometer named outside: " + c);
        }
    }

    private static boolean mentionsMicrometer(Path classFile) {
        try {
            // Constant pools hold class names in internal form; a string naming the class for Class.forName is dotted.
            return new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1).contains("io/micrometer/");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
