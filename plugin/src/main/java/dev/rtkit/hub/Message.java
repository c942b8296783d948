package dev.rtkit.hub;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReferenceArray;

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
    final long timestamp;
    private final byte[] canonical;
    /** {@link #canonical} as a String, decoded on first use (racing decodes are equal; either may win). */
    private volatile String text;
    private final AtomicReferenceArray<byte[]> encodings = new AtomicReferenceArray<>(WireFormat.MAX_FORMATS);

    Message(String topic, MessageId id, String event, String data, boolean json, long timestamp) {
        this.topic = topic;
        this.id = id;
        this.event = event;
        this.data = data;
        this.json = json;
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

    /** This message in the given format, encoded on first use and cached. */
    public byte[] encoded(WireFormat format) {
        byte[] bytes = encodings.get(format.slot);
        if (bytes == null) {
            // Two threads may race to encode; both results are equal, so either may win.
            bytes = format.encoder.apply(this);
            encodings.lazySet(format.slot, bytes);
        }
        return bytes;
    }

    @Override
    public String toString() {
        return "Message[" + topic + " " + id + "]";
    }
}
