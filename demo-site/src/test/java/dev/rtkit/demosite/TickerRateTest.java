package dev.rtkit.demosite;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** /demo/ticker: the race ticker's rate, read and changed over HTTP; bad rates are a 400, never a change. */
class TickerRateTest extends RunningSite {
    private static final ObjectMapper JSON = new ObjectMapper();
    HttpClient http;

    @BeforeEach
    void client() throws Exception {
        http = DemoClients.HTTP_1_1.create();
    }

    @AfterEach
    void stopClient() throws Exception {
        http.stop();
    }

    private ContentResponse send(String method, String path) throws Exception {
        return http.newRequest(site.httpUri().resolve(path)).method(method).timeout(10, TimeUnit.SECONDS).send();
    }

    @Test
    void newRateChangesTheTimeBetweenTicks() throws Exception {
        ContentResponse set = send("POST", "/demo/ticker?perSecond=20");
        assertEquals(200, set.getStatus(), set.getContentAsString());
        assertEquals(50, JSON.readTree(set.getContentAsString()).get("periodMillis").asInt());
        assertEquals(50, JSON.readTree(send("GET", "/demo/ticker").getContentAsString()).get("periodMillis").asInt());

        String cursor = JSON.readTree(send("GET", "/rt/poll/ticker").getContentAsString()).get("cursor").asText();
        List<Long> sentAt = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertTrue(() -> {
            JsonNode batch = poll(cursor);
            sentAt.clear();
            batch.get("messages").forEach(m -> sentAt.add(m.get("data").get("sentAt").asLong()));
            return sentAt.size() >= 11;
        }, () -> "ticks so far: " + sentAt));
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < sentAt.size(); i++) {
            gaps.add(sentAt.get(i) - sentAt.get(i - 1));
        }
        gaps.sort(null);
        long median = gaps.get(gaps.size() / 2);
        assertTrue(median >= 25 && median <= 100, "median gap " + median + " ms between ticks, " + gaps);
        assertEquals(200, send("POST", "/demo/ticker?perSecond=2").getStatus());
    }

    private JsonNode poll(String cursor) {
        try {
            return JSON.readTree(send("GET", "/rt/poll/ticker?since=" + cursor).getContentAsString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void rateOutsideOneTickInTenSecondsToFiftyASecondIs400AndChangesNothing() throws Exception {
        long before = JSON.readTree(send("GET", "/demo/ticker").getContentAsString()).get("periodMillis").asLong();
        for (String bad : List.of("?perSecond=0", "?perSecond=51", "?perSecond=0.09", "?perSecond=abc", "?perSecond=NaN", "")) {
            ContentResponse r = send("POST", "/demo/ticker" + bad);
            assertEquals(400, r.getStatus(), bad);
            assertTrue(JSON.readTree(r.getContentAsString()).has("error"), r.getContentAsString());
        }
        assertEquals(before, JSON.readTree(send("GET", "/demo/ticker").getContentAsString()).get("periodMillis").asLong());
    }
}
