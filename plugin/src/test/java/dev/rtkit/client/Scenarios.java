package dev.rtkit.client;

import dev.rtkit.internal.hub.TestHubs;

import static dev.rtkit.client.ClientPage.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** What rtkit.js must do on every transport and in every browser; the test classes run these. */
final class Scenarios {
    static final String TOPIC = "news";
    static final Duration WAIT = Duration.ofSeconds(20);

    private Scenarios() {
    }

    /** Client options for tests: one forced transport, fast polling and short reconnect delays. */
    static String forced(String transport) {
        return "{transports: ['" + transport + "'], pollInterval: 100, reconnectDelay: 200, maxReconnectDelay: 1000,"
                + " openTimeout: 5000}";
    }

    static void start(ClientPage page, String options) {
        page.eval("h.start(" + options + ", ['" + TOPIC + "'])");
    }

    /**
     * One refused topic among several: the page is told once (an {@code error} naming the topic and its status),
     * stops asking for it, and every message of the allowed topic still arrives.
     */
    static void refusedTopicIsReportedOnceAndTheOthersFlow(ClientPage page, PageServer server, String transport) {
        String refused = "private/alice/inbox";
        page.eval("h.start(" + forced(transport) + ", ['" + TOPIC + "', '" + refused + "'])");
        JsonNode s = page.await("an error for the refused topic", WAIT, st -> count(st, "error") >= 1);
        JsonNode error = null;
        for (JsonNode e : s.get("events")) {
            if (e.get("name").asText().equals("error")) {
                error = e.get("value");
            }
        }
        assertEquals(refused, error.path("topic").asText(), error.toString());
        if (!transport.equals("websocket")) {
            assertEquals(403, error.path("status").asInt(), error.toString()); // a WebSocket error frame has no status
        }
        for (int n = 1; n <= 5; n++) {
            server.publish(TOPIC, n);
        }
        s = page.await("5 messages of the allowed topic", WAIT, st -> st.get("received").size() >= 5);
        assertEquals(range(1, 5), numbers(s));
        assertEquals(1, count(s, "error"), "the refused topic is not asked for again: " + s.get("events"));
    }

    /** Server and page publish; the page receives everything once, in id order, and gets an ack for its own. */
    static void receivesInOrderAndPublishes(ClientPage page, PageServer server, String transport) {
        start(page, forced(transport));
        page.await("open", WAIT, s -> count(s, "open") >= 1);
        for (int n = 1; n <= 20; n++) {
            server.publish(TOPIC, n);
        }
        page.eval("h.publish('" + TOPIC + "', 21, 25)");
        JsonNode s = page.await("25 messages and 5 acks", WAIT,
                st -> st.get("failures").size() > 0 || (st.get("received").size() >= 25 && st.get("acks").size() >= 5));
        assertEquals(0, s.get("failures").size(), "publish failures: " + s.get("failures"));
        List<Integer> numbers = numbers(s);
        assertEquals(range(1, 20), numbers.subList(0, 20), "server publishes in order");
        assertEquals(25, numbers.size(), "each message once: " + numbers);
        assertEquals(new TreeSet<>(range(1, 25)), new TreeSet<>(numbers));
        assertIdsIncrease(s);
        Set<String> ackIds = new TreeSet<>();
        s.get("acks").forEach(a -> ackIds.add(a.get("id").asText()));
        Set<String> ownIds = new TreeSet<>();
        s.get("received").forEach(m -> {
            if (m.get("data").get("n").asInt() > 20) {
                ownIds.add(m.get("id").asText());
            }
        });
        assertEquals(ownIds, ackIds, "acks name the ids delivered");
        assertEquals(transport, s.get("transport").asText());
        assertEquals(0, count(s, "transport"), "no fallback: " + s.get("events"));
        assertEquals(0, s.get("stats").get("duplicates").asInt());
        assertEquals(25, s.get("stats").get("messagesReceived").asInt());
        if (transport.equals("websocket")) {
            assertEquals(1, s.get("stats").get("requests").asInt(), "one handshake, publishes over the socket");
        }
    }

    /**
     * The server goes away (every connection closed, nothing accepted) while messages keep being published; once
     * back, the client has resumed from its last ids: every message once, in order, on the same transport.
     */
    static void resumesWithoutLossWhenServerDrops(ClientPage page, PageServer server, String transport) throws Exception {
        start(page, forced(transport));
        page.await("open", WAIT, s -> count(s, "open") >= 1);
        for (int n = 1; n <= 10; n++) {
            server.publish(TOPIC, n);
        }
        page.await("first 10", WAIT, s -> s.get("received").size() >= 10);
        server.outage();
        try {
            page.await("the client noticing the drop", WAIT, s -> count(s, "reconnecting") >= 1);
            for (int n = 11; n <= 20; n++) {
                server.publish(TOPIC, n);
            }
        } finally {
            server.restore();
        }
        page.await("20 messages after reconnecting", WAIT, s -> s.get("received").size() >= 20 && count(s, "open") >= 2);
        page.eval("h.publish('" + TOPIC + "', 21, 21)");
        JsonNode s = page.await("the page's publish after the reconnect", WAIT,
                st -> st.get("failures").size() > 0 || (st.get("received").size() >= 21 && st.get("acks").size() >= 1));
        assertEquals(0, s.get("failures").size(), "publish failures: " + s.get("failures"));
        assertEquals(range(1, 21), numbers(s), "nothing lost, nothing repeated, in order");
        assertIdsIncrease(s);
        assertEquals(transport, s.get("transport").asText());
        assertEquals(0, count(s, "transport"), "no fallback: " + s.get("events"));
        assertTrue(s.get("stats").get("reconnects").asInt() >= 1);
    }

    /**
     * The server restarts: the client is told to reconnect (stream ended, WebSocket 1001, long-poll answered),
     * comes back to a server whose history is gone, hears so as a gap, and carries on.
     */
    static void resumesAfterARestartWithAGap(ClientPage page, PageServer server, String transport) throws Exception {
        start(page, forced(transport));
        page.await("open", WAIT, s -> count(s, "open") >= 1);
        server.publish(TOPIC, 1);
        server.publish(TOPIC, 2);
        page.await("first 2", WAIT, s -> s.get("received").size() >= 2);
        String oldEpoch = TestHubs.epoch(server.hub());
        server.restartApplication();
        assertTrue(!oldEpoch.equals(TestHubs.epoch(server.hub())), "a restart starts a new epoch");
        server.publish(TOPIC, 3);
        JsonNode s = page.await("a gap and message 3 after the restart", WAIT,
                st -> st.get("received").size() >= 3 && count(st, "gap") >= 1);
        assertEquals(List.of(1, 2, 3), numbers(s));
        JsonNode gap = null;
        for (JsonNode e : s.get("events")) {
            if (e.get("name").asText().equals("gap")) {
                gap = e.get("value");
            }
        }
        assertEquals("epoch", gap.get("reason").asText(), gap.toString());
        assertEquals(transport, s.get("transport").asText());
    }

    /**
     * Two topics on one connection (HTTP: one request with a topic@id,topic@id cursor; WebSocket: one subscribe per
     * topic): after the server drops everything, each topic resumes from its own last id.
     */
    static void resumesSeveralTopicsWithoutLoss(ClientPage page, PageServer server, String transport) throws Exception {
        page.eval("h.start(" + forced(transport) + ", ['news', 'sport'])");
        page.await("open", WAIT, s -> count(s, "open") >= 1);
        for (int n = 1; n <= 10; n++) {
            server.publish(n % 2 == 0 ? "news" : "sport", n);
        }
        page.await("first 10", WAIT, s -> s.get("received").size() >= 10);
        server.outage();
        try {
            page.await("the client noticing the drop", WAIT, s -> count(s, "reconnecting") >= 1);
            for (int n = 11; n <= 20; n++) {
                server.publish(n % 2 == 0 ? "news" : "sport", n);
            }
        } finally {
            server.restore();
        }
        JsonNode s = page.await("20 messages", WAIT, st -> st.get("received").size() >= 20 && count(st, "open") >= 2);
        List<Integer> news = new ArrayList<>();
        List<Integer> sport = new ArrayList<>();
        s.get("received").forEach(m -> (m.get("topic").asText().equals("news") ? news : sport).add(m.get("data").get("n").asInt()));
        assertEquals(List.of(2, 4, 6, 8, 10, 12, 14, 16, 18, 20), news);
        assertEquals(List.of(1, 3, 5, 7, 9, 11, 13, 15, 17, 19), sport);
        assertEquals(20, s.get("received").size());
        assertEquals(transport, s.get("transport").asText());
    }

    /** Resuming from another epoch's id: the server says so with a gap and continues from its oldest message. */
    static void reportsGapWhenResumingFromAnotherEpoch(ClientPage page, PageServer server, String transport) {
        for (int n = 1; n <= 3; n++) {
            server.publish(TOPIC, n);
        }
        page.eval("h.start(" + forced(transport) + ", ['" + TOPIC + "'], 'zzzzzz-7')");
        JsonNode s = page.await("gap and 3 messages", WAIT, st -> st.get("received").size() >= 3 && count(st, "gap") >= 1);
        assertEquals(List.of(1, 2, 3), numbers(s));
        JsonNode gap = null;
        for (JsonNode e : s.get("events")) {
            if (e.get("name").asText().equals("gap")) {
                gap = e.get("value");
            }
        }
        assertEquals(1, count(s, "gap"));
        assertEquals("epoch", gap.get("reason").asText(), gap.toString());
        assertEquals(TOPIC, gap.get("topic").asText());
        assertEquals(s.get("received").get(0).get("id").asText(), gap.get("next").asText());
    }

    /** Default transports against a server without WebSocket: falls back, says why, then works. */
    static JsonNode fallsBack(ClientPage page, PageServer server, String expected, String options) {
        start(page, options);
        JsonNode s = page.await("fallback to " + expected, WAIT,
                st -> expected.equals(st.get("transport").asText()) && count(st, "open") >= 1);
        server.publish(TOPIC, 1);
        page.eval("h.publish('" + TOPIC + "', 2, 2)");
        s = page.await("2 messages over " + expected, WAIT, st -> st.get("received").size() >= 2);
        assertEquals(List.of(1, 2), numbers(s));
        JsonNode first = null;
        for (JsonNode e : s.get("events")) {
            if (e.get("name").asText().equals("transport")) {
                first = first == null ? e.get("value") : first;
            }
        }
        assertTrue(first != null, "a transport event: " + s.get("events"));
        assertEquals("websocket", first.get("from").asText());
        assertTrue(first.get("reason").asText().contains("WebSocket refused"), first.toString());
        assertEquals(expected, s.get("transport").asText());
        return s;
    }

    static List<Integer> numbers(JsonNode state) {
        List<Integer> out = new ArrayList<>();
        state.get("received").forEach(m -> out.add(m.get("data").get("n").asInt()));
        return out;
    }

    static List<Integer> range(int from, int to) {
        return IntStream.rangeClosed(from, to).boxed().collect(Collectors.toList());
    }

    private static void assertIdsIncrease(JsonNode state) {
        long last = -1;
        for (JsonNode m : state.get("received")) {
            String id = m.get("id").asText();
            long seq = Long.parseLong(id.substring(id.lastIndexOf('-') + 1));
            assertTrue(seq > last, "ids increase: " + state.get("received"));
            last = seq;
            assertEquals(TOPIC, m.get("topic").asText());
        }
    }
}
