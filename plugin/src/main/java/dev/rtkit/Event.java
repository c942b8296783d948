package dev.rtkit;

/** What a subscription delivers, in order: messages, and gaps where history no longer reaches back. */
public sealed interface Event permits Message, Gap {

    /** The topic this event belongs to. */
    String topic();

    /** The canonical JSON of this event, UTF-8, one line, encoded once. */
    byte[] json();
}
