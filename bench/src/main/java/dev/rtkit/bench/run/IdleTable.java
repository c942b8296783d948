package dev.rtkit.bench.run;

import dev.rtkit.bench.load.Transport;
import java.util.EnumMap;
import java.util.Map;

/** Idle connections per transport and server: how many are held and what each costs in heap and direct memory. */
final class IdleTable {
    private IdleTable() {
    }

    static Table build(RunContext run) {
        Config c = run.config;
        Table t = new Table("idle", "Idle connections: " + String.format("%,d", c.idleConnections()) + " per transport and server",
                "Connections opened from " + run.agents.size() + " load-generator JVM(s) on 127.0.0.x source addresses, "
                        + "then the server's heap (after full GCs) and direct memory are weighed against before, not "
                        + "counting buffers idle in Jetty's buffer pool (they belong to no connection). "
                        + "Poll holds no connection and is left out. Servers in a random order per transport.");
        for (Transport tr : c.idleTransports()) {
            rows(run, t, tr, false);
        }
        if (c.idleTransports().contains(Transport.LONGPOLL)) {
            // Over HTTP/2 many parked long-polls share a connection: what is left per poll is the request's own state.
            rows(run, t, Transport.LONGPOLL, true);
            t.notes.add("longpoll h2c: the same long-polls over HTTP/2 without TLS (prior knowledge, Jetty's HTTP/2 client), "
                    + "as many to a connection as the server's stream limit allows (Jetty's default, 128): held = HTTP/2 "
                    + "streams open on the server, memory per parked long-poll.");
        }
        t.chart("idle-memory", "Server memory per idle connection, KiB", "heap + direct / connection (KiB)");
        t.notes.add("A CometD connection also holds its Bayeux session (and, for WebSocket, a held `/meta/connect`); an "
                + "Atmosphere one its `AtmosphereResource`, kept in the topic's broadcaster.");
        return t;
    }

    private static void rows(RunContext run, Table t, Transport tr, boolean h2c) {
        Config c = run.config;
        String n = tr.wireName() + (h2c ? " h2c" : "");
        Map<Kind, Measurements.Idle> m = new EnumMap<>(Kind.class);
        for (Kind k : run.shuffled(run.servers.keySet().stream().filter(x -> x.serves(tr)).toList())) {
            run.progress.say("idle %s %s: %,d connections", n, k.label, c.idleConnections());
            try {
                Measurements.Idle i = run.scenarios.idle(run.servers.get(k), tr, c.idleConnections(), h2c);
                m.put(k, i);
                run.progress.say("  held %,d (server sees %,d, on %,d connections), %.2f KiB heap + %.2f KiB direct each",
                        i.held(), i.serverHeld(), i.serverConnections(), i.heapKiBPerConnection(), i.directKiBPerConnection());
            } catch (Exception e) {
                run.progress.say("  failed: %s", e);
                t.notes.add("**" + n + " on " + k.label + " failed:** `" + e + "`");
            }
        }
        Goal[] held = c.idleConnections() >= 15_000 ? new Goal[] {Goal.atLeast(15_000, "≥ 15,000 per JVM")} : new Goal[0];
        t.row(n, "connections held", Figures.single(m, x -> x.held()), 0, held);
        if (h2c) {
            t.row(n, "TCP connections", Figures.single(m, x -> x.serverConnections()), 0);
        }
        t.row(n, "heap / connection (KiB)", Figures.single(m, Measurements.Idle::heapKiBPerConnection), 2);
        t.row(n, "direct / connection (KiB)", Figures.single(m, Measurements.Idle::directKiBPerConnection), 2);
        double limit = tr == Transport.WEBSOCKET ? 16 : 24;
        t.row(n, "heap + direct / connection (KiB)", Figures.single(m, Measurements.Idle::totalKiBPerConnection), 2,
                Goal.atMost(limit, "≤ " + (int) limit + " KiB"));
    }
}
