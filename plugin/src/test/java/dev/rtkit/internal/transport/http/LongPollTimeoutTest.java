package dev.rtkit.internal.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rtkit.testing.Clients;
import dev.rtkit.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.Test;

/**
 * A long-poll of ten seconds or more is timed by rtkit's probe every second instead of a container timer per poll:
 * parked polls nobody publishes to are all answered, empty, once their time is up, and not before.
 */
class LongPollTimeoutTest {
    private static final long TIMEOUT_MILLIS = 10 * Exchanges.TICK.toMillis();

    @Test
    void parkedLongPollsOfTenSecondsAreAnsweredEmptyByTheSweepOnceTheirTimeIsUp() throws Exception {
        try (TestServer server = new TestServer().param("longPollTimeoutMillis", TIMEOUT_MILLIS).start()) {
            HttpClient client = Clients.HTTP_1_1.create();
            try {
                String cursor = HttpTransportsTest.JSON.readTree(
                        client.GET(server.uri("/rt/poll/quiet")).getContentAsString()).get("cursor").asText();
                long start = System.nanoTime();
                List<CompletableFuture<ContentResponse>> replies = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    replies.add(new CompletableResponseListener(client.newRequest(server.uri("/rt/longpoll/quiet?since=" + cursor))
                            .timeout(60, TimeUnit.SECONDS)).send());
                }
                HttpTransportsTest.await(() -> server.hub().subscriptionCount() == replies.size(), "the long-polls to park");
                CompletableFuture.allOf(replies.toArray(new CompletableFuture<?>[0])).get(40, TimeUnit.SECONDS);
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(millis >= TIMEOUT_MILLIS, "answered after " + millis + " ms, before the timeout");
                for (CompletableFuture<ContentResponse> reply : replies) {
                    assertEquals(200, reply.get().getStatus());
                    JsonNode batch = HttpTransportsTest.JSON.readTree(reply.get().getContentAsString());
                    assertEquals(0, batch.get("messages").size());
                    assertEquals(cursor, batch.get("cursor").asText());
                }
                HttpTransportsTest.await(() -> server.hub().subscriptionCount() == 0, "timed-out long-polls to release");
            } finally {
                client.stop();
            }
        }
    }
}
