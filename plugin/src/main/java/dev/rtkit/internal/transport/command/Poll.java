package dev.rtkit.internal.transport.command;

import java.util.List;

/**
 * Read once what {@code topics} hold after {@code since} (a cursor, or null for "from now"), without subscribing:
 * an HTTP poll. As with an HTTP {@link Subscribe}, a refused topic of several is named and the others are read.
 */
public record Poll(List<String> topics, String since) implements Command {
    public Poll {
        topics = List.copyOf(topics);
    }
}
