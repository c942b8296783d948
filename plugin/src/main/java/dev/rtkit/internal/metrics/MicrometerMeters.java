package dev.rtkit.internal.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The registry rtkit records into, and every meter rtkit registered there, so they can leave it together. */
final class MicrometerMeters {
    final MeterRegistry registry;
    private final List<Meter> kept = new CopyOnWriteArrayList<>();

    MicrometerMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    <M extends Meter> M keep(M meter) {
        kept.add(meter);
        return meter;
    }

    void removeAll() {
        kept.forEach(registry::remove);
        kept.clear();
    }
}
