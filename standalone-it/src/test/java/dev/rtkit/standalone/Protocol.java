package dev.rtkit.standalone;

import dev.rtkit.testing.Clients;
import java.net.URI;
import java.nio.file.Path;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** How the test reaches the standalone Jetty: its HTTP connector (h1 or h2c) or its TLS connector (ALPN h2). */
enum Protocol {
    HTTP_1_1(HttpVersion.HTTP_1_1),
    H2C(HttpVersion.HTTP_2),
    TLS_H2(HttpVersion.HTTP_2);

    final HttpVersion version;

    Protocol(HttpVersion version) {
        this.version = version;
    }

    /** http://127.0.0.1:port or https://127.0.0.1:port of the matching connector. */
    URI origin(StandaloneJetty jetty) {
        return this == TLS_H2
                ? URI.create("https://127.0.0.1:" + jetty.sslPort())
                : URI.create("http://127.0.0.1:" + jetty.httpPort());
    }

    /** ws:// or wss:// form of {@link #origin}. */
    URI webSocketOrigin(StandaloneJetty jetty) {
        return this == TLS_H2
                ? URI.create("wss://127.0.0.1:" + jetty.sslPort())
                : URI.create("ws://127.0.0.1:" + jetty.httpPort());
    }

    /** A started client; for TLS it trusts the test's keystore and checks the host name, so the SAN is checked too. */
    HttpClient newClient(StandaloneJetty jetty) throws Exception {
        return switch (this) {
            case HTTP_1_1 -> Clients.HTTP_1_1.create();
            case H2C -> Clients.H2C.create();
            case TLS_H2 -> tlsH2(jetty.keystore());
        };
    }

    private static HttpClient tlsH2(Path keystore) throws Exception {
        SslContextFactory.Client tls = new SslContextFactory.Client();
        tls.setTrustStorePath(keystore.toString());
        tls.setTrustStorePassword(StandaloneJetty.KEYSTORE_PASSWORD);
        tls.setTrustStoreType("PKCS12");
        ClientConnector connector = new ClientConnector();
        connector.setSelectors(1);
        connector.setSslContextFactory(tls);
        // Over TLS the HTTP/2 transport negotiates h2 with ALPN (jetty-alpn-java-client).
        HttpClient client = new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client(connector)));
        client.setIdleTimeout(120_000);
        client.start();
        return client;
    }
}
