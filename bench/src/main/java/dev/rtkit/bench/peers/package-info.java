/**
 * The peers rtkit is measured against in the same run, each served by {@code BenchServer} in a JVM of its own:
 * CometD 8 ({@code CometDServlet} with its WebSocket and long-polling transports) and Atmosphere 4
 * ({@code AtmosphereServlet}, a broadcaster per topic). Each takes publishes at {@code POST /publish/{topic}},
 * as rtkit does, and hands them to the library's own server-side broadcast.
 */
package dev.rtkit.bench.peers;
