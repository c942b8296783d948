package dev.rtkit.internal.servlet;

import dev.rtkit.Transport;
import dev.rtkit.internal.hub.HubConfig;
import dev.rtkit.internal.log.TopicLogs;
import dev.rtkit.spi.TopicLogFactory;
import dev.rtkit.spi.Authorizer;
import dev.rtkit.internal.transport.Guard;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.function.Function;

/**
 * rtkit's settings, read once from the {@code rtkit} servlet's init-params in web.xml. Absent means the
 * default below; an invalid value fails start-up naming the parameter and the value.
 */
public final class Settings {
    /** Comma-separated transports to enable: {@code poll,longpoll,stream,sse,websocket} (the default: all). */
    public static final String TRANSPORTS = "transports";
    /** Messages retained per topic. Default 1000. */
    public static final String HISTORY_SIZE = "historySize";
    /** How long a message is retained for resume. UNIT: seconds. Default 300. */
    public static final String HISTORY_MAX_AGE = "historyMaxAgeSeconds";
    /** Topics the server holds at once. Default 10000. */
    public static final String MAX_TOPICS = "maxTopics";
    /** Largest payload accepted (HTTP body or WebSocket publish). UNIT: bytes. Default 65536. */
    public static final String MAX_MESSAGE_SIZE = "maxMessageBytes";
    /** Topics one connection may subscribe to. Default 64. */
    public static final String MAX_TOPICS_PER_CONNECTION = "maxTopicsPerConnection";
    /** Most messages taken from a subscriber's backlog at once (one response, one write). Default 500. */
    public static final String MAX_BATCH = "maxBatch";
    /** How long a long-poll waits for a message. UNIT: milliseconds. Default 25000. */
    public static final String LONG_POLL_TIMEOUT = "longPollTimeoutMillis";
    /** Heartbeats on idle streams, SSE and WebSocket (ping). UNIT: milliseconds. Default 15000. */
    public static final String HEARTBEAT_INTERVAL = "heartbeatIntervalMillis";
    /** The SSE {@code retry:} the browser waits before reconnecting. UNIT: milliseconds. Default 2000. */
    public static final String SSE_RETRY = "sseRetryMillis";
    /**
     * How often an idle HTTP/1.x stream or SSE connection gets a probe (an empty line, an SSE comment) so a client's
     * close frees its permit; 0 turns probes off (a close is then seen at the next heartbeat). UNIT: milliseconds,
     * 0 or at least 1000. Default 1000.
     */
    public static final String STREAM_PROBE_INTERVAL = "streamProbeIntervalMillis";
    /** Origins allowed to open a WebSocket besides the page's own, comma-separated; {@code *} allows any. Default: none. */
    public static final String ALLOWED_ORIGINS = "allowedOrigins";

    /**
     * Long-lived connections (streams, SSE, parked long-polls, WebSockets) in total; beyond it 503 / close 1013.
     * Default: at most 20000, the descriptor limit less 512, the heap over 128 KiB; above the descriptor limit
     * start-up fails.
     */
    public static final String MAX_CONNECTIONS = "maxConnections";
    /** The same, per client IP address; beyond it 429 / close 1008. Default 1000. */
    public static final String MAX_CONNECTIONS_PER_ADDRESS = "maxConnectionsPerAddress";
    /** Publishes per second per connection (bursts of the same size allowed); beyond it 429 / error frame. Default 200. */
    public static final String MAX_PUBLISH_RATE = "maxPublishRate";
    /** Role a user needs to publish ({@code request.isUserInRole}); default: anyone may. */
    public static final String PUBLISH_ROLE = "publishRole";
    /** Role a user needs to subscribe; default: anyone may. */
    public static final String SUBSCRIBE_ROLE = "subscribeRole";
    /** Class name of a {@code dev.rtkit.spi.Authorizer} deciding per topic; default: none. */
    public static final String AUTHORIZER = "authorizer";
    /** The topic log: {@code memory} (the default) or a URI a {@code dev.rtkit.spi.TopicLogFactory} accepts, e.g. {@code redis://host:6379}. */
    public static final String LOG = "log";
    /** A password for the log (e.g. Redis AUTH), kept out of the URI; default: none. */
    public static final String LOG_PASSWORD = "logPassword";
    /** Bytes the log may retain in this JVM in total (payloads and cached encodings). UNIT: bytes. Default: a quarter of the heap, at most 256 MiB. */
    public static final String HISTORY_MAX_BYTES = "historyMaxBytes";

    /** {@code on} (the default): record Micrometer meters when Micrometer is on the class path; {@code off}: record nothing. */
    public static final String METRICS = "metrics";
    /** Topics held at once that one client address made (publish, live subscribe); beyond it 429. Default 1000. */
    public static final String MAX_TOPICS_PER_ADDRESS = "maxTopicsPerAddress";

    private static final List<String> KNOWN = Stream.concat(Stream.of(TRANSPORTS, HISTORY_SIZE, HISTORY_MAX_AGE, MAX_TOPICS,
            MAX_MESSAGE_SIZE, MAX_TOPICS_PER_CONNECTION, MAX_BATCH, LONG_POLL_TIMEOUT, HEARTBEAT_INTERVAL, SSE_RETRY,
            STREAM_PROBE_INTERVAL, ALLOWED_ORIGINS, MAX_CONNECTIONS, MAX_CONNECTIONS_PER_ADDRESS, MAX_PUBLISH_RATE, PUBLISH_ROLE, SUBSCRIBE_ROLE,
            AUTHORIZER, LOG, LOG_PASSWORD, HISTORY_MAX_BYTES, MAX_TOPICS_PER_ADDRESS, METRICS),
            PublishParams.NAMES.stream()).toList();

    private final Set<Transport> transports;
    private final HubConfig hub;
    private final int maxTopicsPerConnection;
    private final int maxBatch;
    private final Duration longPollTimeout;
    private final Duration heartbeatInterval;
    private final Duration sseRetry;
    private final Duration streamProbeInterval;
    private final List<String> allowedOrigins;
    private final Guard.Limits limits;
    private final Authorizer authorizer;
    private final String log;
    private final TopicLogFactory.Options logOptions;
    private final boolean metrics;

    private Settings(Map<String, String> params) {
        InitParams r = new InitParams(params);
        this.transports = r.get(TRANSPORTS, "poll,longpoll,stream,sse,websocket", InitParams::parseTransports);
        this.hub = new HubConfig(
                r.positiveInt(HISTORY_SIZE, 1000),
                Duration.ofSeconds(r.positiveInt(HISTORY_MAX_AGE, 300)),
                r.positiveInt(MAX_TOPICS, 10_000),
                r.positiveInt(MAX_MESSAGE_SIZE, 65_536),
                HubConfig.DEFAULTS.maxJsonDepth(),
                r.positiveInt(MAX_TOPICS_PER_ADDRESS, 1000));
        this.maxTopicsPerConnection = r.positiveInt(MAX_TOPICS_PER_CONNECTION, 64);
        this.maxBatch = r.positiveInt(MAX_BATCH, 500);
        this.longPollTimeout = Duration.ofMillis(r.positiveInt(LONG_POLL_TIMEOUT, 25_000));
        this.heartbeatInterval = Duration.ofMillis(r.positiveInt(HEARTBEAT_INTERVAL, 15_000));
        this.sseRetry = Duration.ofMillis(r.positiveInt(SSE_RETRY, 2_000));
        this.streamProbeInterval = Duration.ofMillis(r.offOrAtLeast(STREAM_PROBE_INTERVAL, 1_000, 1_000));
        this.allowedOrigins = r.get(ALLOWED_ORIGINS, "", InitParams::parseList);
        this.limits = new Guard.Limits(Capacity.checked(r.positiveInt(MAX_CONNECTIONS, Capacity.defaultMaxConnections())),
                r.positiveInt(MAX_CONNECTIONS_PER_ADDRESS, 1000),
                r.positiveInt(MAX_PUBLISH_RATE, 200), r.get(PUBLISH_ROLE, "", InitParams::emptyToNull),
                r.get(SUBSCRIBE_ROLE, "", InitParams::emptyToNull),
                PublishParams.read(r));
        this.authorizer = r.get(AUTHORIZER, "", InitParams::newAuthorizer);
        this.log = r.get(LOG, "memory", v -> v);
        this.logOptions = new TopicLogFactory.Options(hub.historySize(), hub.historyMaxAge(),
                r.positiveLong(HISTORY_MAX_BYTES, Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 4)), Map.copyOf(params));
        this.metrics = r.onOff(METRICS, true);
    }

    /** The {@code log} init-param: {@code memory} or a log's URI. */
    public String log() {
        return log;
    }

    public TopicLogFactory.Options logOptions() {
        return logOptions;
    }

    /** True when meters are to be recorded ({@code metrics=on}). */
    public boolean metrics() {
        return metrics;
    }

    /** Reads settings from init-params; unknown names are refused too, so a typo does not pass silently. */
    public static Settings from(Map<String, String> params) {
        for (String name : params.keySet()) {
            if (name.startsWith("rtkit.") || KNOWN.contains(name)) {
                continue;
            }
            throw new IllegalArgumentException("Unknown rtkit init-param '" + name + "'; known: " + KNOWN);
        }
        return new Settings(params);
    }

    /** All defaults. */
    public static Settings defaults() {
        return new Settings(Map.of());
    }

    public boolean enabled(Transport t) {
        return transports.contains(t);
    }

    public HubConfig hub() {
        return hub;
    }

    public int maxTopicsPerConnection() {
        return maxTopicsPerConnection;
    }

    public int maxBatch() {
        return maxBatch;
    }

    public Duration longPollTimeout() {
        return longPollTimeout;
    }

    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    public Duration sseRetry() {
        return sseRetry;
    }

    public Duration streamProbeInterval() {
        return streamProbeInterval;
    }

    public List<String> allowedOrigins() {
        return allowedOrigins;
    }

    public Guard.Limits limits() {
        return limits;
    }

    /** The configured authorizer, or null. */
    public Authorizer authorizer() {
        return authorizer;
    }

    /** Every setting with its effective value, for the start-up log. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(TRANSPORTS, transports);
        m.put(HISTORY_SIZE, hub.historySize());
        m.put(HISTORY_MAX_AGE, hub.historyMaxAge().toSeconds());
        m.put(MAX_TOPICS, hub.maxTopics());
        m.put(MAX_MESSAGE_SIZE, hub.maxMessageSize());
        m.put(MAX_TOPICS_PER_CONNECTION, maxTopicsPerConnection);
        m.put(MAX_BATCH, maxBatch);
        m.put(LONG_POLL_TIMEOUT, longPollTimeout.toMillis());
        m.put(HEARTBEAT_INTERVAL, heartbeatInterval.toMillis());
        m.put(SSE_RETRY, sseRetry.toMillis());
        m.put(STREAM_PROBE_INTERVAL, streamProbeInterval.toMillis());
        m.put(ALLOWED_ORIGINS, allowedOrigins);
        m.put(MAX_CONNECTIONS, limits.maxConnections());
        m.put(MAX_CONNECTIONS_PER_ADDRESS, limits.maxConnectionsPerAddress());
        m.put(MAX_PUBLISH_RATE, limits.maxPublishRate());
        m.put(PUBLISH_ROLE, limits.publishRole());
        m.put(SUBSCRIBE_ROLE, limits.subscribeRole());
        m.put(AUTHORIZER, authorizer == null ? null : authorizer.getClass().getName());
        m.put(LOG, TopicLogs.redact(log));
        m.put(HISTORY_MAX_BYTES, logOptions.historyMaxBytes());
        m.put(METRICS, metrics ? "on" : "off");
        m.put(MAX_TOPICS_PER_ADDRESS, hub.maxTopicsPerAddress());
        m.putAll(PublishParams.describe(limits.publish()));
        return m;
    }

}
