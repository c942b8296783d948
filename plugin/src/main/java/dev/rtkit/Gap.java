package dev.rtkit;

import dev.rtkit.internal.hub.Json;

/**
 * History no longer reaches back to the subscriber's cursor: messages may have been missed. Delivery
 * continues with the oldest retained message. JSON:
 * {@code {"type":"gap","topic":"t","reason":"expired","since":"mi3fk2a-3","next":"mi3fk2a-9"}}
 * ({@code since} the cursor that could not be honoured, {@code next} the first id delivered after the gap,
 * absent when none is retained yet).
 */
public record Gap(String topic, Reason reason, String since, String next) implements Event {

    /** Why history no longer reaches back. */
    public enum Reason {
        /** The cursor is older than the oldest message retained (by count or age), or the subscriber fell that far behind. */
        EXPIRED,
        /** The cursor comes from another epoch: the server restarted and its history was lost. */
        EPOCH,
        /** The cursor is well formed but names a position this epoch never reached. */
        UNKNOWN;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Override
    public byte[] json() {
        return Json.gap(this);
    }
}
