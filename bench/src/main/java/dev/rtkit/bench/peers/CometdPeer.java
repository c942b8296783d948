package dev.rtkit.bench.peers;

import jakarta.servlet.ServletContext;
import org.cometd.bayeux.server.BayeuxServer;
import org.cometd.server.BayeuxServerImpl;
import org.cometd.server.JacksonJSONContextServer;
import org.cometd.server.http.JSONHttpTransport;
import org.cometd.server.http.jakarta.CometDServlet;
import org.cometd.server.websocket.jetty.JettyWebSocketTransport;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Context;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * CometD 8.0.9 at {@code /cometd/*}: {@code CometDServlet} over a {@link BayeuxServerImpl} with two transports,
 * Jetty WebSocket ({@code websocket}) and JSON over HTTP ({@code long-polling}); a topic is the broadcast channel
 * {@code /t/<topic>}. Publishes arrive at {@code POST /publish/{topic}} ({@link CometdPublishServlet}).
 */
public final class CometdPeer {
    /** What the report says was set, beside the CometD defaults. */
    public static final String SETTINGS = "jsonContext=JacksonJSONContextServer (CometD's faster JSON option), "
            + "timeout=30000 (held /meta/connect, as rtkit's long-poll), "
            + "ws.maxMessageSize=65536; everything else default (interval 0, maxInterval 10 s, no lazy channels, "
            + "no ack extension)";

    private CometdPeer() {
    }

    /** The channel a topic is broadcast on. */
    public static String channel(String topic) {
        return "/t/" + topic;
    }

    /** Starts with the server (the WebSocket container must exist first): call before {@code server.start()}. */
    public static BayeuxServerImpl install(Server server, ServletContextHandler context, long timeoutMillis) {
        context.insertHandler(WebSocketUpgradeHandler.from(server, context));
        BayeuxServerImpl bayeux = new BayeuxServerImpl();
        bayeux.setOption(Context.class.getName(), context.getContext());
        bayeux.setOption(ServletContext.class.getName(), context.getServletContext());
        bayeux.setOption("cometdURLMapping", "/cometd/*");
        bayeux.setOption(BayeuxServerImpl.TRANSPORTS_OPTION,
                JettyWebSocketTransport.class.getName() + "," + JSONHttpTransport.class.getName());
        bayeux.setOption("jsonContext", JacksonJSONContextServer.class.getName());
        bayeux.setOption("timeout", String.valueOf(timeoutMillis));
        bayeux.setOption("ws.timeout", String.valueOf(timeoutMillis));
        bayeux.setOption("ws.maxMessageSize", "65536");
        context.setAttribute(BayeuxServer.ATTRIBUTE, bayeux);
        // The context starts the Bayeux server (and its transports) before the servlets initialise.
        context.addBean(bayeux, true);
        ServletHolder cometd = new ServletHolder("cometd", CometDServlet.class);
        cometd.setAsyncSupported(true);
        cometd.setInitOrder(1);
        context.addServlet(cometd, "/cometd/*");
        ServletHolder publish = new ServletHolder("cometd-publish", new CometdPublishServlet(bayeux));
        context.addServlet(publish, "/publish/*");
        return bayeux;
    }
}
