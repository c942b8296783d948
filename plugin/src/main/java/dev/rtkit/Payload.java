package dev.rtkit;

import java.util.Objects;

/**
 * What is published: a JSON value or a plain string. On the wire a message's {@code data} is the JSON value itself
 * ({@code "data":{"a":1}}) or a JSON string ({@code "data":"hello"}).
 *
 * @param data the payload as text: one JSON value when {@code json}, else any string
 * @param json whether {@code data} is JSON (validated and compacted at publish)
 */
public record Payload(String data, boolean json) {

    public Payload {
        Objects.requireNonNull(data, "data");
    }

    /** A JSON value, e.g. {@code Payload.json("{\"price\":42}")}; refused at publish when not one valid JSON value. */
    public static Payload json(String value) {
        return new Payload(value, true);
    }

    /** A plain string, delivered as a JSON string. */
    public static Payload text(String value) {
        return new Payload(value, false);
    }
}
