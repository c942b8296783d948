package dev.rtkit.bench.run;

import dev.rtkit.bench.load.Dialect;
import dev.rtkit.bench.load.Transport;
import java.util.List;

/** A server under test: rtkit, the raw-Jetty baseline, or a peer library; its URLs and the transports it serves. */
enum Kind {
    RTKIT("rtkit", "/rt", Dialect.RTKIT, List.of(Transport.values())),
    BASELINE("baseline", "/base", Dialect.RTKIT, List.of(Transport.values())),
    COMETD("CometD", "/cometd", Dialect.COMETD, List.of(Transport.WEBSOCKET, Transport.LONGPOLL)),
    ATMOSPHERE("Atmosphere", "/atmo", Dialect.ATMOSPHERE,
            List.of(Transport.WEBSOCKET, Transport.SSE, Transport.STREAM, Transport.LONGPOLL));

    static final List<Kind> PEERS = List.of(COMETD, ATMOSPHERE);

    final String label;
    final String basePath;
    final Dialect dialect;
    final List<Transport> transports;

    Kind(String label, String basePath, Dialect dialect, List<Transport> transports) {
        this.label = label;
        this.basePath = basePath;
        this.dialect = dialect;
        this.transports = transports;
    }

    /** The argument {@code BenchServer} takes. */
    String serverArg() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    boolean serves(Transport t) {
        return transports.contains(t);
    }

    boolean isPeer() {
        return PEERS.contains(this);
    }
}
