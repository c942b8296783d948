package dev.rtkit.internal.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rtkit.Event;
import dev.rtkit.Gap;
import dev.rtkit.Message;
import dev.rtkit.MessageId;
import dev.rtkit.Payload;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The answer is written into an array sized up front: every part must land exactly, with nothing left over. */
class BatchTest {
    private static Message message(long seq, String data) {
        return new Message("t", new MessageId("e1", seq), null, Payload.text(data), 0);
    }

    private static String encode(List<Event> events, String cursor, List<Refusal> refused) {
        return new String(Batch.encode(events, cursor, refused), StandardCharsets.UTF_8);
    }

    @Test
    void anEmptyAnswerHoldsOnlyTheCursor() {
        assertEquals("{\"messages\":[],\"cursor\":\"e1-4\"}", encode(List.of(), "e1-4", List.of()));
    }

    @Test
    void messagesGapsAndRefusalsEachGetTheirListInOneExactlySizedAnswer() {
        Gap gap = new Gap("t", Gap.Reason.EXPIRED, "e1-1", "e1-5");
        String answer = encode(List.of(gap, message(5, "é"), message(6, "x")), "t@e1-6",
                List.of(new Refusal("u", 403, "no"), new Refusal("v", 400, "bad")));
        assertEquals("{\"messages\":[" + text(message(5, "é")) + "," + text(message(6, "x")) + "]"
                + ",\"gaps\":[" + new String(gap.json(), StandardCharsets.UTF_8) + "]"
                + ",\"refused\":[{\"topic\":\"u\",\"status\":403,\"error\":\"no\"},{\"topic\":\"v\",\"status\":400,\"error\":\"bad\"}]"
                + ",\"cursor\":\"t@e1-6\"}", answer);
    }

    @Test
    void onlyGapsLeaveTheMessagesListEmpty() {
        Gap gap = new Gap("t", Gap.Reason.EPOCH, "e0-3", null);
        assertEquals("{\"messages\":[],\"gaps\":[" + new String(gap.json(), StandardCharsets.UTF_8) + "],\"cursor\":\"e1-0\"}",
                encode(List.of(gap), "e1-0", List.of()));
    }

    private static String text(Message m) {
        return new String(m.json(), StandardCharsets.UTF_8);
    }
}
