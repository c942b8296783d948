package dev.rtkit.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtkit.testing.Clients;
import dev.rtkit.testing.LineStream;
import dev.rtkit.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A client that closes its stream or SSE connection frees its subscription and its connection permit within
 * seconds, long before the next heartbeat would find out: over HTTP/1.1 (where only a write can tell, hence the
 * server's probes), over h2 when the whole connection closes, and over h2 when just the stream is reset. The
 * server is at its connection limit, so the permit is seen from outside: a new stream gets in again.
 */
class ClosedStreamTest {
    /** Far longer than the test waits: only the close itself may free the stream. */
    private static final int HEARTBEAT_MILLIS = 60_000;
    private static final Duration PROMPTLY = Duration.ofSeconds(3);
    /** The healthy bystander and the stream that closes. */
    private static final int MAX_CONNECTIONS = 2;

    private TestServer server;
    private HttpClient http;

    @BeforeEach
    void start() throws Exception {
        server = new TestServer().param("heartbeatIntervalMillis", HEARTBEAT_MILLIS)
                .param("maxConnections", MAX_CONNECTIONS).start();
        http = Clients.HTTP_1_1.create();
    }

    @AfterEach
    void stop() throws Exception {
        http.stop();
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sse", "stream"})
    void aClosedHttp11ConnectionFreesItsPermitPromptly(String transport) throws Exception {
        try (LineStream healthy = LineStream.open(http, server.uri("/rt/sse/healthy"))) {
            Socket closing = openRaw("/rt/" + transport + "/t");
            assertFull();
            closing.close();
            assertFreedPromptly();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sse", "stream"})
    void aClosedH2ConnectionFreesItsPermitPromptly(String transport) throws Exception {
        try (LineStream healthy = LineStream.open(http, server.uri("/rt/sse/healthy"))) {
            HttpClient h2 = Clients.H2C.create();
            try {
                LineStream.open(h2, server.uri("/rt/" + transport + "/t"));
                assertFull();
            } finally {
                // Closes the client's one TCP connection, every stream on it with it.
                h2.stop();
            }
            assertFreedPromptly();
        }
    }

    @Test
    void aResetH2StreamFreesItsPermitPromptly() throws Exception {
        HttpClient h2 = Clients.H2C.create();
        try {
            LineStream closing = LineStream.open(h2, server.uri("/rt/sse/t"));
            try (LineStream healthy = LineStream.open(h2, server.uri("/rt/sse/healthy"))) {
                assertFull();
                closing.close();
                assertFreedPromptly();
            }
        } finally {
            h2.stop();
        }
    }

    @ParameterizedTest
    @CsvSource({"0, false", "1000, true"})
    void anIdleHttp11StreamIsProbedOnlyWhileProbesAreOn(int probeIntervalMillis, boolean probed) throws Exception {
        server.close();
        server = new TestServer().param("heartbeatIntervalMillis", HEARTBEAT_MILLIS)
                .param("streamProbeIntervalMillis", probeIntervalMillis).param("maxConnections", MAX_CONNECTIONS).start();
        try (Socket idle = openRaw("/rt/stream/t")) {
            InputStream in = idle.getInputStream();
            // Whatever the stream sends as it opens, then only a probe could come: none for 60 s of heartbeat.
            idle.setSoTimeout(300);
            try {
                while (in.read() >= 0) {
                    // the opening bytes
                }
            } catch (SocketTimeoutException quiet) {
                // opened and idle
            }
            idle.setSoTimeout(2_500);
            boolean got;
            try {
                got = in.read() >= 0;
            } catch (SocketTimeoutException quiet) {
                got = false;
            }
            assertEquals(probed, got, "a probe within 2.5 s with streamProbeIntervalMillis=" + probeIntervalMillis);
        }
    }

    /** Both permits are held: a third stream is refused at the server's connection limit. */
    private void assertFull() throws Exception {
        Awaitility.await().atMost(PROMPTLY).until(() -> server.hub().subscriptionCount() == 2);
        assertEquals(503, http.newRequest(server.uri("/rt/sse/third")).timeout(10, TimeUnit.SECONDS).send().getStatus());
    }

    /** The closed stream's subscription ends and its permit lets a new stream in, while the healthy one stays. */
    private void assertFreedPromptly() throws Exception {
        Awaitility.await().atMost(PROMPTLY).until(() -> server.hub().subscriptionCount() == 1);
        LineStream third = Awaitility.await().atMost(PROMPTLY).pollInterval(Duration.ofMillis(100))
                .until(this::tryOpenThird, s -> s != null);
        try (third) {
            assertEquals(200, third.response().getStatus());
        }
    }

    private LineStream tryOpenThird() throws Exception {
        LineStream s = LineStream.open(http, server.uri("/rt/sse/third"));
        if (s.response().getStatus() == 200) {
            return s;
        }
        s.close();
        return null;
    }

    /** A stream over a plain socket, its response head and first bytes read: a client that then just closes. */
    private Socket openRaw(String path) throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        s.setSoTimeout(10_000);
        s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).contains("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        assertTrue(head.toString(StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200"), head.toString(StandardCharsets.US_ASCII));
        return s;
    }
}
