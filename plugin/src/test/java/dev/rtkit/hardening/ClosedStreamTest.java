package dev.rtkit.hardening;

import dev.rtkit.testing.Clients;
import dev.rtkit.testing.LineStream;
import dev.rtkit.testing.TestServer;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client that resets its h2 SSE stream frees its subscription and its connection permit within seconds, long
 * before the next heartbeat would find out. (Over HTTP/1.1 a closed socket is only noticed at the next write: the
 * heartbeat.)
 */
class ClosedStreamTest {
    /** Far longer than the test waits: only the close itself may free the stream. */
    private static final int HEARTBEAT_MILLIS = 60_000;
    private static final Duration PROMPTLY = Duration.ofSeconds(3);

    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = new TestServer().param("heartbeatIntervalMillis", HEARTBEAT_MILLIS).start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void aResetH2StreamFreesItsPermitPromptly() throws Exception {
        HttpClient h2 = Clients.H2C.create();
        try {
            LineStream closing = LineStream.open(h2, server.uri("/rt/sse/t"));
            try (LineStream healthy = LineStream.open(h2, server.uri("/rt/sse/healthy"))) {
                Awaitility.await().atMost(PROMPTLY).until(() -> server.hub().subscriptionCount() == 2);
                closing.close();
                Awaitility.await().atMost(PROMPTLY).until(() -> server.hub().subscriptionCount() == 1);
            }
        } finally {
            h2.stop();
        }
    }
}
