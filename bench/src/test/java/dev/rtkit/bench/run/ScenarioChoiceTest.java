package dev.rtkit.bench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** {@code --scenarios}: what a run is limited to, what its report is called, and what the ramp counts as sustained. */
class ScenarioChoiceTest {
    @Test
    void aListOfScenarioNamesChoosesThoseAndAnUnknownNameFailsNamingTheKnownOnes() {
        assertEquals(EnumSet.of(Scenario.CLUSTER, Scenario.METRICS), Scenario.parse("metrics, cluster"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Scenario.parse("cluster,clusters"));
        assertTrue(e.getMessage().contains("'clusters'") && e.getMessage().contains("steady, throughput, stalled, idle, "
                + "fanout, cluster, metrics"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Scenario.parse(" , "));
    }

    @Test
    void quickAndFullRunEveryScenarioWhileTheSmokeRunLeavesOutClusterAndMetrics() {
        assertEquals(EnumSet.allOf(Scenario.class), Scenario.defaults("quick"));
        assertEquals(EnumSet.allOf(Scenario.class), Scenario.defaults("full"));
        assertFalse(Scenario.defaults("smoke").contains(Scenario.CLUSTER));
        assertFalse(Scenario.defaults("smoke").contains(Scenario.METRICS));
    }

    @Test
    void aPartOfARunWritesItsOwnReportBesideTheWholeRunsOne() {
        Path p = Path.of("target");
        assertEquals("quick", new Runner(Config.named("quick"), p, p, false).reportName());
        assertEquals("quick-cluster-metrics", new Runner(Config.named("quick"), Scenario.parse("metrics,cluster"), p, p, false)
                .reportName());
        assertEquals("bench/run.sh --quick --scenarios=cluster,metrics",
                RunHeader.command(Config.named("quick"), Scenario.parse("cluster,metrics")));
        assertEquals("bench/run.sh", RunHeader.command(Config.named("full"), Scenario.defaults("full")));
    }

    @Test
    void aRampStepIsSustainedOnlyWhenEveryPublishIsAcknowledgedAtTheRateAndDeliveredWithoutAQueue() {
        PublishRamp.Step kept = new PublishRamp.Step(1000, 2000, 2000, 0, 990, 1.0, 20, 0.5, 0.2, 0.1, 0.3, 0.1, 0.9, Double.NaN);
        assertTrue(kept.sustained());
        assertFalse(new PublishRamp.Step(1000, 2000, 2000, 0, 900, 1.0, 20, 0.5, 0.2, 0.1, 0.3, 0.1, 0.9, Double.NaN).sustained());
        assertFalse(new PublishRamp.Step(1000, 2000, 1999, 1, 990, 1.0, 20, 0.5, 0.2, 0.1, 0.3, 0.1, 0.9, Double.NaN).sustained());
        assertFalse(new PublishRamp.Step(1000, 2000, 2000, 0, 990, 0.98, 20, 0.5, 0.2, 0.1, 0.3, 0.1, 0.9, Double.NaN).sustained());
        PublishRamp.Step queued = new PublishRamp.Step(1000, 2000, 2000, 0, 990, 1.0, 1500, 0.5, 0.2, 0.1, 0.3, 0.1, 0.9, Double.NaN);
        assertFalse(queued.sustained());
        assertTrue(queued.shortfall().contains("p99 1,500 ms"), queued.shortfall());
    }
}
