package dev.rtkit.facade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtkit.Event;
import dev.rtkit.Gap;
import dev.rtkit.Message;
import dev.rtkit.Payload;
import dev.rtkit.Published;
import dev.rtkit.Rtkit;
import dev.rtkit.RtkitException;
import dev.rtkit.Subscription;
import dev.rtkit.testing.Clients;
import dev.rtkit.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The public facade: what an application's own code publishes reaches browsers, and what they publish reaches it. */
class RtkitFacadeTest {
    private TestServer server;
    private HttpClient http;

    @BeforeEach
    void start() throws Exception {
        server = new TestServer().start();
        http = Clients.HTTP_1_1.create();
    }

    @AfterEach
    void stop() throws Exception {
        http.stop();
        server.close();
    }

    private static List<Message> messages(List<Event> events) {
        return events.stream().filter(e -> e instanceof Message).map(e -> (Message) e).toList();
    }

    @Test
    void aPublishFromJavaIsPolledOverHttpWithTheIdItReturned() throws Exception {
        Rtkit rtkit = server.rtkit();
        Published first = rtkit.publish("news", Payload.text("first"));
        Published second = rtkit.publish("news", Payload.json("{ \"headline\" : 1 }"), "update");
        ContentResponse poll = http.GET(server.uri("/rt/poll/news?since=" + first.id()));
        assertEquals(200, poll.getStatus());
        assertTrue(poll.getContentAsString().contains("\"id\":\"" + second.id() + "\",\"event\":\"update\",\"data\":{\"headline\":1}"),
                poll.getContentAsString());
    }

    @Test
    void aServerSideSubscriberGetsHistoryFromItsCursorThenLiveMessagesPublishedOverHttp() throws Exception {
        Rtkit rtkit = server.rtkit();
        Published start = rtkit.publish("orders", Payload.text("0"));
        rtkit.publish("orders", Payload.text("1"));
        List<Event> seen = new CopyOnWriteArrayList<>();
        try (Subscription s = rtkit.subscribe(List.of("orders"), start.id().toString(), new Rtkit.Listener() {
            @Override
            public void onMessage(Message m) {
                seen.add(m);
            }

            @Override
            public void onGap(Gap g) {
                seen.add(g);
            }
        })) {
            assertEquals(202, http.POST(server.uri("/rt/publish/orders")).body(
                    new org.eclipse.jetty.client.StringRequestContent("2")).send().getStatus());
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() >= 2);
            assertEquals(List.of("1", "2"), messages(seen).stream().map(Message::data).toList());
            assertEquals(messages(seen).get(1).id().toString(), s.cursor(), "the cursor stands after the last delivered");
        }
    }

    @Test
    void aCursorFromAnotherEpochGivesTheListenerAGapNotASilentRestart() throws Exception {
        Rtkit rtkit = server.rtkit();
        rtkit.publish("t", Payload.text("kept"));
        List<Event> seen = new CopyOnWriteArrayList<>();
        try (Subscription s = rtkit.subscribe(List.of("t"), "zz00000-5", new Rtkit.Listener() {
            @Override
            public void onMessage(Message m) {
                seen.add(m);
            }

            @Override
            public void onGap(Gap g) {
                seen.add(g);
            }
        })) {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() >= 2);
            Gap gap = (Gap) seen.get(0);
            assertEquals(Gap.Reason.EPOCH, gap.reason());
            assertEquals("kept", ((Message) seen.get(1)).data());
        }
    }

    @Test
    void aListenerThatThrowsStillGetsTheNextMessage() throws Exception {
        Rtkit rtkit = server.rtkit();
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Subscription s = rtkit.subscribe(List.of("t"), null, m -> {
            seen.add(m.data());
            if (m.data().equals("boom")) {
                throw new IllegalStateException("application bug");
            }
        })) {
            rtkit.publish("t", Payload.text("boom"));
            rtkit.publish("t", Payload.text("after"));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 2);
            assertEquals(List.of("boom", "after"), seen);
        }
    }

    @Test
    void invalidInputIsRefusedAtOnceWithItsKind() {
        Rtkit rtkit = server.rtkit();
        assertEquals(RtkitException.Kind.BAD_REQUEST,
                assertThrows(RtkitException.class, () -> rtkit.publish("bad topic", Payload.text("x"))).kind());
        assertEquals(RtkitException.Kind.BAD_REQUEST,
                assertThrows(RtkitException.class, () -> rtkit.publish("t", Payload.json("{oops"))).kind());
        assertEquals(RtkitException.Kind.BAD_REQUEST,
                assertThrows(RtkitException.class, () -> rtkit.subscribe(List.of("t"), "not-a-cursor!", m -> { })).kind());
    }
}
