package dev.rtkit.internal.hub;

import dev.rtkit.RtkitException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;

/** Validates payloads at publish, so nothing malformed ever reaches a subscriber. */
final class Payloads {
    private final JsonFactory factory;
    private final int maxBytes;

    Payloads(int maxBytes, int maxDepth) {
        this.maxBytes = maxBytes;
        this.factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(maxDepth).build())
                .build();
    }

    void checkSize(String data) {
        // Cheap bound first: a UTF-8 char takes at most 3 bytes (surrogate pairs take 4 for 2 chars).
        if (data.length() > maxBytes || (data.length() * 3L > maxBytes && utf8Length(data) > maxBytes)) {
            throw new RtkitException(RtkitException.Kind.TOO_LARGE, "message is larger than " + maxBytes + " bytes");
        }
    }

    /** One JSON value, re-written compactly (one line, so it can sit in NDJSON and SSE as is). */
    String compactJson(String text) {
        StringWriter out = new StringWriter(text.length());
        try (JsonParser p = factory.createParser(text); JsonGenerator g = factory.createGenerator(out)) {
            if (p.nextToken() == null) {
                throw bad("JSON payload is empty");
            }
            g.copyCurrentStructure(p);
            if (p.nextToken() != null) {
                throw bad("JSON payload holds more than one value");
            }
        } catch (IOException e) {
            throw bad("JSON payload is not valid JSON" + (e.getMessage() != null && e.getMessage().contains("nesting depth")
                    ? ": nested deeper than allowed" : ""));
        }
        return out.toString();
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
