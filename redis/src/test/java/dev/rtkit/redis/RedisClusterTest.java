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
import java.util.concurrent.TimeUnit;
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
}
