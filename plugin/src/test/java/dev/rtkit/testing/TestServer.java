package dev.rtkit.testing;

import dev.rtkit.internal.hub.Hub;
import dev.rtkit.servlet.RealtimeServlet;
import dev.rtkit.internal.servlet.Engine;
import dev.rtkit.servlet.RtkitListener;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
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
 * A real Jetty 12 with rtkit mapped at /rt/*, on 127.0.0.1 and a free port, speaking HTTP/1.1 and h2c on
 * one connector. Configure with init-params as web.xml would.
 */
public final class TestServer implements AutoCloseable {
    private final Map<String, String> params = new LinkedHashMap<>();
    private final List<BiConsumer<Server, ServletContextHandler>> setups = new ArrayList<>();
    private int maxThreads = 200;
    private String staticResources;
    private Server server;
    private ServletContextHandler context;
    private ServerConnector connector;

    public TestServer param(String name, Object value) {
        params.put(name, String.valueOf(value));
        return this;
    }

    /** Also serves the test-classpath directory {@code dir} at / (test pages). */
    public TestServer staticResources(String dir) {
        this.staticResources = dir;
        return this;
    }

    public TestServer maxThreads(int n) {
        this.maxThreads = n;
        return this;
    }

    /** Extra set-up run just before start (another connector, static pages…); the defaults stay as they are. */
    public TestServer setup(BiConsumer<Server, ServletContextHandler> step) {
        setups.add(step);
        return this;
    }

    public TestServer start() throws Exception {
        QueuedThreadPool pool = new QueuedThreadPool(maxThreads, Math.min(8, maxThreads));
        pool.setName("test-server");
        server = new Server(pool);
        HttpConfiguration config = new HttpConfiguration();
        connector = new ServerConnector(server, new HttpConnectionFactory(config), new HTTP2CServerConnectionFactory(config));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.setAcceptQueueSize(4096);
        server.addConnector(connector);

        context = new ServletContextHandler("/");
        ServletHolder holder = new ServletHolder("rtkit", RealtimeServlet.class);
        holder.setAsyncSupported(true);
        holder.setInitOrder(1);
        holder.setInitParameters(params);
        context.addServlet(holder, "/rt/*");
        context.addEventListener(new RtkitListener());
        if (staticResources != null) {
            context.setBaseResource(org.eclipse.jetty.util.resource.ResourceFactory.of(context)
                    .newClassLoaderResource(staticResources));
            context.addServlet(org.eclipse.jetty.ee10.servlet.DefaultServlet.class, "/");
        }
        JakartaWebSocketServletContainerInitializer.configure(context, null);
        server.setHandler(context);
        setups.forEach(step -> step.accept(server, context));
        server.start();
        return this;
    }

    /** http://127.0.0.1:port */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    public URI uri(String path) {
        return uri().resolve(path);
    }

    public int port() {
        return connector.getLocalPort();
    }

    public Hub hub() {
        return Engine.from(context.getServletContext()).hub();
    }

    /** The application's rtkit engine: its guard, transports and settings, for tests that look inside. */
    public Engine engine() {
        return Engine.from(context.getServletContext());
    }

    /** The public facade, as an application sees it. */
    public dev.rtkit.Rtkit rtkit() {
        return dev.rtkit.Rtkit.from(context.getServletContext());
    }

    public Server server() {
        return server;
    }

    /** Stops and starts the web application: a new hub, so a new epoch and an empty history. */
    public void restartApplication() throws Exception {
        context.stop();
        context.start();
    }

    /** Stops the web application alone, as a graceful shutdown does before the connections close. */
    public void stopApplication() throws Exception {
        context.stop();
    }

    @Override
    public void close() throws Exception {
        if (server != null) {
            server.stop();
        }
    }
}
