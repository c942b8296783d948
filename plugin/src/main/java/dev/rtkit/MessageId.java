package dev.rtkit;

/**
 * The id of a message, and a position in a topic: {@code <epoch>-<seq>}, e.g. {@code mi3fk2a-42}.
 * The epoch names the hub's history (its start); seq orders messages within a topic. Seqs come from one
 * counter per epoch, so a position never names two different messages, even across topics.
 */
public record MessageId(String epoch, long seq) {

    public MessageId {
        if (!isEpoch(epoch) || seq < 0) {
            throw new IllegalArgumentException("bad id parts");
        }
    }

    /** Parses {@code <epoch>-<seq>}; throws {@link RtkitException} (bad request) when malformed. */
    public static MessageId parse(String text) {
        int dash = text.lastIndexOf('-');
        if (dash <= 0 || dash == text.length() - 1 || dash > 16 || text.length() - dash > 20) {
            throw malformed(text);
        }
        String epoch = text.substring(0, dash);
        String digits = text.substring(dash + 1);
        if (!isEpoch(epoch) || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw malformed(text);
        }
        try {
            return new MessageId(epoch, Long.parseLong(digits));
        } catch (NumberFormatException e) {
            throw malformed(text);
        }
    }

    static boolean isEpoch(String s) {
        return s != null && !s.isEmpty() && s.length() <= 16 && s.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'));
    }

    private static RtkitException malformed(String text) {
        return new RtkitException(RtkitException.Kind.BAD_REQUEST,
                "malformed cursor: expected <epoch>-<seq> such as 'mi3fk2a-42'");
    }

    @Override
    public String toString() {
        return epoch + "-" + seq;
    }
}
