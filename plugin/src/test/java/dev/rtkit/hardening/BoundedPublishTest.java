package dev.rtkit.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtkit.testing.Clients;
import dev.rtkit.testing.ErrorLog;
import dev.rtkit.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Publishing cannot hold the server's threads or outrun its bounds: slow bodies wait without a thread and are
 * refused with 408, bodies under way and the publish rate are bounded per address across connections (429 with
 * Retry-After), and a polite client is served throughout. Raw sockets, so the bodies really are slow.
 */
class BoundedPublishTest {
    private TestServer server;
    private HttpClient client;
    private final List<Socket> sockets = new ArrayList<>();
    private final ErrorLog errors = new ErrorLog();

    private void start(Object... params) throws Exception {
        server = new TestServer().maxThreads(12);
        for (int i = 0; i < params.length; i += 2) {
            server.param((String) params[i], params[i + 1]);
        }
        server.start();
        client = Clients.HTTP_1_1.create();
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
        if (client != null) {
            client.stop();
        }
        if (server != null) {
            server.close();
        }
        errors.close();
        assertEquals(List.of(), errors.errors(), "nothing logged at ERROR");
    }

    /** A publish whose head and first byte are sent, the rest of its declared body never. */
    private Socket slowPublish(String topic) throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        s.setSoTimeout(15_000);
        sockets.add(s);
        OutputStream out = s.getOutputStream();
        out.write(("POST /rt/publish/" + topic + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                + "Content-Length: 1000\r\n\r\nx").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s;
    }

    private static String response(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                got.write(buf, 0, n);
                String text = got.toString(StandardCharsets.UTF_8);
                if (text.contains("\r\n\r\n") && text.contains("}")) {
                    break;
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer; so far: " + got.toString(StandardCharsets.UTF_8), e);
        }
        return got.toString(StandardCharsets.UTF_8);
    }

    private ContentResponse publish(String topic) throws Exception {
        return client.POST(server.uri("/rt/publish/" + topic)).body(new StringRequestContent("text/plain", "hi"))
                .timeout(5, TimeUnit.SECONDS).send();
    }

    @Test
    void slowBodiesHoldNoThreadAndAreRefusedWith408() throws Exception {
        start("maxPublishesInFlightPerAddress", 100, "publishBodyTimeoutMillis", 4000, "minPublishBodyBytesPerSecond", 100);
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            slow.add(slowPublish("slow"));
        }
        // 40 slow bodies against 12 container threads: a blocking read would leave none for this.
        assertEquals(202, publish("polite").getStatus());
        for (Socket s : slow) {
            String answer = response(s);
            assertTrue(answer.startsWith("HTTP/1.1 408 "), answer);
            assertTrue(answer.contains("{\"error\":\"the message body arrives too slowly"), answer);
        }
        assertEquals(202, publish("polite").getStatus());
    }

    @Test
    void publishesUnderWayAreBoundedPerAddressWithRetryAfter() throws Exception {
        start("maxPublishesInFlightPerAddress", 4, "publishBodyTimeoutMillis", 60_000, "minPublishBodyBytesPerSecond", 1,
                "maxPublishRate", 10_000, "maxPublishRatePerAddress", 10_000);
        for (int i = 0; i < 4; i++) {
            slowPublish("held");
        }
        ContentResponse refused = awaitStatus(429);
        assertEquals("1", refused.getHeaders().get("Retry-After"));
        assertTrue(refused.getContentAsString().contains("too many publishes under way from your address"),
                refused.getContentAsString());
        for (Socket s : sockets) {
            s.close();
        }
        awaitStatus(202);
    }

    /** The slow publishes reach the servlet in their own time: publish until the answer is the one expected. */
    private ContentResponse awaitStatus(int status) {
        return Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                .until(() -> publish("probe"), r -> r.getStatus() == status);
    }

    @Test
    void thePublishRateIsBoundedPerAddressAcrossFreshConnections() throws Exception {
        start("maxPublishRate", 1000, "maxPublishRatePerAddress", 5);
        int refused = 0;
        for (int i = 0; i < 20; i++) {
            ContentResponse r = client.POST(server.uri("/rt/publish/rate")).headers(h -> h.put("Connection", "close"))
                    .body(new StringRequestContent("text/plain", "m" + i)).timeout(5, TimeUnit.SECONDS).send();
            if (r.getStatus() == 429) {
                refused++;
                assertEquals("1", r.getHeaders().get("Retry-After"));
                assertTrue(r.getContentAsString().contains("too fast from your address"), r.getContentAsString());
            } else {
                assertEquals(202, r.getStatus(), r.getContentAsString());
            }
        }
        assertTrue(refused >= 10, "a fresh connection buys no fresh budget: " + refused + " of 20 refused");
    }

    @Test
    void aPublishToAnInvalidTopicIsRefusedBeforeItsBodyArrives() throws Exception {
        // The body would be awaited for a minute: only a refusal before reading it answers within the socket's timeout.
        start("publishBodyTimeoutMillis", 60_000, "minPublishBodyBytesPerSecond", 1);
        String answer = response(slowPublish("bad%20name"));
        assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
        assertTrue(answer.contains("{\"error\":"), answer);
        assertEquals(202, publish("polite").getStatus());
    }

    @Test
    void aBodyAboveTheLimitIsRefusedAsItArrives() throws Exception {
        start("maxMessageBytes", 1000);
        Socket s = new Socket("127.0.0.1", server.port());
        s.setSoTimeout(10_000);
        sockets.add(s);
        OutputStream out = s.getOutputStream();
        out.write(("POST /rt/publish/big HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 3; i++) {
            out.write(("200\r\n" + "y".repeat(512) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        out.flush();
        String answer = response(s);
        assertTrue(answer.startsWith("HTTP/1.1 413 "), answer);
    }
}
