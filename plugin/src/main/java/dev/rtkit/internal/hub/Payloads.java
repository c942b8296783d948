package dev.rtkit.internal.hub;

import dev.rtkit.Payload;
import dev.rtkit.RtkitException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;

/**
 * Validates payloads at publish, so nothing malformed ever reaches a subscriber, and keeps JSON as it went in:
 * numbers are copied as their digits (never read into a double, so {@code 1e400} stays {@code 1e400} and a long
 * decimal keeps every digit), and text that is not valid Unicode (a lone surrogate, even escaped as
 * {@code "\ud800"}) is refused, since no subscriber could be sent it as UTF-8.
 */
final class Payloads {
    private final JsonFactory factory;
    private final int maxBytes;

    Payloads(int maxBytes, int maxDepth) {
        this.maxBytes = maxBytes;
        this.factory = JsonFactory.builder()
                // Numbers are copied as text, never converted: as long as the payload may be costs nothing.
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(maxDepth)
                        .maxNumberLength(Math.max(1000, maxBytes)).build())
                .build();
    }

    void checkSize(String data) {
        // Cheap bound first: a UTF-8 char takes at most 3 bytes (surrogate pairs take 4 for 2 chars).
        if (data.length() > maxBytes || (data.length() * 3L > maxBytes && utf8Length(data) > maxBytes)) {
            throw new RtkitException(RtkitException.Kind.TOO_LARGE, "message is larger than " + maxBytes + " bytes");
        }
    }

    /** The payload as subscribers get it: JSON validated and compacted, text checked for valid Unicode. */
    Payload checked(Payload payload) {
        if (!payload.json()) {
            checkUnicode(payload.data(), "text payload");
            return payload;
        }
        return Payload.json(compactJson(payload.data()));
    }

    /** One JSON value, re-written compactly (one line, so it can sit in NDJSON and SSE as is). */
    String compactJson(String text) {
        StringWriter out = new StringWriter(text.length());
        try (JsonParser p = factory.createParser(text); JsonGenerator g = factory.createGenerator(out)) {
            if (p.nextToken() == null) {
                throw bad("JSON payload is empty");
            }
            copyExactly(p, g);
            if (p.nextToken() != null) {
                throw bad("JSON payload holds more than one value");
            }
        } catch (IOException e) {
            throw bad("JSON payload is not valid JSON" + (e.getMessage() != null && e.getMessage().contains("nesting depth")
                    ? ": nested deeper than allowed" : ""));
        }
        return out.toString();
    }

    /** Copies the value at the parser's token; unlike {@code copyCurrentStructure} it never rounds a number. */
    private static void copyExactly(JsonParser p, JsonGenerator g) throws IOException {
        int depth = 0;
        do {
            JsonToken t = p.currentToken();
            switch (t) {
                case START_OBJECT -> { g.writeStartObject(); depth++; }
                case START_ARRAY -> { g.writeStartArray(); depth++; }
                case END_OBJECT -> { g.writeEndObject(); depth--; }
                case END_ARRAY -> { g.writeEndArray(); depth--; }
                case FIELD_NAME -> g.writeFieldName(checkUnicode(p.currentName(), "JSON payload"));
                case VALUE_STRING -> g.writeString(checkUnicode(p.getText(), "JSON payload"));
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> g.writeNumber(p.getText());
                case VALUE_TRUE -> g.writeBoolean(true);
                case VALUE_FALSE -> g.writeBoolean(false);
                case VALUE_NULL -> g.writeNull();
                default -> throw bad("JSON payload is not valid JSON");
            }
        } while (depth > 0 && p.nextToken() != null);
    }

    /** Refuses a string holding a surrogate that is not half of a pair. */
    static String checkUnicode(String s, String what) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw bad(what + " is not valid Unicode: lone surrogate \\u" + Integer.toHexString(c)
                        + " at character " + i);
            }
        }
        return s;
    }

    static void checkEvent(String event) {
        if (event == null) {
            return;
        }
        if (event.isEmpty() || event.length() > 64) {
            throw bad("event name must be 1 to 64 characters");
        }
        for (int i = 0; i < event.length(); i++) {
            if (Character.isISOControl(event.charAt(i))) {
                throw bad("event name must not contain control characters");
            }
        }
        checkUnicode(event, "event name");
    }

    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            n += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return n;
    }

    private static RtkitException bad(String message) {
        return new RtkitException(RtkitException.Kind.BAD_REQUEST, message);
    }
}
