/**
 * The raw-Jetty baseline: the same wire shapes as rtkit with none of its guarantees beyond a small replay ring
 * (no validation, no gaps, no slow-consumer policy), written the way a minimal servlet or endpoint would be.
 */
package dev.rtkit.bench.baseline;
