package dev.rtkit.internal.transport.websocket;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rtkit.Payload;
import dev.rtkit.internal.transport.command.Command;
import dev.rtkit.internal.transport.command.Publish;
import dev.rtkit.internal.transport.command.Subscribe;
import dev.rtkit.internal.transport.command.Unsubscribe;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses a client's text frame into a {@link Command}:
 * <pre>
 * {"type":"subscribe","topic":"t"|"topics":["a","b"],"since":"&lt;cursor&gt;","ref":…}
 * {"type":"unsubscribe","topic":"t"|"topics":[…],"ref":…}
 * {"type":"publish","topic":"t","data":&lt;any JSON&gt;,"event":"e","ref":…}
 * </pre>
 * A publish's {@code data} is kept as the text the client sent (never read into numbers, so {@code 1e400} and
 * long decimals arrive digit for digit); the hub validates it.
 */
final class FrameCodec {
    static final int MAX_REF_LENGTH = 128;
    /** Numbers are never converted (data is kept as text): as long as a frame may be costs nothing. */
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNumberLength(Integer.MAX_VALUE).build())
            .build();
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** A parsed frame and the {@code ref} to echo in its reply (null when it had none). */
    record Inbound(Command command, JsonNode ref) {
    }

    /** A frame the client got wrong, with the ref to echo when it carried a valid one. */
    static final class BadFrame extends RuntimeException {
        private final transient JsonNode ref;

        BadFrame(JsonNode ref, String message) {
            super(message, null, false, false);
            this.ref = ref;
        }

        JsonNode ref() {
            return ref;
        }
    }

    /** The fields of one frame; {@code data} apart, as the client's text (or the string, for a string). */
    private record Fields(Map<String, JsonNode> values, String data, boolean dataIsString) {
    }

    private FrameCodec() {
    }

    /** @throws BadFrame when the frame is not one of the documented commands */
    static Inbound parse(String text) {
        Fields fields = fields(text);
        JsonNode ref = fields.values().get("ref");
        if (ref != null && !((ref.isTextual() || ref.isIntegralNumber()) && ref.asText().length() <= MAX_REF_LENGTH)) {
            throw new BadFrame(null, "ref must be a string of at most " + MAX_REF_LENGTH + " characters or an integer");
        }
        JsonNode type = fields.values().get("type");
        Command command = switch (type == null || !type.isTextual() ? "" : type.textValue()) {
            case "subscribe" -> new Subscribe(topics(fields, ref), optionalText(fields, "since", ref));
            case "unsubscribe" -> new Unsubscribe(topics(fields, ref));
            case "publish" -> publish(fields, ref);
            default -> throw new BadFrame(ref, type == null ? "missing \"type\": use subscribe, unsubscribe or publish"
                    : "unknown type " + type + ": use subscribe, unsubscribe or publish");
        };
        return new Inbound(command, ref);
    }

    private static Fields fields(String text) {
        Map<String, JsonNode> values = new HashMap<>();
        String data = null;
        boolean dataIsString = false;
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new BadFrame(null, "a frame is a JSON object with a \"type\"");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (!name.equals("data")) {
                    values.put(name, MAPPER.readTree(p));
                } else if (value == JsonToken.VALUE_STRING) {
                    data = p.getText();
                    dataIsString = true;
                } else {
                    data = rawValue(text, p);
                    dataIsString = false;
                }
            }
            if (p.nextToken() != null) {
                throw new BadFrame(null, "malformed JSON: one object per frame");
            }
        } catch (IOException e) {
            throw new BadFrame(null, "malformed JSON");
        }
        return new Fields(values, data, dataIsString);
    }

    /** The text of the value the parser is at, exactly as sent. */
    private static String rawValue(String text, JsonParser p) throws IOException {
        int start = (int) p.currentTokenLocation().getCharOffset();
        p.skipChildren();
        p.finishToken();
        return text.substring(start, (int) p.currentLocation().getCharOffset());
    }

    private static Publish publish(Fields fields, JsonNode ref) {
        String topic = requiredText(fields, "topic", ref);
        if (fields.data() == null) {
            throw new BadFrame(ref, "publish needs \"data\": any JSON value; a string is published as a string");
        }
        Payload payload = fields.dataIsString() ? Payload.text(fields.data()) : Payload.json(fields.data());
        return new Publish(topic, payload, optionalText(fields, "event", ref));
    }

    private static List<String> topics(Fields fields, JsonNode ref) {
        JsonNode one = fields.values().get("topic");
        JsonNode many = fields.values().get("topics");
        if (one != null && many != null) {
            throw new BadFrame(ref, "give \"topic\" or \"topics\", not both");
        }
        if (one != null) {
            return List.of(requiredText(fields, "topic", ref));
        }
        if (many == null || !many.isArray() || many.isEmpty()) {
            throw new BadFrame(ref, "no topic given: add \"topic\":\"t\" or \"topics\":[\"a\",\"b\"]");
        }
        List<String> out = new ArrayList<>(many.size());
        for (JsonNode t : many) {
            if (!t.isTextual()) {
                throw new BadFrame(ref, "\"topics\" must be an array of strings");
            }
            out.add(t.textValue());
        }
        return out;
    }

    private static String requiredText(Fields fields, String field, JsonNode ref) {
        String value = optionalText(fields, field, ref);
        if (value == null) {
            throw new BadFrame(ref, "\"" + field + "\" is required");
        }
        return value;
    }

    private static String optionalText(Fields fields, String field, JsonNode ref) {
        JsonNode node = fields.values().get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new BadFrame(ref, "\"" + field + "\" must be a string");
        }
        return node.textValue();
    }
}
