package dev.rtkit.internal.hub;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Topics held that each client address made: one address cannot fill the topic table for everyone. A topic
 * counts against the address that made it until the hub lets it go. Server-side code (address null) is not
 * counted.
 */
final class TopicQuota {
    private final int perAddress;
    private final Map<String, AtomicInteger> made = new ConcurrentHashMap<>();

    TopicQuota(int perAddress) {
        this.perAddress = perAddress;
    }

    /** Takes one topic for {@code address}; false when it holds its share already. */
    boolean tryTake(String address) {
        if (address == null) {
            return true;
        }
        AtomicInteger n = made.computeIfAbsent(address, a -> new AtomicInteger());
        if (n.incrementAndGet() > perAddress) {
            giveBack(address);
            return false;
        }
        return true;
    }

    void giveBack(String address) {
        if (address == null) {
            return;
        }
        AtomicInteger n = made.get(address);
        if (n != null && n.decrementAndGet() <= 0) {
            made.remove(address, n);
        }
    }

    int perAddress() {
        return perAddress;
    }
}
