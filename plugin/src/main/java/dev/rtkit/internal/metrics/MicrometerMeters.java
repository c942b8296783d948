package dev.rtkit.internal.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The registry rtkit records into, and every meter rtkit registered there, so they can leave it together. */
final class MicrometerMeters {
    final MeterRegistry registry;
    private final List<Meter> kept = new CopyOnWriteArrayList<>();
    private volatile boolean removed;

    MicrometerMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Keeps {@code meter} to remove it with the others; one made after they left (a late close) leaves at once. */
    <M extends Meter> M keep(M meter) {
        kept.add(meter);
        if (removed) {
            registry.remove(meter);
        }
        return meter;
    }

    void removeAll() {
        // Set first: a keep that missed the iteration below sees it and removes its own meter.
        removed = true;
        kept.forEach(registry::remove);
        kept.clear();
    }
}
