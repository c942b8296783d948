package dev.rtkit.internal.transport.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtkit.testing.Clients;
import dev.rtkit.testing.LineStream;
import dev.rtkit.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.junit.jupiter.api.Test;

/**
 * An open SSE stream holds no buffer of Jetty's pool between writes, however many it has written: held buffers
 * would cost their memory per idle stream and slow every other take from the same bucket of the pool.
 */
class IdleStreamBuffersTest {
    private static final int STREAMS = 40;
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void openStreamsHoldNoPooledBufferBetweenWrites() throws Exception {
        try (TestServer server = new TestServer().start()) {
            HttpClient client = Clients.HTTP_1_1.create();
            List<LineStream> streams = new ArrayList<>();
            try {
                ArrayByteBufferPool pool = (ArrayByteBufferPool) server.server().getByteBufferPool();
                long before = inUse(pool);
                for (int i = 0; i < STREAMS; i++) {
                    LineStream s = LineStream.open(client, server.uri("/rt/sse/t"));
                    streams.add(s);
                    s.awaitRaw(raw -> raw.startsWith("retry:"), WAIT);
                }
                for (int i = 0; i < 3; i++) {
                    ContentResponse r = client.newRequest(server.uri("/rt/publish/t")).method(HttpMethod.POST)
                            .body(new StringRequestContent("text/plain", "m" + i, StandardCharsets.UTF_8)).send();
                    assertEquals(202, r.getStatus(), r.getContentAsString());
                }
                for (LineStream s : streams) {
                    s.awaitRaw(raw -> raw.contains("data: m2"), WAIT);
                }
                long held = inUse(pool) - before;
                assertTrue(held < STREAMS / 4, held + " pooled buffers held by " + STREAMS + " idle streams");
            } finally {
                streams.forEach(LineStream::close);
                client.stop();
            }
        }
    }

    private static long inUse(ArrayByteBufferPool pool) {
        return pool.getDirectByteBufferCount() - pool.getAvailableDirectByteBufferCount()
                + pool.getHeapByteBufferCount() - pool.getAvailableHeapByteBufferCount();
    }
}
