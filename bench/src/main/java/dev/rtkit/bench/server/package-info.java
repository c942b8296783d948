/** The server under test, started as its own JVM: rtkit or the raw-Jetty baseline, plus a stats endpoint. */
package dev.rtkit.bench.server;
