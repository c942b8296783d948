package dev.rtkit.internal.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.rtkit.RtkitException;
import dev.rtkit.Transport;
import dev.rtkit.internal.hub.TopicName;
import org.junit.jupiter.api.Test;

/** The bounded vocabularies behind the tags: fallback reports, refusal reasons, WebSocket close reasons. */
class ReportsAndReasonsTest {

    @Test
    void aFallbackReportNamesAnotherTransportAndAKnownReasonOrIsIgnored() {
        assertEquals(new Fallback(Transport.WEBSOCKET, "handshake"), Fallback.parse("websocket.handshake", Transport.SSE));
        for (String reason : Fallback.REASONS) {
            assertEquals(new Fallback(Transport.SSE, reason), Fallback.parse("sse." + reason, Transport.LONGPOLL));
        }
        assertNull(Fallback.parse("sse.timeout", Transport.SSE), "a transport does not fall back to itself");
        assertNull(Fallback.parse("carrier-pigeon.timeout", Transport.SSE));
        assertNull(Fallback.parse("websocket.because", Transport.SSE));
        assertNull(Fallback.parse("websocket", Transport.SSE));
        assertNull(Fallback.parse("WEBSOCKET.HANDSHAKE", Transport.SSE));
        assertNull(Fallback.parse("websocket.handshake" + "x".repeat(40), Transport.SSE));
        assertNull(Fallback.parse(null, Transport.SSE));
    }

    @Test
    void edgeRefusalsMapToReasonsAndGuardRefusalsAreLeftToTheGuard() {
        RtkitException badTopic = assertThrowsRtkit(() -> TopicName.validate("a b"));
        assertEquals(Rejection.TOPIC, Rejection.of(badTopic));
        assertEquals(Rejection.REQUEST, Rejection.of(new RtkitException(RtkitException.Kind.BAD_REQUEST, "malformed cursor")));
        assertEquals(Rejection.PAYLOAD, Rejection.of(new RtkitException(RtkitException.Kind.TOO_LARGE, "big")));
        assertEquals(Rejection.LIMIT, Rejection.of(new RtkitException(RtkitException.Kind.LIMIT, "too many topics")));
        assertNull(Rejection.of(new RtkitException(RtkitException.Kind.FORBIDDEN, "no")));
        assertNull(Rejection.of(new RtkitException(RtkitException.Kind.TOO_MANY, "slow down")));
        assertNull(Rejection.of(new RtkitException(RtkitException.Kind.UNAVAILABLE, "server is shutting down")));
        assertEquals("origin", Rejection.ORIGIN.tag());
    }

    @Test
    void webSocketCloseCodesMapToReasons() {
        assertEquals(Closed.HEARTBEAT, Closed.ofWebSocket(1001, "no pong: connection presumed dead"));
        assertEquals(Closed.SHUTDOWN, Closed.ofWebSocket(1001, "server shutting down"));
        assertEquals(Closed.SLOW, Closed.ofWebSocket(1008, "slow consumer: not reading"));
        assertEquals(Closed.POLICY, Closed.ofWebSocket(1008, "too many invalid frames"));
        assertEquals(Closed.POLICY, Closed.ofWebSocket(1003, "binary frames are not accepted"));
        assertEquals(Closed.ERROR, Closed.ofWebSocket(1011, "internal error"));
    }

    private static RtkitException assertThrowsRtkit(Runnable r) {
        return org.junit.jupiter.api.Assertions.assertThrows(RtkitException.class, r::run);
    }
}
