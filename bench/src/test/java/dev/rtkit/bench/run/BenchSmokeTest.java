package dev.rtkit.bench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The CI check of the benchmark machinery: a seconds-long run with a handful of subscribers, against real rtkit
 * and baseline servers in their own JVMs, must produce a report with a figure for every transport on both.
 */
class BenchSmokeTest {
    private static final Pattern ROW = Pattern.compile("^\\| (\\w+) \\| deliveries / server CPU-s \\| ([\\d,.]+) \\| ([\\d,.]+) \\|",
            Pattern.MULTILINE);

    @Test
    void smokeRunWritesAReportWithDeliveriesForEveryTransportOnBothServers() throws Exception {
        Path dir = Path.of("target", "smoke");
        Path report = new Runner(Config.named("smoke"), dir, dir.resolve("logs"), false).run();

        String md = Files.readString(report);
        Matcher m = ROW.matcher(md);
        List<String> expected = List.of("websocket", "sse", "stream", "longpoll", "poll");
        int rows = 0;
        while (m.find()) {
            rows++;
            assertTrue(expected.contains(m.group(1)), m.group(0));
            assertTrue(Double.parseDouble(m.group(2).replace(",", "")) > 0, "rtkit delivered nothing: " + m.group(0));
            assertTrue(Double.parseDouble(m.group(3).replace(",", "")) > 0, "baseline delivered nothing: " + m.group(0));
        }
        assertTrue(rows >= 4, "expected a deliveries row per HTTP transport in\n" + md);
        assertTrue(md.contains("## Idle connections") && md.contains("## Fan-out"), md);
        assertEquals(0, countFailures(md), md);
        assertTrue(Files.size(dir.resolve("smoke-steady-efficiency.svg")) > 0);
    }

    private static int countFailures(String md) {
        return md.split("failed:\\*\\*", -1).length - 1;
    }
}
