package dev.rtkit.internal.transport.websocket;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rtkit.Gap;
import dev.rtkit.Message;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;

/**
 * The server's text frames:
 * <pre>
 * {"type":"message","topic":"t","id":"mi3fk2a-42","data":…}            (+ "cursor" when one subscribe had several topics)
 * {"type":"gap","topic":"t","reason":"expired","since":"…","next":"…"}
 * {"type":"subscribed","topics":["t"],"cursor":"mi3fk2a-41","ref":"r1"}
 * {"type":"unsubscribed","topics":["t"],"ref":"r1"}
 * {"type":"ack","ref":"r1","topic":"t","id":"mi3fk2a-43"}
 * {"type":"error","message":"…","ref":"r1"}
 * </pre>
 * {@code ref} is echoed only when the client's frame carried one.
 */
final class Frames {
    /** Sent every heartbeat interval, beside the ping that browsers cannot see. */
    static final String HEARTBEAT = "{\"type\":\"heartbeat\"}";

    private static final JsonFactory JSON = new JsonFactory();

    private Frames() {
    }

    static String gap(Gap gap) {
        return new String(gap.json(), StandardCharsets.UTF_8);
    }

    /** The message's canonical JSON with the subscription's whole cursor added, so any resume is exact. */
    static String messageWithCursor(String messageJson, String cursor) {
        StringBuilder sb = new StringBuilder(messageJson.length() + cursor.length() + 12);
        sb.append(messageJson, 0, messageJson.length() - 1).append(",\"cursor\":");
        return quote(sb, cursor).append('}').toString();
    }

    static String subscribed(Collection<String> topics, String cursor, JsonNode ref) {
        return write(g -> {
            g.writeStringField("type", "subscribed");
            topics(g, topics);
            g.writeStringField("cursor", cursor);
            ref(g, ref);
        });
    }

    static String unsubscribed(Collection<String> topics, JsonNode ref) {
        return write(g -> {
            g.writeStringField("type", "unsubscribed");
            topics(g, topics);
            ref(g, ref);
        });
    }

    static String ack(Message m, JsonNode ref) {
        return write(g -> {
            g.writeStringField("type", "ack");
            ref(g, ref);
            g.writeStringField("topic", m.topic());
            g.writeStringField("id", m.id().toString());
        });
    }

    static String error(String message, JsonNode ref) {
        return write(g -> {
            g.writeStringField("type", "error");
            g.writeStringField("message", message);
            ref(g, ref);
        });
    }

    private static void topics(JsonGenerator g, Collection<String> topics) throws IOException {
        g.writeArrayFieldStart("topics");
        for (String t : topics) {
            g.writeString(t);
        }
        g.writeEndArray();
    }

    private static void ref(JsonGenerator g, JsonNode ref) throws IOException {
        // The connection accepts only strings and integers as ref.
        if (ref != null && ref.isTextual()) {
            g.writeStringField("ref", ref.textValue());
        } else if (ref != null) {
            g.writeFieldName("ref");
            g.writeNumber(ref.bigIntegerValue());
        }
    }

    private static StringBuilder quote(StringBuilder sb, String s) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeString(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sb.append(out);
    }

    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    private static String write(Fields fields) {
        StringWriter out = new StringWriter(96);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
