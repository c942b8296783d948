package dev.rtkit.internal.transport;

import java.time.Duration;
import java.util.List;

/**
 * What the transports need to know of the configuration (see the servlet edge's {@code Settings} for units and
 * defaults).
 *
 * @param maxBatch               most events taken from a subscriber's backlog at once
 * @param maxTopicsPerConnection topics one connection may subscribe to
 * @param longPollTimeout        how long a long-poll waits
 * @param heartbeatInterval      idle time after which streams get a heartbeat and WebSockets a ping
 * @param sseRetry               the SSE {@code retry:} hint
 * @param allowedOrigins         WebSocket origins allowed besides same-origin; {@code *} for any
 * @param streamProbeInterval    how often an idle HTTP/1.x stream is probed for a closed client; zero: never
 */
public record TransportOptions(int maxBatch, int maxTopicsPerConnection, Duration longPollTimeout,
                               Duration heartbeatInterval, Duration sseRetry, List<String> allowedOrigins,
                               Duration streamProbeInterval) {
}
