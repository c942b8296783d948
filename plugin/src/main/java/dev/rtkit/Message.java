package dev.rtkit;

import dev.rtkit.internal.hub.Json;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/**
 * A published message. Its canonical JSON is
 * {@code {"type":"message","topic":"t","id":"mi3fk2a-42","event":"e","data":…}} ({@code event} only when
 * given at publish; {@code data} a JSON value when published as JSON, else a string).
 */
public final class Message implements Event {
    private final String topic;
    private final MessageId id;
    private final String event;
    private final String data;
    private final boolean json;
    private final long timestamp;
    private final byte[] canonical;
    /** {@link #canonical} as a String, decoded on first use (racing decodes are equal; either may win). */
    private volatile String text;
    private final AtomicReferenceArray<byte[]> encodings = new AtomicReferenceArray<>(Encoding.MAX);

    /**
     * A message as a {@link dev.rtkit.spi.TopicLog} stores it. {@code payload} must already be validated (JSON
     * compacted to one line): logs build messages from what the hub handed them at append.
     */
    public Message(String topic, MessageId id, String event, Payload payload, long timestamp) {
        this.topic = topic;
        this.id = id;
        this.event = event;
        this.data = payload.data();
        this.json = payload.json();
        this.timestamp = timestamp;
        this.canonical = Json.message(this);
    }

    @Override
    public String topic() {
        return topic;
    }

    public MessageId id() {
        return id;
    }

    /** The event name given at publish, or null. */
    public String event() {
        return event;
    }

    /** The payload as text: compact JSON when {@link #isJson()}, else the published string. */
    public String data() {
        return data;
    }

    public boolean isJson() {
        return json;
    }

    public Payload payload() {
        return new Payload(data, json);
    }

    /** Milliseconds since the epoch when the hub accepted the message. */
    public long timestamp() {
        return timestamp;
    }

    @Override
    public byte[] json() {
        return canonical;
    }

    /** The canonical JSON as a String (what a WebSocket text frame is sent from), decoded once and shared. */
    public String text() {
        String t = text;
        if (t == null) {
            t = new String(canonical, StandardCharsets.UTF_8);
            text = t;
        }
        return t;
    }

    /** This message in the given encoding, encoded on first use and cached. */
    public byte[] encoded(Encoding encoding) {
        byte[] bytes = encodings.get(encoding.slot);
        if (bytes == null) {
            // Two threads may race to encode; both results are equal, so either may win.
            bytes = encoding.encoder.apply(this);
            encodings.lazySet(encoding.slot, bytes);
        }
        return bytes;
    }

    /**
     * A way of encoding messages for one wire format. Each message caches its bytes per encoding, so a message
     * fanned out to many subscribers is encoded once and the same bytes go to all. Declare one per format, once
     * (a static field): at most eight exist per class loader.
     */
    public static final class Encoding {
        static final int MAX = 8;
        private static final AtomicInteger SLOTS = new AtomicInteger();

        private final int slot;
        private final Function<Message, byte[]> encoder;

        private Encoding(int slot, Function<Message, byte[]> encoder) {
            this.slot = slot;
            this.encoder = encoder;
        }

        public static Encoding of(Function<Message, byte[]> encoder) {
            int slot = SLOTS.getAndIncrement();
            if (slot >= MAX) {
                throw new IllegalStateException("too many message encodings");
            }
            return new Encoding(slot, encoder);
        }
    }

    @Override
    public String toString() {
        return "Message[" + topic + " " + id + "]";
    }
}
