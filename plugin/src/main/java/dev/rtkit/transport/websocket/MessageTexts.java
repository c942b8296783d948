package dev.rtkit.transport.websocket;

import dev.rtkit.hub.Message;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Messages as the String a text frame is sent from, decoded once and shared by every subscriber: a
 * fan-out reads the same few recent messages, so a small direct-mapped cache keyed by sequence number
 * hits almost always, holds no message, and needs no eviction. A miss (an old message read on resume)
 * just decodes again.
 */
final class MessageTexts {
    private static final int SIZE = 256;

    private record Entry(long seq, String epoch, String text) {
    }

    private final AtomicReferenceArray<Entry> entries = new AtomicReferenceArray<>(SIZE);

    String text(Message m) {
        long seq = m.id().seq();
        int slot = (int) (seq & (SIZE - 1));
        Entry e = entries.get(slot);
        if (e != null && e.seq == seq && e.epoch.equals(m.id().epoch())) {
            return e.text;
        }
        String text = new String(m.json(), StandardCharsets.UTF_8);
        // Racing writers store equal texts; either may win.
        entries.lazySet(slot, new Entry(seq, m.id().epoch(), text));
        return text;
    }
}
