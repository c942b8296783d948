package dev.rtkit.internal.log;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the history of topics the hub let go ended, so a topic made again (or read without being made) tells a
 * returning reader the truth: a cursor at or after the last forgotten message of that name missed nothing, one
 * before it gets an {@code expired} gap. A name never seen has forgotten nothing. Bounded: past
 * {@value #MAX_NAMES} names the oldest are folded into one floor that applies to every name not remembered (a
 * false gap then, never a silent loss).
 */
final class DroppedTopics {
    static final int MAX_NAMES = 16_384;

    private final Map<String, Long> forgotten = new LinkedHashMap<>();
    private long floor;

    synchronized long forgottenSeq(String name) {
        return forgotten.getOrDefault(name, floor);
    }

    synchronized void remember(String name, long forgottenSeq) {
        if (forgottenSeq <= forgotten.getOrDefault(name, floor)) {
            return;
        }
        forgotten.remove(name);
        forgotten.put(name, forgottenSeq);
        if (forgotten.size() > MAX_NAMES) {
            var eldest = forgotten.entrySet().iterator();
            floor = Math.max(floor, eldest.next().getValue());
            eldest.remove();
        }
    }
}
