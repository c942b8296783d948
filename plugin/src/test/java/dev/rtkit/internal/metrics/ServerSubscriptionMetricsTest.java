package dev.rtkit.internal.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rtkit.Gap;
import dev.rtkit.Message;
import dev.rtkit.Payload;
import dev.rtkit.Rtkit;
import dev.rtkit.Subscription;
import dev.rtkit.Transport;
import dev.rtkit.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The application's own subscriptions ({@link Rtkit#subscribe}) are live subscriptions like any client's, and what
 * they receive is counted under {@code transport="server"}; they are no connections.
 */
class ServerSubscriptionMetricsTest {
    private MeteredServer site;

    @AfterEach
    void stop() throws Exception {
        if (site != null) {
            site.close();
        }
    }

    @Test
    void nServerSubscriptionsAreGaugedAndMPublishesAreCountedAsMTimesNServerDeliveries() throws Exception {
        site = new MeteredServer(new TestServer());
        Rtkit rtkit = site.server.rtkit();
        int n = 4;
        int m = 6;
        Queue<Message> received = new ConcurrentLinkedQueue<>();
        List<Subscription> subscriptions = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            subscriptions.add(rtkit.subscribe(List.of("orders"), null, received::add));
        }
        assertEquals(n, site.count("rtkit.subscriptions"));
        for (int i = 0; i < m; i++) {
            rtkit.publish("orders", Payload.json("{\"n\":" + i + "}"));
        }
        site.await("messages the listeners got", m * n, received::size);
        site.awaitCount(m * n, "rtkit.messages.delivered", "transport", "server");
        assertEquals(m * n, site.count("rtkit.delivery.lag", "transport", "server"));
        assertEquals(m, site.count("rtkit.messages.published"));
        assertEquals(0, site.count("rtkit.resumes", "transport", "server"), "all from now");
        for (Transport t : Transport.ALL) {
            assertEquals(0, site.count("rtkit.connections", "transport", t.wireName()), t + ": no connection");
            assertEquals(0, site.count("rtkit.messages.delivered", "transport", t.wireName()), t.wireName());
        }
        assertEquals(0, site.registry.find("rtkit.connections").tag("transport", "server").meters().size(),
                "a server subscription is no connection");

        subscriptions.get(0).close();
        assertEquals(n - 1, site.count("rtkit.subscriptions"));
        subscriptions.forEach(Subscription::close);
        assertEquals(0, site.count("rtkit.subscriptions"));
        rtkit.publish("orders", Payload.json("{\"n\":\"late\"}"));
        assertEquals(m * n, site.count("rtkit.messages.delivered", "transport", "server"), "closed ones get nothing");
    }

    @Test
    void aServerSubscriptionFromACursorCountsAsAResumeAndItsGapByReason() throws Exception {
        site = new MeteredServer(new TestServer());
        Rtkit rtkit = site.server.rtkit();
        rtkit.publish("audit", Payload.json("1"));
        Queue<Gap> gaps = new ConcurrentLinkedQueue<>();
        Queue<Message> received = new ConcurrentLinkedQueue<>();
        try (Subscription s = rtkit.subscribe(List.of("audit"), "otherepoch-3", new Rtkit.Listener() {
            @Override
            public void onMessage(Message message) {
                received.add(message);
            }

            @Override
            public void onGap(Gap gap) {
                gaps.add(gap);
            }
        })) {
            site.await("the gap the listener got", 1, gaps::size);
            assertEquals(Gap.Reason.EPOCH, gaps.peek().reason());
            site.await("the retained message after the gap", 1, received::size);
            assertEquals(1, site.count("rtkit.gaps", "reason", "epoch"));
            assertEquals(1, site.count("rtkit.resumes", "transport", "server"));
            assertEquals(1, site.count("rtkit.messages.delivered", "transport", "server"));
            assertEquals(1, site.count("rtkit.subscriptions"));
        }
    }
}
