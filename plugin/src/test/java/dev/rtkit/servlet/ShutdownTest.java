package dev.rtkit.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rtkit.testing.Clients;
import dev.rtkit.testing.LineStream;
import dev.rtkit.testing.TestServer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** On shutdown every subscriber is told to reconnect: streams end cleanly, parked long-polls are answered. */
class ShutdownTest {

    @ParameterizedTest
    @EnumSource(Clients.class)
    void stoppingTheApplicationEndsStreamsCleanlyAndAnswersLongPolls(Clients kind) throws Exception {
        try (TestServer server = new TestServer().param("longPollTimeoutMillis", 60_000).start()) {
            HttpClient client = kind.create();
            try {
                LineStream sse = LineStream.open(client, server.uri("/rt/sse/bye"));
                LineStream stream = LineStream.open(client, server.uri("/rt/stream/bye"));
                CompletableFuture<ContentResponse> longPoll = new CompletableResponseListener(
                        client.newRequest(server.uri("/rt/longpoll/bye")).timeout(60, TimeUnit.SECONDS)).send();
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (server.hub().subscriptionCount() < 3 && System.nanoTime() < deadline) {
                    java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
                }
                assertEquals(3, server.hub().subscriptionCount());

                server.stopApplication();

                assertTrue(sse.awaitEnd(Duration.ofSeconds(10)), "SSE stream ended");
                assertTrue(sse.endedCleanly(), "SSE stream completed, not reset");
                assertTrue(sse.raw().startsWith("retry: "), sse.raw());
                assertTrue(stream.awaitEnd(Duration.ofSeconds(10)), "NDJSON stream ended");
                assertTrue(stream.endedCleanly(), "NDJSON stream completed, not reset");
                ContentResponse answered = longPoll.get(10, TimeUnit.SECONDS);
                assertEquals(200, answered.getStatus());
                assertEquals(0, new ObjectMapper().readTree(answered.getContentAsString()).get("messages").size());
            } finally {
                client.stop();
            }
        }
    }
}
