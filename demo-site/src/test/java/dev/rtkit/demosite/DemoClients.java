package dev.rtkit.demosite;

import java.nio.file.Path;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** Jetty HttpClients for each way into the demo: HTTP/1.1, h2c, TLS h2 (ALPN) and TLS http/1.1. */
enum DemoClients {
    HTTP_1_1(false, "HTTP/1.1"), H2C(false, "HTTP/2.0"), TLS_H2(true, "HTTP/2.0"), TLS_HTTP_1_1(true, "HTTP/1.1");

    final boolean tls;
    final String serverSees;

    DemoClients(boolean tls, String serverSees) {
        this.tls = tls;
        this.serverSees = serverSees;
    }

    HttpClient create() throws Exception {
        return create(trustAll());
    }

    /** A client whose TLS trusts exactly the demo keystore's certificate and checks the host name against it. */
    HttpClient create(Path trustStore) throws Exception {
        SslContextFactory.Client tls = new SslContextFactory.Client();
        tls.setTrustStorePath(trustStore.toString());
        tls.setTrustStorePassword(SelfSignedKeystore.PASSWORD);
        tls.setTrustStoreType("PKCS12");
        tls.setEndpointIdentificationAlgorithm("HTTPS");
        return create(tls);
    }

    private static SslContextFactory.Client trustAll() {
        SslContextFactory.Client tls = new SslContextFactory.Client();
        tls.setTrustAll(true);
        return tls;
    }

    private HttpClient create(SslContextFactory.Client tls) throws Exception {
        ClientConnector connector = new ClientConnector();
        connector.setSelectors(1);
        connector.setSslContextFactory(tls);
        HttpClient client = switch (this) {
            case HTTP_1_1, TLS_HTTP_1_1 -> new HttpClient(new HttpClientTransportOverHTTP(connector));
            case H2C, TLS_H2 -> new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client(connector)));
        };
        client.setFollowRedirects(false);
        client.start();
        return client;
    }

    String base(DemoSite site) {
        return tls ? "https://127.0.0.1:" + site.httpsPort() : "http://127.0.0.1:" + site.httpPort();
    }
}
