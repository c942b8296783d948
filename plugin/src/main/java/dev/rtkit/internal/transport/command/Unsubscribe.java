package dev.rtkit.internal.transport.command;

import java.util.List;

/** End the subscriptions holding any of {@code topics}; a subscription of several topics ends as a whole. */
public record Unsubscribe(List<String> topics) implements Command {
    public Unsubscribe {
        topics = List.copyOf(topics);
    }
}
