package dev.rtkit.hub;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A way of encoding a message for one transport. Each message caches its encoding per format, so
 * a message fanned out to many subscribers is encoded once and the same bytes are written to all.
 */
public final class WireFormat {
    static final int MAX_FORMATS = 8;
    private static final AtomicInteger SLOTS = new AtomicInteger();

    final int slot;
    final Function<Message, byte[]> encoder;

    private WireFormat(int slot, Function<Message, byte[]> encoder) {
        this.slot = slot;
        this.encoder = encoder;
    }

    /** Declares a format; call once per format, from a static initialiser. */
    public static WireFormat of(Function<Message, byte[]> encoder) {
        int slot = SLOTS.getAndIncrement();
        if (slot >= MAX_FORMATS) {
            throw new IllegalStateException("too many wire formats");
        }
        return new WireFormat(slot, encoder);
    }
}
