package dev.rtkit.internal.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rtkit.testing.Clients;
import dev.rtkit.testing.LineStream;
import dev.rtkit.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * rtkit with no Micrometer on the class path at all: this class runs in its own Surefire execution with
 * micrometer-core (and what it brings) removed from the test class path. Every transport works and records nothing.
 */
@Tag("without-micrometer")
class WithoutMicrometerTest {

    @Test
    void rtkitRunsAndRecordsNothingWhenMicrometerIsAbsent() throws Exception {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("io.micrometer.core.instrument.MeterRegistry"));
        try (TestServer server = new TestServer().start()) {
            assertSame(Metrics.NONE, server.hub().metrics());
            HttpClient http = Clients.HTTP_1_1.create();
            try (LineStream sse = LineStream.open(http, server.uri("/rt/sse/news?fallback=websocket.handshake"))) {
                sse.next(Duration.ofSeconds(10));
                assertEquals(202, http.POST(server.uri("/rt/publish/news"))
                        .body(new StringRequestContent("application/json", "{\"n\":1}", StandardCharsets.UTF_8))
                        .send().getStatus());
                sse.until(line -> line.contains("\"n\":1"), Duration.ofSeconds(10));
                assertEquals(400, http.GET(server.uri("/rt/poll/bad!topic")).getStatus());
            } finally {
                http.stop();
            }
        }
    }
}
