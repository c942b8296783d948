package dev.rtkit.internal.log;

import dev.rtkit.spi.TopicLog;
import dev.rtkit.spi.TopicLogFactory;

/** The in-memory log meets the log contract. */
class MemoryLogTest extends TopicLogContract {

    @Override
    protected TopicLog newLog(TopicLogFactory.Options options) {
        return new MemoryLog(options);
    }
}
