package dev.rtkit.internal.hub;

import java.time.Duration;

/**
 * Settings of a {@link Hub}.
 *
 * @param historySize         messages retained per topic (count bound); default 1000
 * @param historyMaxAge       how long a message is retained (age bound); default 5 minutes
 * @param maxTopics           topics the hub holds at once; default 10,000
 * @param maxMessageSize      largest payload accepted, in UTF-8 bytes; default 64 KiB
 * @param maxJsonDepth        deepest nesting accepted in a JSON payload; default 32
 * @param maxTopicsPerAddress topics held at once that one client address made (by publish or live subscribe);
 *                            default 1000
 */
public record HubConfig(int historySize, Duration historyMaxAge, int maxTopics, int maxMessageSize, int maxJsonDepth,
                        int maxTopicsPerAddress) {

    public static final HubConfig DEFAULTS = new HubConfig(1000, Duration.ofMinutes(5), 10_000, 64 * 1024, 32, 1000);

    public HubConfig {
        if (historySize < 1 || maxTopics < 1 || maxMessageSize < 1 || maxJsonDepth < 1 || maxTopicsPerAddress < 1
                || historyMaxAge.isNegative() || historyMaxAge.isZero()) {
            throw new IllegalArgumentException("hub settings must be positive");
        }
    }

    public HubConfig withHistorySize(int n) {
        return new HubConfig(n, historyMaxAge, maxTopics, maxMessageSize, maxJsonDepth, maxTopicsPerAddress);
    }

    public HubConfig withHistoryMaxAge(Duration age) {
        return new HubConfig(historySize, age, maxTopics, maxMessageSize, maxJsonDepth, maxTopicsPerAddress);
    }

    public HubConfig withMaxTopics(int n) {
        return new HubConfig(historySize, historyMaxAge, n, maxMessageSize, maxJsonDepth, maxTopicsPerAddress);
    }

    public HubConfig withMaxMessageSize(int bytes) {
        return new HubConfig(historySize, historyMaxAge, maxTopics, bytes, maxJsonDepth, maxTopicsPerAddress);
    }

    public HubConfig withMaxTopicsPerAddress(int n) {
        return new HubConfig(historySize, historyMaxAge, maxTopics, maxMessageSize, maxJsonDepth, n);
    }
}
