/** Benchmarks rtkit against a raw-Jetty baseline: see {@code bench/run.sh} and {@link dev.rtkit.bench.run.Runner}. */
package dev.rtkit.bench;
