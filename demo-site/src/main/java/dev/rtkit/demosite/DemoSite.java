package dev.rtkit.demosite;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * {@code java -jar demo-site.jar [--host H] [--http-port N] [--https-port M] [--keystore FILE] [--redis URI]}: the rtkit demo
 * webapp on embedded Jetty 12 with one cleartext connector speaking HTTP/1.1 and h2c and one TLS connector
 * negotiating h2 or http/1.1 by ALPN.
 */
public final class DemoSite implements AutoCloseable {
    /** Context init-params telling the webapp where its other origin lives (the /limits and /push pages use them). */
    public static final String HTTP_PORT_PARAM = "dev.rtkit.demo.httpPort";
    public static final String HTTPS_PORT_PARAM = "dev.rtkit.demo.httpsPort";
    static final String WAR_RESOURCE = "/dev/rtkit/demosite/rtkit-webapp.war";

    private final Options options;
    private final Server server;
    private final ServerConnector http;
    private final ServerConnector https;
    private final Path workDir;
    private final ConnectorLimits limits = ConnectorLimits.forThisProcess();

    private DemoSite(Options options) throws Exception {
        this.options = options;
        this.workDir = Files.createTempDirectory("rtkit-demo-");
        QueuedThreadPool pool = new QueuedThreadPool(400, 8);
        pool.setName("demo-site");
        server = new Server(pool);
        limits.limitTotal(server);
        // Jetty's own 400/414/431 answers under /rt as rtkit's {"error":"…"}, not an HTML page.
        server.setErrorHandler(new JsonErrorHandler("/rt"));
        http = cleartextConnector();
        https = tlsConnector(SelfSignedKeystore.ensure(options.keystore(), options.host()));
        server.addConnector(http);
        server.addConnector(https);
    }

    /** Binds both ports, deploys the WAR and starts serving. Port 0 picks a free port. */
    public static DemoSite start(String... args) throws Exception {
        return start(Options.parse(Arrays.asList(args)));
    }

    static DemoSite start(Options options) throws Exception {
        DemoSite site = new DemoSite(options);
        try {
            site.run();
            return site;
        } catch (Exception e) {
            site.close();
            throw e;
        }
    }

    private void run() throws Exception {
        // Bind first so the webapp learns the real ports (0 means "any free port") before it starts.
        http.open();
        https.open();
        server.setHandler(webapp(extractWar()));
        server.start();
    }

    private HttpConfiguration httpConfiguration() {
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setSendXPoweredBy(false);
        limits.configure(config);
        return config;
    }

    private ServerConnector cleartextConnector() {
        HttpConfiguration config = httpConfiguration();
        // One port for both: HTTP/1.1 (with the h2c Upgrade) and h2c with prior knowledge (nghttp, Jetty HTTP2Client).
        HTTP2CServerConnectionFactory h2c = new HTTP2CServerConnectionFactory(H2HeaderLimit.configFor(config));
        h2c.setRateControlFactory(new RefusalTolerantRateControl.Factory());
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config), h2c);
        configure(connector, options.httpPort());
        return connector;
    }

    private ServerConnector tlsConnector(Path keystore) {
        HttpConfiguration config = httpConfiguration();
        config.setSecureScheme("https");
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // Any name of this machine may reach a wildcard bind; the certificate only names localhost and 127.0.0.1.
        secure.setSniHostCheck(!SelfSignedKeystore.isWildcard(options.host()));
        config.addCustomizer(secure);

        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStorePath(keystore.toString());
        tls.setKeyStorePassword(SelfSignedKeystore.PASSWORD);
        tls.setKeyStoreType("PKCS12");
        tls.setCipherComparator(HTTP2Cipher.COMPARATOR);

        HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(H2HeaderLimit.configFor(config));
        h2.setRateControlFactory(new RefusalTolerantRateControl.Factory());
        HttpConnectionFactory http11 = new HttpConnectionFactory(config);
        // h2 first: ALPN picks the server's preference among what the client offers; http/1.1 when ALPN is absent.
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory(h2.getProtocol(), http11.getProtocol());
        alpn.setDefaultProtocol(http11.getProtocol());
        SslConnectionFactory ssl = new SslConnectionFactory(tls, alpn.getProtocol());
        ServerConnector connector = new ServerConnector(server, ssl, alpn, h2, http11);
        configure(connector, options.httpsPort());
        return connector;
    }

    private void configure(ServerConnector connector, int port) {
        connector.setHost(options.host());
        connector.setPort(port);
        // The default backlog (50) overflows when a page or a load test opens many connections at once.
        connector.setAcceptQueueSize(4096);
        limits.configure(connector);
    }

    private WebAppContext webapp(Path war) throws IOException {
        WebAppContext webapp = new WebAppContext();
        webapp.setContextPath("/");
        webapp.setWar(war.toString());
        webapp.setTempDirectory(workDir.resolve("webapp").toFile());
        // A webapp that fails to deploy fails the launcher, instead of a server answering 503 to everything.
        webapp.setThrowUnavailableOnStartupException(true);
        // Parent first: the webapp's SLF4J then finds the launcher's Jetty logging instead of falling back to NOP.
        // Jetty's own classes stay hidden from the webapp either way.
        webapp.setParentLoaderPriority(true);
        webapp.setInitParameter(HTTP_PORT_PARAM, String.valueOf(http.getLocalPort()));
        webapp.setInitParameter(HTTPS_PORT_PARAM, String.valueOf(https.getLocalPort()));
        if (options.redis() != null) {
            webapp.addOverrideDescriptor(logOverride(options.redis()).toString());
        }
        return webapp;
    }

    /** An override web.xml setting the rtkit servlet's init-param {@code log} (Jetty merges it into the WAR's). */
    private Path logOverride(String uri) throws IOException {
        String escaped = uri.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        Path file = workDir.resolve("override-web.xml");
        Files.writeString(file, """
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                  <servlet><servlet-name>rtkit</servlet-name>
                    <init-param><param-name>log</param-name><param-value>%s</param-value></init-param>
                  </servlet>
                </web-app>
                """.formatted(escaped));
        return file;
    }

    private Path extractWar() throws IOException {
        Path war = workDir.resolve("rtkit-webapp.war");
        try (InputStream in = DemoSite.class.getResourceAsStream(WAR_RESOURCE)) {
            if (in == null) {
                throw new IOException("the webapp WAR is missing from the jar (" + WAR_RESOURCE + "); build with mvn package");
            }
            Files.copy(in, war, StandardCopyOption.REPLACE_EXISTING);
        }
        return war;
    }

    public int httpPort() {
        return http.getLocalPort();
    }

    public int httpsPort() {
        return https.getLocalPort();
    }

    /** {@code http://host:port/} (HTTP/1.1 and h2c). */
    public URI httpUri() {
        return URI.create("http://" + displayHost() + ":" + httpPort() + "/");
    }

    /** {@code https://host:port/} (h2 or http/1.1 by ALPN). */
    public URI httpsUri() {
        return URI.create("https://" + displayHost() + ":" + httpsPort() + "/");
    }

    public Path keystore() {
        return options.keystore();
    }

    private String displayHost() {
        String host = options.host();
        if (SelfSignedKeystore.isWildcard(host)) {
            return "127.0.0.1";
        }
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    void printUrls(PrintStream out) {
        out.println("rtkit demo is running:");
        out.println("  " + httpsUri() + "   HTTP/2 over TLS (self-signed certificate: accept the browser warning)");
        out.println("  " + httpUri() + "   HTTP/1.1, and h2c for clients that speak it");
        out.println("Pages: /  /race  /chat  /push  /limits");
        out.println("Certificate: " + options.keystore().toAbsolutePath() + " (made on first start, reused)");
        out.println("Stop with Ctrl+C.");
    }

    public void join() throws InterruptedException {
        server.join();
    }

    @Override
    public void close() throws Exception {
        try {
            // The web application first: rtkit then tells every client to reconnect (streams end cleanly,
            // WebSockets close with 1001, parked long-polls are answered) while the connections are still up.
            if (server.getHandler() != null && server.getHandler().isStarted()) {
                server.getHandler().stop();
            }
            server.stop();
        } finally {
            deleteRecursively(workDir);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
        }
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(Arrays.asList(args));
        } catch (Options.HelpRequested help) {
            System.out.print(Options.USAGE);
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("demo-site: " + e.getMessage());
            System.err.print(Options.USAGE);
            System.exit(2);
            return;
        }
        DemoSite site;
        try {
            site = start(options);
        } catch (IOException e) {
            String reason = e.getCause() instanceof BindException || e instanceof BindException
                    ? "cannot bind " + options.host() + " ports " + options.httpPort() + "/" + options.httpsPort()
                    + " (in use? try --http-port/--https-port): " + e.getMessage()
                    : e.getMessage();
            System.err.println("demo-site: " + reason);
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                site.close();
            } catch (Exception e) {
                System.err.println("demo-site: stopping: " + e);
            }
        }, "demo-site-shutdown"));
        site.printUrls(System.out);
        site.join();
    }
}
