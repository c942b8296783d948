package dev.rtkit.redis;

import dev.rtkit.contract.TransportContract;
import dev.rtkit.testing.TestServer;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The transport contract on embedded Jetty with the Redis log (a fresh redis-server per test). */
class RedisTransportContractTest extends TransportContract {
    private RedisServer redis;
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start();
        server = new TestServer().param("log", redis.uri()).start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        redis.close();
    }

    @Override
    protected URI base() {
        return server.uri();
    }
}
