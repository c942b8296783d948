/**
 * What rtkit counts: the {@link dev.rtkit.internal.metrics.Metrics} seam the hub and transports call, a no-op, and
 * the Micrometer binding (the only place Micrometer is referenced, so rtkit runs without it).
 */
package dev.rtkit.internal.metrics;
