package dev.rtkit.internal.log;

import dev.rtkit.spi.TopicLog;
import dev.rtkit.spi.TopicLogFactory;
import java.util.ServiceLoader;

/** Chooses the log named by the init-param {@code log}: {@code memory}, or the first factory that accepts it. */
public final class TopicLogs {
    private TopicLogs() {
    }

    public static TopicLog create(String spec, TopicLogFactory.Options options) {
        if (spec == null || spec.isEmpty() || spec.equals(MemoryLog.NAME)) {
            return new MemoryLog(options);
        }
        // The web application's loader first: rtkit-redis.jar sits in WEB-INF/lib even when the plugin is server-wide.
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        for (ClassLoader loader : new ClassLoader[] {context, TopicLogs.class.getClassLoader()}) {
            if (loader == null) {
                continue;
            }
            for (TopicLogFactory factory : ServiceLoader.load(TopicLogFactory.class, loader)) {
                if (factory.accepts(spec)) {
                    return factory.create(spec, options);
                }
            }
        }
        String hint = spec.startsWith("redis")
                ? ": add rtkit-redis.jar to WEB-INF/lib for a Redis log"
                : ": use 'memory' or a Redis URI such as redis://localhost:6379";
        throw new IllegalArgumentException("no topic log for '" + redact(spec) + "'" + hint);
    }

    /** A URI's password must not reach the log. */
    public static String redact(String spec) {
        return spec.replaceAll("//[^@/]*@", "//***@");
    }
}
