package dev.rtkit.internal.metrics;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the {@link Metrics} of one application: Micrometer when it is on the class path (the registry the
 * application handed over, else Micrometer's global registry), {@link Metrics#NONE} otherwise. Micrometer's classes
 * are only touched after the check, so without it none is ever loaded.
 */
public final class MetricsBinding {
    /** The ServletContext attribute where an application puts its {@code io.micrometer.core.instrument.MeterRegistry}. */
    public static final String REGISTRY_ATTRIBUTE = "dev.rtkit.meterRegistry";
    private static final String MICROMETER = "io.micrometer.core.instrument.MeterRegistry";
    private static final Logger LOG = LoggerFactory.getLogger(MetricsBinding.class);

    private MetricsBinding() {
    }

    /**
     * @param registry the attribute's value, or null for the global registry
     * @throws IllegalArgumentException when {@code registry} is not a MeterRegistry
     */
    public static Metrics create(boolean enabled, Object registry) {
        if (!enabled) {
            return Metrics.NONE;
        }
        if (!micrometerPresent()) {
            if (registry != null) {
                LOG.warn("{} is set but Micrometer is not on rtkit's class path: no metrics", REGISTRY_ATTRIBUTE);
            }
            return Metrics.NONE;
        }
        return MicrometerMetrics.bind(registry);
    }

    static boolean micrometerPresent() {
        try {
            Class.forName(MICROMETER, false, MetricsBinding.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
