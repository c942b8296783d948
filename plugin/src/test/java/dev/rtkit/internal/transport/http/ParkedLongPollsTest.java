package dev.rtkit.internal.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rtkit.testing.Clients;
import dev.rtkit.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;
import org.junit.jupiter.api.Test;

/** Parked long-polls hold no thread: 2,000 of them on a 32-thread server, all answered by one publish. */
class ParkedLongPollsTest {
    private static final int PARKED = 2_000;

    @Test
    void twoThousandParkedLongPollsOnASmallThreadPoolAreAllAnsweredByOnePublish() throws Exception {
        try (TestServer server = new TestServer().maxThreads(32).param("longPollTimeoutMillis", 120_000)
                .param("maxConnectionsPerAddress", PARKED).start()) {
            HttpClient client = Clients.HTTP_1_1.create();
            try {
                String cursor = HttpTransportsTest.JSON.readTree(
                        client.GET(server.uri("/rt/poll/crowd")).getContentAsString()).get("cursor").asText();
                List<CompletableFuture<ContentResponse>> replies = new ArrayList<>();
                for (int i = 0; i < PARKED; i++) {
                    replies.add(new CompletableResponseListener(client.newRequest(server.uri("/rt/longpoll/crowd?since=" + cursor))
                            .timeout(120, TimeUnit.SECONDS)).send());
                }
                HttpTransportsTest.await(() -> server.hub().subscriptionCount() == PARKED, PARKED + " parked long-polls");
                long start = System.nanoTime();
                ContentResponse published = client.newRequest(server.uri("/rt/publish/crowd")).method(HttpMethod.POST)
                        .body(new StringRequestContent("text/plain", "go", StandardCharsets.UTF_8)).send();
                assertEquals(202, published.getStatus());
                CompletableFuture.allOf(replies.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                for (CompletableFuture<ContentResponse> reply : replies) {
                    JsonNode batch = HttpTransportsTest.JSON.readTree(reply.get().getContentAsString());
                    assertEquals("go", batch.get("messages").get(0).get("data").asText());
                }
                System.out.printf("%d parked long-polls answered %d ms after one publish (32 server threads)%n", PARKED, millis);
                HttpTransportsTest.await(() -> server.hub().subscriptionCount() == 0, "answered long-polls to release");
            } finally {
                client.stop();
            }
        }
    }
}
