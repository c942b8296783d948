package dev.rtkit.internal.transport.command;

import java.util.List;

/**
 * Subscribe to {@code topics} (one or more, as one subscription) from {@code since}, a cursor or null for "from now".
 *
 * @param eachTopic how a refusal of one of several topics is taken: true (HTTP), that topic is named as refused
 *                  and the others are served; false (WebSocket), the subscribe is refused as a whole
 */
public record Subscribe(List<String> topics, String since, boolean eachTopic) implements Command {
    public Subscribe {
        topics = List.copyOf(topics);
    }

    /** All or nothing, as a WebSocket subscribe frame is. */
    public Subscribe(List<String> topics, String since) {
        this(topics, since, false);
    }
}
