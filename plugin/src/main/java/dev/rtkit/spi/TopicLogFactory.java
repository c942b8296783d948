package dev.rtkit.spi;

import java.time.Duration;
import java.util.Map;

/**
 * Makes the {@link TopicLog} named by the init-param {@code log}: {@code memory} (the default) or, for example, a
 * Redis URI. Found with {@link java.util.ServiceLoader} (a {@code META-INF/services/dev.rtkit.spi.TopicLogFactory}
 * entry in the implementation's jar); the first factory that {@link #accepts} the value makes the log.
 */
public interface TopicLogFactory {

    /** True when this factory makes logs for {@code spec}, the init-param's value, e.g. {@code redis://host:6379}. */
    boolean accepts(String spec);

    /**
     * Makes the log; throws {@link IllegalArgumentException} with a message naming what is wrong when {@code spec}
     * or a parameter is invalid (start-up fails with it).
     */
    TopicLog create(String spec, Options options);

    /**
     * What every log honours, from the rtkit servlet's init-params.
     *
     * @param historySize     messages retained per topic (count bound)
     * @param historyMaxAge   how long a message is retained (age bound)
     * @param historyMaxBytes bytes the log may retain in this JVM in total (payloads and cached encodings)
     * @param parameters      every init-param of the rtkit servlet, for a log's own settings (e.g. a password)
     * @param monitor         where a log with a store reports its errors and re-reads (rtkit's meters)
     */
    record Options(int historySize, Duration historyMaxAge, long historyMaxBytes, Map<String, String> parameters,
                   LogMonitor monitor) {

        /** Options reporting to no monitor. */
        public Options(int historySize, Duration historyMaxAge, long historyMaxBytes, Map<String, String> parameters) {
            this(historySize, historyMaxAge, historyMaxBytes, parameters, LogMonitor.NONE);
        }

        /** These options, reporting to {@code monitor}. */
        public Options monitoredBy(LogMonitor monitor) {
            return new Options(historySize, historyMaxAge, historyMaxBytes, parameters, monitor);
        }
    }
}
