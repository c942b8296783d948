package dev.rtkit.internal.transport.http;

import dev.rtkit.Event;
import java.util.List;

/** How a long-lived response frames events: SSE or NDJSON. */
interface Framing {

    String contentType();

    /** Written once, right after the headers: the framing's preamble and a line or event per refused topic. */
    byte[] opening(List<Refusal> refused);

    /**
     * One event. {@code cursor} is the subscription's cursor after this event when it differs from the
     * message id (several topics), else null so the message's shared encoding is written as is.
     */
    byte[] frame(Event event, String cursor);

    /** Written when the stream has been idle for a heartbeat interval. */
    byte[] heartbeat();

    /**
     * Written to an idle HTTP/1.x stream every second, the shortest thing a client skips: a write is the only way
     * to learn that the client has closed the connection (see {@link StreamDelivery}).
     */
    byte[] probe();
}
