package dev.rtkit.bench.run;

import dev.rtkit.bench.peers.AtmospherePeer;
import dev.rtkit.bench.peers.CometdPeer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The lines at the top of a report: how it was run, on what, in which order, and how to read it. */
final class RunHeader {
    private RunHeader() {
    }

    /** The command that reproduces the run. */
    static String command(Config c, Set<Scenario> scenarios) {
        return "bench/run.sh" + (c.name().equals("full") ? "" : " --" + c.name())
                + (scenarios.equals(Scenario.defaults(c.name())) ? "" : " --scenarios=" + Scenario.ids(scenarios));
    }

    static void write(Report r, RunContext run, Set<Scenario> scenarios, Instant started, String loadBefore, boolean ws,
            List<String> missing) throws Exception {
        Config c = run.config;
        Map<Kind, ServerProcess> servers = run.servers;
        String loadAfter = RunContext.loadAverage();
        r.line("- run: `" + command(c, scenarios) + "` at "
                + started.truncatedTo(ChronoUnit.SECONDS) + ", " + Math.round((Instant.now().toEpochMilli() - started.toEpochMilli()) / 1000.0)
                + " s; commit " + System.getProperty("bench.commit", "unknown"));
        r.line("- machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version")
                + ", load average before `" + loadBefore + "`, after `" + loadAfter + "`");
        if (!run.loads.isEmpty()) {
            Cell l = Cell.of(run.loads);
            r.line("- 1-minute load average after each measured delivery window: median " + Report.number(l.median(), 2)
                    + ", min " + Report.number(l.min(), 2) + ", max " + Report.number(l.max(), 2) + " (" + l.n() + " windows; "
                    + "the " + Runtime.getRuntime().availableProcessors() + " cores are shared with other work on this machine)");
        }
        ServerProcess rtkit = servers.get(Kind.RTKIT);
        r.line("- servers: each in its own JVM (`-Xms2g -Xmx2g`, G1; rtkit and baseline on Java " + (rtkit == null ? "?" : rtkit.java)
                + "), Jetty 12.1 ee10, HTTP/1.1 on 127.0.0.1; rtkit = "
                + "`RealtimeServlet` + `RtkitListener` at /rt/*"
                + (servers.containsKey(Kind.BASELINE) ? "; baseline = a minimal async servlet (blocking write + flush per "
                + "subscriber from the publishing thread, as Jetty's EventSourceServlet) and a Jakarta WebSocket endpoint "
                + "broadcasting with `getAsyncRemote().sendText`, in the same wire shapes, without history, cursors, gaps or validation" : ""));
        if (servers.containsKey(Kind.COMETD)) {
            r.line("- CometD 8.0.9 (Java " + servers.get(Kind.COMETD).java + "): `CometDServlet` at /cometd/*, transports "
                    + "`JettyWebSocketTransport` (websocket) and `JSONHttpTransport` (long-polling), a broadcast channel "
                    + "`/t/<topic>` per topic; set: " + CometdPeer.SETTINGS + ". Clients: the bench's own Bayeux "
                    + "(handshake, subscribe, `/meta/connect` loop, as CometD's JavaScript client) on Jetty's HttpClient / "
                    + "WebSocketClient, not CometD's Java client, so every server is driven by the same client code. "
                    + "Publishes: `POST /publish/{topic}` to a servlet that parses the JSON and calls "
                    + "`ServerChannel.publish` from a server-side `LocalSession`");
        }
        if (servers.containsKey(Kind.ATMOSPHERE)) {
            r.line("- Atmosphere 4.0.0 (Java " + servers.get(Kind.ATMOSPHERE).java + ", as atmosphere-runtime 4 is Java 21 "
                    + "bytecode): `AtmosphereServlet` at /atmo/* with `ReflectorServletProcessor` (Atmosphere's own handler "
                    + "writes each broadcast), `JSR356AsyncSupport`, a `DefaultBroadcaster` `/<topic>` per topic, default "
                    + "interceptors and thread pools (its performance page says to change nothing after 1.0.12); set: "
                    + AtmospherePeer.settings() + ". "
                    + "Clients: `?X-Atmosphere-Transport=websocket|sse|streaming|long-polling` (long-polls resend the "
                    + "tracking id, as atmosphere.js). Publishes: `POST /publish/{topic}` to a servlet calling "
                    + "`Broadcaster.broadcast` with the body");
        }
        missing.forEach(r::line);
        if (scenarios.stream().anyMatch(Scenario.COMPARED::contains)) {
            r.line("- order: every server is first warmed on every steady transport, nothing measured: runs of "
                    + Report.number(c.warmSeconds(), 1) + " s at the steady shape (" + c.steadySubscribers()
                    + " subscribers) until its CPU stops falling (2 to 6), then one at the throughput rate; then per "
                    + "transport the servers run in a new random order each repeat ("
                    + c.repeats() + (c.repeats() == 1 ? " window" : " windows") + " per transport and server)");
        }
        r.line("- scenarios: " + Scenario.ids(scenarios) + (scenarios.containsAll(Set.of(Scenario.values())) ? " (all)" : ""));
        r.line("- server CPU: the server process's own `ProcessCpuTime` over the measured window less its JIT compiler threads' "
                + "(shown per window); clients and publisher run in other JVMs on the same cores, so the machine is shared "
                + "and figures are noisy");
        r.line("- ratio = rtkit ÷ baseline (above 1 is better for throughput, worse for latency, bytes and memory)"
                + (scenarios.contains(Scenario.CLUSTER) || scenarios.contains(Scenario.METRICS)
                        ? "; in the cluster table cluster ÷ single node, in the metrics table on ÷ off" : "")
                + "; goals are printed, not asserted");
        if (!ws) {
            r.line("- **websocket**: not in this build of rtkit yet, so its rows are missing");
        }
    }
}
