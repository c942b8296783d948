package dev.rtkit.redis;

/**
 * The Redis names of one topic. All carry the hash tag {@code {rtkit:<topic>}} so that a topic's keys and channel
 * live in one Redis Cluster slot, as a script touching several keys requires. Topic names are validated by the hub
 * (letters, digits, {@code . _ - /}), so they never contain a brace.
 */
record Keys(String meta, String stream, String channel) {
    private static final String PREFIX = "{rtkit:";

    static Keys of(String topic) {
        String tag = PREFIX + topic + "}";
        return new Keys(tag + ":m", tag + ":s", tag + ":c");
    }

    /** The topic a channel belongs to, or null when the channel is not one of ours. */
    static String topicOf(String channel) {
        if (!channel.startsWith(PREFIX) || !channel.endsWith("}:c")) {
            return null;
        }
        return channel.substring(PREFIX.length(), channel.length() - 3);
    }

    String[] both() {
        return new String[] {meta, stream};
    }
}
