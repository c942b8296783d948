package dev.rtkit.demosite;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The bench's soak: every attack family of {@link AttackFromOutsideTest}, round after round against one demo JVM,
 * for {@code -Drtkit.soak.minutes} (default 30), then the live heap after the last round must be within 32 MiB of
 * the heap after the first. Not a CI test (its name does not end in Test): run it with {@code bench/soak.sh}.
 */
class AttackSoak extends AttackFromOutsideTest {

    @Test
    @Order(100)
    void everyFamilyRoundAfterRoundLeavesAFlatHeap() throws Exception {
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(Long.getLong("rtkit.soak.minutes", 30));
        List<Long> heaps = new ArrayList<>();
        while (System.nanoTime() < end || heaps.size() < 2) {
            round++;
            bigPublishesToManyTopicsAreKeptWithinTheByteBudget();
            everyFeatureWorksAgainAndNothingFailed();
            idleKeepAliveConnectionsAreBoundedPerAddressAndInTotal();
            everyFeatureWorksAgainAndNothingFailed();
            slowBodiesHoldNoThreadsAndAreAnswered408Or429();
            everyFeatureWorksAgainAndNothingFailed();
            slowHeaderDripsAndStalledHandshakesAreCutAtTheDeadline();
            everyFeatureWorksAgainAndNothingFailed();
            unknownTopicNamesTakeNoPlaceAndOneAddressCannotFillTheTable();
            everyFeatureWorksAgainAndNothingFailed();
            ForkedDemo.Usage usage = demo.usage();
            heaps.add(usage.heapMib());
            System.out.printf("[soak] round %d: %s%n", round, usage);
        }
        long first = heaps.get(0);
        long last = heaps.get(heaps.size() - 1);
        System.out.printf("[soak] %d rounds, live heap after each (MiB): %s%n", heaps.size(), heaps);
        assertTrue(last <= first + 32, "the heap stays flat: " + heaps);
    }
}
