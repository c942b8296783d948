package dev.rtkit.internal.transport.command;

import java.util.List;

/**
 * Subscribe to {@code topics} (one or more, as one subscription) from {@code since}, a cursor or null for "from now".
 */
public record Subscribe(List<String> topics, String since) implements Command {
    public Subscribe {
        topics = List.copyOf(topics);
    }
}
