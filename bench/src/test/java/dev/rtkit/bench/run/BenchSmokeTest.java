package dev.rtkit.bench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CI check of the benchmark machinery: a seconds-long run with a handful of subscribers, against real rtkit,
 * baseline and CometD servers in their own JVMs, must produce a report with a figure for every transport on rtkit
 * and the baseline, and for CometD's WebSocket and long-polling (the peer path: Bayeux clients, publish servlet).
 */
class BenchSmokeTest {
    private static final String EFFICIENCY = "deliveries / server CPU-s";
    private static final String COMPILER = "JIT compiler, not counted (% of CPU)";

    @Test
    void smokeRunWritesAReportWithDeliveriesForEveryTransportOnRtkitTheBaselineAndCometd() throws Exception {
        Path dir = Path.of("target", "smoke");
        Path report = new Runner(Config.named("smoke"), dir, dir.resolve("logs"), false).run();

        String md = Files.readString(report);
        List<String> steady = tableAfter(md, "## Steady delivery");
        List<String> header = cells(steady.get(0));
        int rtkit = header.indexOf("rtkit");
        int baseline = header.indexOf("baseline");
        int cometd = header.indexOf("CometD");
        assertTrue(rtkit > 0 && baseline > 0 && cometd > 0, "steady table header: " + steady.get(0));
        int rows = 0;
        int cometdRows = 0;
        double compiling = 0;
        for (String line : steady) {
            List<String> c = cells(line);
            if (c.size() > 2 && c.get(2).equals(COMPILER)) {
                compiling = Math.max(compiling, number(c.get(rtkit)));
            }
            if (c.size() > 2 && c.get(2).equals(EFFICIENCY)) {
                rows++;
                assertTrue(number(c.get(rtkit)) > 0, "rtkit delivered nothing: " + line);
                assertTrue(number(c.get(baseline)) > 0, "baseline delivered nothing: " + line);
                if (c.get(1).equals("websocket") || c.get(1).equals("longpoll")) {
                    cometdRows++;
                    assertTrue(number(c.get(cometd)) > 0, "CometD delivered nothing: " + line);
                }
            }
        }
        assertEquals(5, rows, "expected a deliveries row per transport in\n" + md);
        // A fresh server compiles in its first seconds: a zero everywhere means the compiler's CPU was not found.
        assertTrue(compiling > 0, "no JIT compiler CPU seen in any window:\n" + md);
        assertEquals(2, cometdRows, md);
        assertTrue(md.contains("## Peers at a glance") && md.contains("rtkit ÷ CometD"), md);
        assertTrue(md.contains("## Idle connections") && md.contains("## Fan-out"), md);
        assertEquals(0, countFailures(md), md);
        assertTrue(Files.size(dir.resolve("smoke-steady-efficiency.svg")) > 0);
        assertTrue(Files.readString(dir.resolve("smoke-peers-efficiency.svg")).contains("CometD"));
    }

    private static List<String> tableAfter(String md, String heading) {
        int at = md.indexOf(heading);
        assertTrue(at >= 0, "no " + heading + " in\n" + md);
        List<String> lines = new ArrayList<>();
        for (String line : md.substring(at).split("\n")) {
            if (line.startsWith("|")) {
                lines.add(line);
            } else if (!lines.isEmpty()) {
                break;
            }
        }
        assertNotNull(lines.isEmpty() ? null : lines, "no table after " + heading);
        return lines;
    }

    private static List<String> cells(String line) {
        List<String> c = new ArrayList<>();
        for (String s : line.split("\\|", -1)) {
            c.add(s.trim());
        }
        return c;
    }

    private static double number(String cell) {
        return Double.parseDouble(cell.replace(",", "").replaceAll(" ±.*", ""));
    }

    private static int countFailures(String md) {
        return md.split("failed:\\*\\*", -1).length - 1;
    }
}
