/**
 * The load generator: an agent JVM holding subscribers on Jetty's non-blocking HttpClient and WebSocketClient,
 * driven by the runner over stdin/stdout, recording publish-to-receipt latency with HdrHistogram.
 */
package dev.rtkit.bench.load;
