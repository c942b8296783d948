package dev.rtkit.redis;

import static org.awaitility.Awaitility.await;

import dev.rtkit.internal.log.TopicLogContract;
import dev.rtkit.spi.TopicLog;
import dev.rtkit.spi.TopicLogFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The log contract, against a real redis-server shared by the tests of this class (topic names differ). */
class RedisTopicLogContractTest extends TopicLogContract {
    private static RedisServer redis;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @Override
    protected TopicLog newLog(TopicLogFactory.Options options) {
        return new RedisTopicLogFactory().create(redis.uri(), options);
    }

    @Override
    protected void awaitReadable(TopicLog.Topic topic, long seq) {
        await().atMost(5, TimeUnit.SECONDS).until(() -> topic.lastSeq() >= seq);
    }
}
