package dev.rtkit.demosite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * On h2, a client that opens far more streams than {@code SETTINGS_MAX_CONCURRENT_STREAMS} loses only the extra
 * streams (each refused with RST_STREAM REFUSED_STREAM): the connection is not closed with GOAWAY, and its streams
 * that were admitted stay open.
 */
class H2ExtraStreamsTest extends RunningSite {
    private static final int GOOD = 100;
    private static final int EXTRA = 600;

    @Test
    void extraStreamsAreRefusedOneByOneAndTheGoodOnesLive() throws Exception {
        try (RawH2 h2 = new RawH2("127.0.0.1", site.httpPort())) {
            for (int i = 0; i < GOOD; i++) {
                h2.get(1 + 2 * i, "/rt/sse/good" + i);
            }
            h2.flush();
            Set<Integer> answered = new HashSet<>();
            while (answered.size() < GOOD) {
                RawH2.Frame f = h2.next();
                assertTrue(f.type() != RawH2.GOAWAY && f.type() != RawH2.RST_STREAM, "good streams admitted: " + f);
                if (f.type() == RawH2.HEADERS) {
                    answered.add(f.stream());
                }
            }
            int first = 1 + 2 * GOOD;
            for (int i = 0; i < EXTRA; i++) {
                h2.get(first + 2 * i, "/rt/sse/extra");
            }
            h2.flush();
            // Read until each extra stream is accounted for, refused or admitted (its HEADERS), not until a PING's
            // ACK: Jetty may write the ACK before RST_STREAMs it queued earlier. The socket timeout bounds the wait.
            Set<Integer> refused = new HashSet<>();
            Set<Integer> admitted = new HashSet<>();
            while (refused.size() + admitted.size() < EXTRA) {
                RawH2.Frame f = h2.next();
                assertTrue(f.type() != RawH2.GOAWAY, "the connection lives: GOAWAY error " + (f.type() == RawH2.GOAWAY ? f.errorCode() : 0));
                if (f.type() == RawH2.RST_STREAM) {
                    assertTrue(f.stream() >= first, "a good stream was reset: " + f.stream());
                    assertEquals(RawH2.REFUSED_STREAM, f.errorCode());
                    refused.add(f.stream());
                } else if (f.type() == RawH2.HEADERS && f.stream() >= first) {
                    admitted.add(f.stream());
                }
            }
            // Jetty admits up to its limit (128 streams at once, 100 of them good) and refuses the rest.
            assertTrue(refused.size() >= EXTRA - 128, "refused " + refused.size() + ", admitted " + admitted.size());
            // Still alive after the flood: the connection answers a ping.
            h2.ping();
            while (true) {
                RawH2.Frame f = h2.next();
                assertTrue(f.type() != RawH2.GOAWAY && f.type() != RawH2.RST_STREAM || f.stream() >= first, "after the flood: " + f);
                if (f.type() == RawH2.PING && (f.flags() & 0x1) != 0) {
                    break;
                }
            }
        }
    }
}
