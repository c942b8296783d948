package dev.rtkit.internal.log;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtkit.spi.TopicLogFactory;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicLogsTest {
    private static final TopicLogFactory.Options OPTIONS = new TopicLogFactory.Options(10, Duration.ofSeconds(1), 1 << 20, Map.of());

    @Test
    void memoryIsTheDefault() {
        assertInstanceOf(MemoryLog.class, TopicLogs.create(null, OPTIONS));
        assertInstanceOf(MemoryLog.class, TopicLogs.create("memory", OPTIONS));
    }

    @Test
    void aRedisUriWithoutTheRedisJarFailsNamingTheJarAndHidingThePassword() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TopicLogs.create("redis://user:s3cret@localhost:6379/0", OPTIONS));
        assertTrue(e.getMessage().contains("rtkit-redis.jar"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
    }

    @Test
    void anUnknownLogIsRefusedWithWhatIsAccepted() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TopicLogs.create("postgres://x", OPTIONS));
        assertTrue(e.getMessage().contains("'memory'"), e.getMessage());
    }
}
