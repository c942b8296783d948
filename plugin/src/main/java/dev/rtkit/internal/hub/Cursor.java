package dev.rtkit.internal.hub;

import dev.rtkit.MessageId;
import dev.rtkit.RtkitException;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Where a subscriber resumes. On the wire: one topic, the id of the last message seen
 * ({@code mi3fk2a-42}); several topics, {@code topic@id} pairs joined by commas
 * ({@code news@mi3fk2a-42,chat/1@mi3fk2a-40}). A topic without a position starts from now.
 */
public final class Cursor {
    static final int MAX_LENGTH = 16 * 1024;

    private Cursor() {
    }

    /** Parses a cursor for the given topics; throws {@link RtkitException} (bad request) when malformed. */
    public static Map<String, MessageId> parse(String text, Collection<String> topics) {
        if (text == null || text.isEmpty()) {
            return Map.of();
        }
        if (text.length() > MAX_LENGTH) {
            throw new RtkitException(RtkitException.Kind.BAD_REQUEST, "cursor is longer than " + MAX_LENGTH + " characters");
        }
        if (text.indexOf('@') < 0) {
            if (topics.size() != 1) {
                throw new RtkitException(RtkitException.Kind.BAD_REQUEST,
                        "a cursor for several topics has the form topic@id,topic@id");
            }
            return Map.of(topics.iterator().next(), MessageId.parse(text));
        }
        Map<String, MessageId> positions = new LinkedHashMap<>();
        Set<String> wanted = Set.copyOf(topics);
        for (String pair : text.split(",", -1)) {
            int at = pair.lastIndexOf('@');
            if (at <= 0) {
                throw new RtkitException(RtkitException.Kind.BAD_REQUEST, "malformed cursor: expected topic@id pairs joined by commas");
            }
            String topic = TopicName.validate(pair.substring(0, at));
            MessageId id = MessageId.parse(pair.substring(at + 1));
            if (wanted.contains(topic)) {
                positions.put(topic, id);
            }
        }
        return positions;
    }

    /** Formats positions: a bare id for one topic, else topic@id pairs. */
    static String format(String[] topics, String[] epochs, long[] positions) {
        if (topics.length == 1) {
            return epochs[0] + "-" + Math.max(0, positions[0]);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < topics.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(topics[i]).append('@').append(epochs[i]).append('-').append(Math.max(0, positions[i]));
        }
        return sb.toString();
    }
}
