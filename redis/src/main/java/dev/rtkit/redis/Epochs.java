package dev.rtkit.redis;

import java.util.concurrent.ThreadLocalRandom;

/** New epochs: the time in base 36 and four random base-36 digits, so two nodes racing never pick the same one. */
final class Epochs {
    private Epochs() {
    }

    static String next() {
        long random = ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36);
        String tail = Long.toString(random, 36);
        return Long.toString(System.currentTimeMillis(), 36) + "0".repeat(4 - tail.length()) + tail;
    }
}
