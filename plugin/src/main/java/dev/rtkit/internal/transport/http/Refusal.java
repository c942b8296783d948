package dev.rtkit.internal.transport.http;

import dev.rtkit.RtkitException;
import dev.rtkit.internal.transport.Errors;
import java.nio.charset.StandardCharsets;

/**
 * One topic of a several-topic request that is not served, and why: the status a request for it alone would
 * have got and the error it would have said. The other topics are served.
 */
record Refusal(String topic, int status, String error) {

    static Refusal of(String topic, RtkitException e) {
        return new Refusal(topic, Errors.status(e), e.getMessage());
    }

    /** {@code {"topic":"t","status":403,"error":"…"}}: an item of a batch's {@code "refused"}. */
    String item() {
        return "{" + fields() + "}";
    }

    /** {@code {"type":"refused","topic":"t","status":403,"error":"…"}}: a stream line, an SSE event's data. */
    byte[] event() {
        return ("{\"type\":\"refused\"," + fields() + "}").getBytes(StandardCharsets.UTF_8);
    }

    private String fields() {
        // Names may be invalid ones straight from the request: quoted like any client input.
        return "\"topic\":" + Errors.quote(topic) + ",\"status\":" + status + ",\"error\":" + Errors.quote(error);
    }
}
