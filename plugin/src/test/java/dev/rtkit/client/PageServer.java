package dev.rtkit.client;

import dev.rtkit.Payload;
import dev.rtkit.internal.hub.Hub;
import dev.rtkit.testing.TestServer;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.ee10.servlet.DefaultServlet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * A {@link TestServer} that also serves rtkit.js from the plugin's {@code META-INF/resources} (as any Servlet
 * container serves a jar's resources) and the test pages under {@code rtkit-pages/}, over HTTP/1.1 on the
 * plain connector and over h2 on a TLS connector (ALPN h2, http/1.1; a keytool self-signed certificate).
 */
final class PageServer implements AutoCloseable {
    private static final String PASSWORD = "rtkit-test";
    private static Path keyStore;

    /** How the browser reaches the page: plain HTTP/1.1, or TLS where ALPN picks h2. */
    enum Protocol {
        HTTP_1_1("http/1.1"), H2("h2");

        final String alpn;

        Protocol(String alpn) {
            this.alpn = alpn;
        }
    }

    private final TestServer server;
    private final Queue<String> requests = new ConcurrentLinkedQueue<>();
    private ServerConnector tls;

    private PageServer(TestServer server) {
        this.server = server;
    }

    static PageServer start(Map<String, String> params) throws Exception {
        TestServer ts = new TestServer();
        params.forEach(ts::param);
        PageServer ps = new PageServer(ts);
        ts.setup((server, context) -> {
            servePages(context);
            context.addFilter(new FilterHolder(ps.recorder()), "/rt/*", EnumSet.of(DispatcherType.REQUEST));
            ps.tls = tlsConnector(server);
            server.addConnector(ps.tls);
        });
        ts.start();
        return ps;
    }

    static PageServer start() throws Exception {
        return start(Map.of());
    }

    /** Keeps "path?query" of every request to rtkit, to see what the client told the server. */
    private Filter recorder() {
        return (request, response, chain) -> {
            HttpServletRequest http = (HttpServletRequest) request;
            requests.add(http.getRequestURI() + (http.getQueryString() == null ? "" : "?" + http.getQueryString()));
            chain.doFilter(request, response);
        };
    }

    /** "path?query" of the requests to rtkit so far, in arrival order. */
    List<String> requests() {
        return List.copyOf(requests);
    }

    private static void servePages(ServletContextHandler context) {
        ResourceFactory resources = ResourceFactory.of(context);
        context.setBaseResource(ResourceFactory.combine(
                resources.newClassLoaderResource("META-INF/resources/"),
                resources.newClassLoaderResource("rtkit-pages/")));
        ServletHolder pages = new ServletHolder("pages", DefaultServlet.class);
        pages.setInitParameter("dirAllowed", "false");
        pages.setInitParameter("cacheControl", "no-store");
        context.addServlet(pages, "/");
        ServletHolder silent = new ServletHolder("silent", SilentStreamServlet.class);
        silent.setAsyncSupported(true);
        context.addServlet(silent, "/silent/*");
        silent.getRegistration().addMapping("/repeating/*");
    }

    private static ServerConnector tlsConnector(Server server) {
        HttpConfiguration config = new HttpConfiguration();
        config.addCustomizer(new SecureRequestCustomizer());
        HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(config);
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
        alpn.setDefaultProtocol("http/1.1");
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStorePath(keyStore().toString());
        ssl.setKeyStorePassword(PASSWORD);
        ssl.setCipherComparator(HTTP2Cipher.COMPARATOR);
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, alpn.getProtocol()), alpn, h2,
                new HttpConnectionFactory(config));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        return connector;
    }

    /** A self-signed certificate for localhost and 127.0.0.1 (without the IP SAN Jetty answers 400 Invalid SNI). */
    static synchronized Path keyStore() {
        if (keyStore != null) {
            return keyStore;
        }
        try {
            Path dir = Files.createDirectories(Path.of("target", "test-tls"));
            Path file = dir.resolve("rtkit-test-" + ProcessHandle.current().pid() + ".p12");
            Files.deleteIfExists(file);
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-alias", "rtkit", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "7",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                    "-keystore", file.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            file.toFile().deleteOnExit();
            keyStore = file;
            return file;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The page at path: http://127.0.0.1 for HTTP/1.1, https://127.0.0.1 on the TLS connector for h2. */
    URI page(Protocol protocol, String path) {
        return switch (protocol) {
            case HTTP_1_1 -> server.uri(path);
            case H2 -> URI.create("https://127.0.0.1:" + tls.getLocalPort() + "/").resolve(path);
        };
    }

    Hub hub() {
        return server.hub();
    }

    /** Publishes {"n":n} to topic on the server side, as JSON. */
    String publish(String topic, int n) {
        return hub().publish(topic, Payload.json("{\"n\":" + n + "}"), null).toCompletableFuture().join().id().toString();
    }

    /**
     * The server goes away: every connector stops (closing every connection it holds) and nothing is accepted
     * until {@link #restore()}, which listens again on the same ports.
     */
    void outage() throws Exception {
        for (Connector c : server.server().getConnectors()) {
            ServerConnector sc = (ServerConnector) c;
            sc.setPort(sc.getLocalPort());
            List<org.eclipse.jetty.io.EndPoint> open = new ArrayList<>(sc.getConnectedEndPoints());
            sc.stop();
            // Stopping closes the connections; make sure, so no half-open one survives the outage.
            open.forEach(org.eclipse.jetty.io.EndPoint::close);
        }
    }

    /** The application restarts (subscribers told to reconnect, history lost): clients come back to a new epoch. */
    void restartApplication() throws Exception {
        server.restartApplication();
    }

    void restore() throws Exception {
        for (Connector c : server.server().getConnectors()) {
            c.start();
        }
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
