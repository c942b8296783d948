package dev.rtkit;

/**
 * A publish the log accepted: the topic and the id the message was given ({@code <epoch>-<seq>}), as HTTP answers
 * {@code 202 {"topic":"news","id":"mi3fk2a-42"}}.
 */
public record Published(String topic, MessageId id) {
}
