package dev.rtkit.bench.run;

import org.HdrHistogram.Histogram;

/** What the scenarios measure, with the figures derived from them. */
final class Measurements {
    private Measurements() {
    }

    /**
     * Messages flowing to subscribers over one measured window. Latency in microseconds. {@code cpuSeconds}: the
     * server's CPU without its JIT compiler's, which {@code compilerSeconds} is (see {@link ServerProcess.Stats}).
     */
    record Delivery(int subscribers, long published, long expected, long deliveries, double cpuSeconds,
            double compilerSeconds, double wallSeconds, long bytesOut, long requests, long lost, Histogram latency) {

        double perCpuSecond() {
            return deliveries / cpuSeconds;
        }

        double cores() {
            return cpuSeconds / wallSeconds;
        }

        /** The JIT compiler's share of all the server's CPU in the window, in %. */
        double compilerPercent() {
            return 100 * compilerSeconds / (cpuSeconds + compilerSeconds);
        }

        double percentileMillis(double p) {
            return latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(p) / 1000.0;
        }

        double bytesPerDelivery() {
            return bytesOut < 0 ? Double.NaN : (double) bytesOut / deliveries;
        }

        /** Server CPU per HTTP request the subscribers made: what a request-per-answer transport costs. */
        double cpuMicrosPerRequest() {
            return requests == 0 ? Double.NaN : cpuSeconds * 1e6 / requests;
        }

        double requestsPerDelivery() {
            return (double) requests / deliveries;
        }

        double deliveredRatio() {
            return expected == 0 ? Double.NaN : (double) deliveries / expected;
        }
    }

    /**
     * Idle subscribers and the memory they took on the server (after full collections). {@code serverHeld}: what the
     * server holds for them (connections, or HTTP/2 streams over h2c); {@code serverConnections}: its TCP connections.
     */
    record Idle(int target, int held, long serverHeld, long serverConnections, long heapBytes, long directBytes) {

        double heapKiBPerConnection() {
            return held == 0 ? Double.NaN : heapBytes / 1024.0 / held;
        }

        double directKiBPerConnection() {
            return held == 0 ? Double.NaN : directBytes / 1024.0 / held;
        }

        double totalKiBPerConnection() {
            return heapKiBPerConnection() + directKiBPerConnection();
        }
    }

    /** One publish to many: time from publish to the last subscriber's receipt, per repeat (microseconds). */
    record Fanout(int subscribers, int repeats, int incomplete, Histogram timeToLast) {

        double percentileMillis(double p) {
            return timeToLast.getTotalCount() == 0 ? Double.NaN : timeToLast.getValueAtPercentile(p) / 1000.0;
        }
    }
}
