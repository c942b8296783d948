package dev.rtkit.redis;

import dev.rtkit.spi.TopicLog;
import dev.rtkit.spi.TopicLogFactory;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.Locale;

/**
 * Makes the Redis Streams log for {@code log=redis://host:port[/db]} ({@code rediss://} for TLS), or for a Redis
 * Cluster {@code log=redis-cluster://host:port} (any one node; {@code rediss-cluster://} for TLS). The password is
 * in the URI ({@code redis://:secret@host:6379}) or in the init-param {@code logPassword}, which wins. Found by
 * {@link java.util.ServiceLoader} from this jar's {@code META-INF/services}.
 */
public final class RedisTopicLogFactory implements TopicLogFactory {
    /** Init-param: the Redis password, when not in the URI (keeps it out of logs that print the URI). */
    public static final String PASSWORD = "logPassword";
    /** How long a command, a connect and a topic's first read may take before the log counts as unavailable. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** A stream outlives its newest entry by this much, so it never expires under a reader mid-read. */
    private static final long STREAM_TTL_MARGIN_MILLIS = 60_000;
    /** The epoch and last seq outlive the stream by a day: a cursor that late gets "expired", not "epoch". */
    private static final long META_TTL_EXTRA_MILLIS = Duration.ofDays(1).toMillis();

    @Override
    public boolean accepts(String spec) {
        String s = spec.toLowerCase(Locale.ROOT);
        return s.startsWith("redis://") || s.startsWith("rediss://") || cluster(s);
    }

    private static boolean cluster(String spec) {
        String s = spec.toLowerCase(Locale.ROOT);
        return s.startsWith("redis-cluster://") || s.startsWith("rediss-cluster://");
    }

    @Override
    public TopicLog create(String spec, Options options) {
        RedisURI uri = parse(spec, options.parameters().get(PASSWORD));
        long maxAge = options.historyMaxAge().toMillis();
        long streamTtl = maxAge + STREAM_TTL_MARGIN_MILLIS;
        Context.Limits limits = new Context.Limits(options.historySize(), maxAge, streamTtl,
                streamTtl + META_TTL_EXTRA_MILLIS, TIMEOUT);
        return new RedisTopicLog(uri, cluster(spec), limits, options.historyMaxBytes(), options.monitor());
    }

    static RedisURI parse(String spec, String password) {
        RedisURI uri;
        try {
            // A cluster is reached through any one of its nodes; Lettuce discovers the others.
            uri = RedisURI.create(cluster(spec) ? spec.replaceFirst("(?i)^(rediss?)-cluster://", "$1://") : spec);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid init-param log='" + redact(spec)
                    + "': expected redis://host:port[/db], rediss://host:port[/db] or redis-cluster://host:port");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("invalid init-param log='" + redact(spec) + "': no host");
        }
        RedisURI.Builder builder = RedisURI.builder(uri).withTimeout(TIMEOUT).withClientName("rtkit");
        if (password != null && !password.isEmpty()) {
            builder.withPassword(password.toCharArray());
        }
        return builder.build();
    }

    /** The spec without a password, for messages. */
    static String redact(String spec) {
        return spec.replaceAll("//[^@/]*@", "//***@");
    }
}
