package dev.rtkit.testing;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;

/** Jetty HttpClients over HTTP/1.1 and over HTTP/2 cleartext (h2c, prior knowledge). */
public enum Clients {
    HTTP_1_1, H2C;

    public HttpClient create() throws Exception {
        ClientConnector connector = new ClientConnector();
        connector.setSelectors(1);
        HttpClient client = switch (this) {
            case HTTP_1_1 -> new HttpClient(new HttpClientTransportOverHTTP(connector));
            case H2C -> new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client(connector)));
        };
        client.setMaxConnectionsPerDestination(10_000);
        client.setMaxRequestsQueuedPerDestination(100_000);
        client.setIdleTimeout(120_000);
        client.start();
        return client;
    }
}
