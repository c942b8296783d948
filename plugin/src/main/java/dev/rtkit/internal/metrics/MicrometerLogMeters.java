package dev.rtkit.internal.metrics;

import dev.rtkit.spi.LogMonitor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.UnaryOperator;

/** {@code rtkit.log.errors{operation}} and {@code rtkit.log.rereads{reason}}: one counter per value, made up front. */
final class MicrometerLogMeters implements LogMonitor {
    private final Counter[] errors = new Counter[Operation.values().length];
    private final Counter[] rereads = new Counter[Reread.values().length];

    MicrometerLogMeters(MeterRegistry registry, UnaryOperator<Counter> keep) {
        for (Operation o : Operation.values()) {
            errors[o.ordinal()] = keep.apply(Counter.builder("rtkit.log.errors").tag("operation", o.tag())
                    .description("calls to the log's store (Redis) that failed").register(registry));
        }
        for (Reread r : Reread.values()) {
            rereads[r.ordinal()] = keep.apply(Counter.builder("rtkit.log.rereads").tag("reason", r.tag())
                    .description("topics read again from the log's store because this node may have missed something")
                    .register(registry));
        }
    }

    @Override
    public void failed(Operation operation) {
        errors[operation.ordinal()].increment();
    }

    @Override
    public void reread(Reread reason) {
        rereads[reason.ordinal()].increment();
    }
}
