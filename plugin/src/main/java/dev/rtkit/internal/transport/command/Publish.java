package dev.rtkit.internal.transport.command;

import dev.rtkit.Payload;
import java.util.Objects;

/**
 * Publish {@code payload} to {@code topic}; the payload is the client's text as it came (JSON is validated and
 * compacted by the hub, numbers kept digit for digit).
 *
 * @param event the SSE event name, or null
 */
public record Publish(String topic, Payload payload, String event) implements Command {
    public Publish {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
    }
}
