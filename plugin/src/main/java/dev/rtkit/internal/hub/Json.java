package dev.rtkit.internal.hub;

import dev.rtkit.Gap;
import dev.rtkit.Message;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Canonical JSON encodings of hub events. */
public final class Json {
    static final JsonFactory FACTORY = new JsonFactory();

    private Json() {
    }

    public static byte[] message(Message m) {
        return write(128 + m.data().length(), g -> {
            g.writeStringField("type", "message");
            g.writeStringField("topic", m.topic());
            g.writeStringField("id", m.id().toString());
            if (m.event() != null) {
                g.writeStringField("event", m.event());
            }
            g.writeFieldName("data");
            if (m.isJson()) {
                // Validated and compacted at publish: safe to copy verbatim.
                g.writeRawValue(m.data());
            } else {
                g.writeString(m.data());
            }
        });
    }

    public static byte[] gap(Gap gap) {
        return write(128, g -> {
            g.writeStringField("type", "gap");
            g.writeStringField("topic", gap.topic());
            g.writeStringField("reason", gap.reason().wireName());
            if (gap.since() != null) {
                g.writeStringField("since", gap.since());
            }
            if (gap.next() != null) {
                g.writeStringField("next", gap.next());
            }
        });
    }

    interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    static byte[] write(int sizeHint, Fields fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(sizeHint);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
