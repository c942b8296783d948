package dev.rtkit.bench.server;

import dev.rtkit.bench.baseline.BaselineHub;
import dev.rtkit.bench.baseline.BaselineServlet;
import dev.rtkit.bench.baseline.BaselineWebSocket;
import dev.rtkit.bench.peers.AtmospherePeer;
import dev.rtkit.bench.peers.CometdPeer;
import dev.rtkit.servlet.RealtimeServlet;
import dev.rtkit.servlet.RtkitListener;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The server under test in its own JVM, so its CPU time is its own: {@code BenchServer rtkit} serves rtkit at
 * {@code /rt/*} (as the plugin's TestServer does; {@code BenchServer rtkit redis://host:port} on the Redis topic log of
 * rtkit-redis.jar, one node of a cluster), {@code BenchServer baseline} the raw-Jetty baseline at
 * {@code /base/*}, {@code cometd} and {@code atmosphere} the peers (see {@link CometdPeer}, {@link AtmospherePeer}).
 * All serve {@code /bench/stats}. Prints {@code PORT <n>} on stdout when started.
 */
public final class BenchServer {
    /** Long-polls wait longer than any measurement window, so an idle long-poll stays parked. */
    public static final int LONG_POLL_TIMEOUT_MILLIS = 30_000;

    private BenchServer() {
    }

    public static void main(String[] args) throws Exception {
        String kind = args.length > 0 ? args[0] : "rtkit";
        QueuedThreadPool pool = new QueuedThreadPool(200, 8);
        pool.setName("bench-server");
        Server server = new Server(pool);
        HttpConfiguration config = new HttpConfiguration();
        // Every server under test gets the connector the README recommends for many parked requests: no header
        // cache (with it each connection's parser holds a char[] trie of ~48 KiB after its first request).
        // RTKIT_BENCH_HEADER_CACHE=<bytes> restores one, to measure what the cache saves in parsing CPU.
        config.setHeaderCacheSize(headerCacheSize());
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config),
                new HTTP2CServerConnectionFactory(config));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        // Connect bursts of thousands of clients overflow the default backlog of 50.
        connector.setAcceptQueueSize(8192);
        // The baseline sends no heartbeats: an idle stream must outlive the longest scenario.
        connector.setIdleTimeout(300_000);
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder("stats", new StatsServlet(connector)), "/bench/stats");
        if (kind.equals("rtkit")) {
            rtkit(context, args.length > 1 ? args[1] : null);
        } else if (kind.equals("baseline")) {
            baseline(context);
        } else if (kind.equals("cometd")) {
            CometdPeer.install(server, context, LONG_POLL_TIMEOUT_MILLIS);
        } else if (kind.equals("atmosphere")) {
            AtmospherePeer.install(context, LONG_POLL_TIMEOUT_MILLIS);
        } else {
            throw new IllegalArgumentException("kind must be rtkit, baseline, cometd or atmosphere, not " + kind);
        }
        server.setHandler(context);
        server.start();
        if (kind.equals("atmosphere")) {
            AtmospherePeer.started();
        }
        System.out.println("PORT " + connector.getLocalPort());
        System.out.flush();
        server.join();
    }

    /** Jetty's header cache size for every connector: 0 (none) unless {@code RTKIT_BENCH_HEADER_CACHE} says otherwise. */
    static int headerCacheSize() {
        String env = System.getenv("RTKIT_BENCH_HEADER_CACHE");
        return env == null || env.isBlank() ? 0 : Integer.parseInt(env.trim());
    }

    private static final boolean METRICS = "on".equals(System.getProperty("rtkit.bench.metrics"));

    private static void rtkit(ServletContextHandler context, String log) {
        ServletHolder holder = new ServletHolder("rtkit", RealtimeServlet.class);
        holder.setAsyncSupported(true);
        holder.setInitOrder(1);
        Map<String, String> params = new HashMap<>(Map.of(
                "longPollTimeoutMillis", String.valueOf(LONG_POLL_TIMEOUT_MILLIS),
                // The load generator sends no Origin header; allow any so the check never interferes.
                "allowedOrigins", "*",
                // The bench measures delivery, not the guard: its limits sit far above the load.
                // (maxConnections below the descriptor limit run.sh sets, 20000, or start-up fails.)
                "maxConnections", "19000",
                "maxConnectionsPerAddress", "19000",
                "maxPublishRate", "1000000",
                "maxPublishRatePerAddress", "1000000",
                "maxPublishesInFlightPerAddress", "100000",
                "maxTopicsPerAddress", "100000",
                // -Drtkit.bench.metrics=on records into a Prometheus registry (what an operator runs); off records nothing.
                "metrics", METRICS ? "on" : "off"));
        if (log != null) {
            // Several nodes sharing topics through Redis, as the README's "Several nodes" runs them.
            params.put("log", log);
        }
        holder.setInitParameters(params);
        if (METRICS) {
            context.setAttribute("dev.rtkit.meterRegistry",
                    new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT));
        }
        context.addServlet(holder, "/rt/*");
        context.addEventListener(new RtkitListener());
        JakartaWebSocketServletContainerInitializer.configure(context, null);
    }

    private static void baseline(ServletContextHandler context) {
        BaselineHub hub = new BaselineHub();
        ServletHolder holder = new ServletHolder("baseline", new BaselineServlet(hub, LONG_POLL_TIMEOUT_MILLIS));
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/base/*");
        JakartaWebSocketServletContainerInitializer.configure(context, (servletContext, container) ->
                container.addEndpoint(ServerEndpointConfig.Builder.create(BaselineWebSocket.class, "/base/ws")
                        .configurator(new ServerEndpointConfig.Configurator() {
                            @Override
                            public <T> T getEndpointInstance(Class<T> type) {
                                return type.cast(new BaselineWebSocket(hub));
                            }
                        })
                        .build()));
    }
}
