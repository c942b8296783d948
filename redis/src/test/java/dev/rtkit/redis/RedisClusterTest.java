package dev.rtkit.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rtkit.Message;
import dev.rtkit.Payload;
import dev.rtkit.spi.TopicLog;
import dev.rtkit.spi.TopicLogFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rtkit.testing.Clients;
import dev.rtkit.testing.TestServer;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;
import org.junit.jupiter.api.Test;

/** Two logs on a real three-master Redis Cluster: topics spread over the shards, sharded pub/sub between nodes. */
class RedisClusterTest {
    private static final TopicLogFactory.Options OPTIONS =
            new TopicLogFactory.Options(100, Duration.ofMinutes(5), 64L << 20, Map.of());

    @Test
    void topicsOnEveryShardReachTheOtherNodeInOrder() throws Exception {
        try (RedisCluster cluster = RedisCluster.start()) {
            TopicLog a = new RedisTopicLogFactory().create(cluster.uri(), OPTIONS);
            TopicLog b = new RedisTopicLogFactory().create(cluster.uri(), OPTIONS);
            try {
                List<TopicLog.Topic> onA = new ArrayList<>();
                List<TopicLog.Topic> onB = new ArrayList<>();
                for (int t = 0; t < 12; t++) {
                    onA.add(a.open("shard-" + t, () -> { }));
                    onB.add(b.open("shard-" + t, () -> { }));
                }
                List<List<Message>> sent = new ArrayList<>();
                for (int t = 0; t < 12; t++) {
                    List<Message> mine = new ArrayList<>();
                    for (int i = 0; i < 5; i++) {
                        mine.add(onA.get(t).append(Payload.text("m" + i), null, System.currentTimeMillis())
                                .toCompletableFuture().join());
                    }
                    sent.add(mine);
                }
                for (int t = 0; t < 12; t++) {
                    TopicLog.Topic there = onB.get(t);
                    await().atMost(10, TimeUnit.SECONDS).until(() -> there.lastSeq() == 5);
                    assertEquals(sent.get(t).stream().map(Message::id).toList(),
                            there.readAfter(0, 10).messages().stream().map(Message::id).toList());
                }
            } finally {
                a.close();
                b.close();
            }
        }
    }

    @Test
    void twoJettyNodesOnTheClusterServeEachOthersPublishesOverSse() throws Exception {
        ObjectMapper json = new ObjectMapper();
        try (RedisCluster cluster = RedisCluster.start();
                TestServer a = new TestServer().param("log", cluster.uri()).start();
                TestServer b = new TestServer().param("log", cluster.uri()).start()) {
            HttpClient http = Clients.HTTP_1_1.create();
            try {
                String cursor = json.readTree(http.GET(a.uri("/rt/poll/clustered")).getContentAsString()).get("cursor").asText();
                Roamer onB = new Roamer(http, java.net.http.HttpClient.newHttpClient(), "clustered", cursor).enough(3);
                CompletableFuture<Void> sse = CompletableFuture.runAsync(
                        () -> onB.session("sse", b.uri(), System.currentTimeMillis() + 20_000));
                List<String> sent = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    ContentResponse r = http.newRequest(a.uri("/rt/publish/clustered")).method(HttpMethod.POST)
                            .body(new StringRequestContent("m" + i)).send();
                    assertEquals(202, r.getStatus(), r.getContentAsString());
                    sent.add(json.readTree(r.getContentAsString()).get("id").asText());
                }
                sse.get(30, TimeUnit.SECONDS);
                assertEquals(sent, onB.ids);
            } finally {
                http.stop();
            }
        }
    }
}
