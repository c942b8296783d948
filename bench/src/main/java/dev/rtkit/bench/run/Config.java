package dev.rtkit.bench.run;

import dev.rtkit.bench.load.Transport;
import java.util.List;

/**
 * What one run does. {@code quick} is the short one, {@code full} is the published one, {@code smoke} is
 * the seconds-long CI check that a report comes out; {@code profile} runs the HTTP push transports longer, for JFR.
 *
 * @param steadyTransports   transports in the steady scenario (a moderate rate, for latency)
 * @param steadySubscribers  subscribers on the one topic
 * @param steadyRate         messages published per second (open loop)
 * @param loadTransports     transports in the throughput scenario (a high rate, for CPU efficiency)
 * @param loadSubscribers    subscribers in the throughput scenario
 * @param loadRate           messages per second in the throughput scenario
 * @param warmupSeconds      publishing before measuring, per transport
 * @param measureSeconds     the measured window, per transport
 * @param pollMillis         the poll transport's interval
 * @param idleTransports     transports whose idle connections are counted and weighed
 * @param idleConnections    idle connections opened per transport (target held per server JVM)
 * @param fanoutTransports   transports for the one-publish-to-many scenario
 * @param fanoutSubscribers  subscribers receiving the one publish
 * @param fanoutRepeats      measured publishes (after a few unmeasured)
 * @param payloadBytes       size of the published JSON payload
 * @param perAgent           connections per load-generator process (the 20,000-descriptor limit)
 * @param kinds              the servers in the run: rtkit, the baseline and the peers
 * @param repeats            measured windows per transport and server in the delivery scenarios (median reported)
 * @param warmSeconds        publishing to every server on every transport before anything is measured (JIT)
 */
record Config(String name, List<Transport> steadyTransports, int steadySubscribers, double steadyRate,
        List<Transport> loadTransports, int loadSubscribers, double loadRate,
        double warmupSeconds, double measureSeconds, long pollMillis,
        List<Transport> idleTransports, int idleConnections,
        List<Transport> fanoutTransports, int fanoutSubscribers, int fanoutRepeats,
        int payloadBytes, int perAgent, List<Kind> kinds, int repeats, double warmSeconds) {

    static final List<Transport> ALL = List.of(Transport.WEBSOCKET, Transport.SSE, Transport.STREAM,
            Transport.LONGPOLL, Transport.POLL);
    static final List<Transport> PUSH = List.of(Transport.WEBSOCKET, Transport.SSE, Transport.STREAM);
    static final List<Transport> HELD = List.of(Transport.WEBSOCKET, Transport.SSE, Transport.STREAM, Transport.LONGPOLL);

    static final List<Kind> EVERY = List.of(Kind.RTKIT, Kind.BASELINE, Kind.COMETD, Kind.ATMOSPHERE);

    static Config named(String name) {
        return switch (name) {
            case "quick" -> new Config("quick", ALL, 200, 50, List.of(Transport.WEBSOCKET, Transport.SSE, Transport.LONGPOLL),
                    500, 100, 1.5, 3, 200, HELD, 2_000, List.of(Transport.WEBSOCKET), 2_000, 10, 128, 7_500, EVERY, 1, 1.5);
            // The peers' transports first (WebSocket, long-poll), so a run cut short still has the comparisons.
            case "full" -> new Config("full", List.of(Transport.WEBSOCKET, Transport.LONGPOLL, Transport.SSE, Transport.STREAM,
                    Transport.POLL), 1_000, 10, List.of(Transport.WEBSOCKET, Transport.LONGPOLL, Transport.SSE),
                    2_000, 50, 2, 4, 200, List.of(Transport.WEBSOCKET, Transport.LONGPOLL, Transport.SSE), 15_000,
                    List.of(Transport.WEBSOCKET), 10_000, 20, 128, 7_500, EVERY, 3, 2);
            // CI's seconds-long check: rtkit, the baseline and CometD (Atmosphere needs a Java 21+ runtime CI may lack).
            case "smoke" -> new Config("smoke", ALL, 10, 20, List.of(), 0, 0,
                    0.3, 0.7, 100, List.of(Transport.SSE), 20, List.of(Transport.SSE), 10, 2, 128, 7_500,
                    List.of(Kind.RTKIT, Kind.BASELINE, Kind.COMETD), 1, 0);
            // Where rtkit's CPU goes beside the baseline and CometD, with --jfr: the steady load, longer windows.
            case "profile" -> new Config("profile", List.of(Transport.WEBSOCKET, Transport.LONGPOLL), 1_000, 10,
                    List.of(), 0, 0, 2, 12, 200, List.of(), 0, List.of(), 0, 0, 128, 7_500,
                    List.of(Kind.RTKIT, Kind.BASELINE, Kind.COMETD), 1, 2);
            // The same at the throughput scenario's rate, WebSocket only, rtkit beside CometD.
            case "profile-throughput" -> new Config("profile-throughput", List.of(Transport.WEBSOCKET), 500, 100,
                    List.of(), 0, 0, 2, 12, 200, List.of(), 0, List.of(), 0, 0, 128, 7_500,
                    List.of(Kind.RTKIT, Kind.COMETD), 1, 2);
            // The steady scenario's request-per-delivery transports (200 × 50 msg/s), rtkit beside the baseline, windows
            // long enough that a JIT compile or a GC does not decide the CPU per request.
            case "profile-poll" -> new Config("profile-poll", List.of(Transport.LONGPOLL, Transport.POLL), 200, 50,
                    List.of(), 0, 0, 3, 12, 200, List.of(), 0, List.of(), 0, 0, 128, 7_500,
                    List.of(Kind.RTKIT, Kind.BASELINE), 1, 3);
            default -> throw new IllegalArgumentException("unknown mode " + name + ": quick, full or smoke");
        };
    }

    /** Drops the transports the server does not offer yet (WebSocket before it is merged). */
    Config without(List<Transport> missing) {
        return new Config(name, minus(steadyTransports, missing), steadySubscribers, steadyRate,
                minus(loadTransports, missing), loadSubscribers, loadRate, warmupSeconds, measureSeconds, pollMillis,
                minus(idleTransports, missing), idleConnections, minus(fanoutTransports, missing), fanoutSubscribers,
                fanoutRepeats, payloadBytes, perAgent, kinds, repeats, warmSeconds);
    }

    /** The same run without the servers that could not start. */
    Config withKinds(List<Kind> started) {
        return new Config(name, steadyTransports, steadySubscribers, steadyRate, loadTransports, loadSubscribers, loadRate,
                warmupSeconds, measureSeconds, pollMillis, idleTransports, idleConnections, fanoutTransports,
                fanoutSubscribers, fanoutRepeats, payloadBytes, perAgent, started, repeats, warmSeconds);
    }

    /** The same run with {@code seconds} of unmeasured publishing to every server on every transport first. */
    Config withWarm(double seconds) {
        return new Config(name, steadyTransports, steadySubscribers, steadyRate, loadTransports, loadSubscribers, loadRate,
                warmupSeconds, measureSeconds, pollMillis, idleTransports, idleConnections, fanoutTransports,
                fanoutSubscribers, fanoutRepeats, payloadBytes, perAgent, kinds, repeats, seconds);
    }

    private static List<Transport> minus(List<Transport> list, List<Transport> missing) {
        return list.stream().filter(t -> !missing.contains(t)).toList();
    }
}
