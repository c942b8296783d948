package dev.rtkit.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtkit.testing.Clients;
import dev.rtkit.testing.LineStream;
import dev.rtkit.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Connection and rate limits answer clearly (429 / 503) and free up when connections end. */
class LimitsTest {
    private TestServer server;
    private HttpClient client;

    private void start(Object... params) throws Exception {
        server = new TestServer();
        for (int i = 0; i < params.length; i += 2) {
            server.param((String) params[i], params[i + 1]);
        }
        server.start();
        client = Clients.HTTP_1_1.create();
    }

    @AfterEach
    void stop() throws Exception {
        client.stop();
        server.close();
    }

    private ContentResponse get(String path) throws Exception {
        return client.newRequest(server.uri(path)).timeout(10, TimeUnit.SECONDS).send();
    }

    @Test
    void connectionsBeyondThePerAddressLimitGet429UntilOneCloses() throws Exception {
        start("maxConnectionsPerAddress", 2, "heartbeatIntervalMillis", 100);
        LineStream first = LineStream.open(client, server.uri("/rt/sse/a"));
        try (LineStream second = LineStream.open(client, server.uri("/rt/stream/a"))) {
            ContentResponse refused = get("/rt/sse/a");
            assertEquals(429, refused.getStatus());
            assertTrue(refused.getContentAsString().contains("too many connections from your address"));
            first.close();
            awaitStatus("/rt/poll/a", 200);
            try (LineStream third = LineStream.open(client, server.uri("/rt/sse/a"))) {
                assertEquals(200, third.response().getStatus());
            }
        }
    }

    private void awaitStatus(String path, int status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        // The closed stream frees its slot once the server notices the disconnect (a heartbeat at the latest).
        while (server.hub().subscriptionCount() > 1) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the closed stream was never released");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
        }
        assertEquals(status, get(path).getStatus());
    }

    @Test
    void connectionsBeyondTheServerLimitGet503() throws Exception {
        start("maxConnections", 1);
        try (LineStream held = LineStream.open(client, server.uri("/rt/sse/a"))) {
            assertEquals(200, held.response().getStatus());
            ContentResponse refused = get("/rt/longpoll/a");
            assertEquals(503, refused.getStatus());
            assertTrue(refused.getContentAsString().contains("connection limit"));
            assertEquals(200, get("/rt/poll/a").getStatus(), "one-shot polls hold no connection");
        }
    }

    @Test
    void publishingFasterThanTheRateGets429() throws Exception {
        start("maxPublishRate", 5);
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < 20; i++) {
            ContentResponse r = client.newRequest(server.uri("/rt/publish/fast")).method(HttpMethod.POST)
                    .body(new StringRequestContent("text/plain", "m" + i, StandardCharsets.UTF_8)).send();
            if (r.getStatus() == 202) {
                accepted++;
            } else {
                assertEquals(429, r.getStatus());
                assertTrue(r.getContentAsString().contains("publishing too fast"));
                refused++;
            }
        }
        assertTrue(accepted >= 5 && accepted < 20, "accepted " + accepted);
        assertEquals(20 - accepted, refused);
    }
}
