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
        long seq = 0;
        for (int i = dash + 1, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9' || seq > (Long.MAX_VALUE - (c - '0')) / 10) {
                throw malformed(text);
            }
            seq = seq * 10 + (c - '0');
        }
        String epoch = text.substring(0, dash);
        if (!isEpoch(epoch)) {
            throw malformed(text);
        }
        return new MessageId(epoch, seq);
    }

    /** Plain loops, not streams: every long-poll and resume parses a cursor. */
    static boolean isEpoch(String s) {
        if (s == null || s.isEmpty() || s.length() > 16) {
            return false;
        }
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'))) {
                return false;
            }
        }
        return true;
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
