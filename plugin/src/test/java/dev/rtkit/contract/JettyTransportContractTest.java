package dev.rtkit.contract;

import dev.rtkit.testing.TestServer;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The transport contract on embedded Jetty 12 (ee10). */
class JettyTransportContractTest extends TransportContract {
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = new TestServer().start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Override
    protected URI base() {
        return server.uri();
    }
}
