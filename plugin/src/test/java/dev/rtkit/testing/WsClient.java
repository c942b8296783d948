package dev.rtkit.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A WebSocket test client, whatever the implementation underneath: text frames received in order, the
 * close code, and waits with deadlines. See {@link JettyWsClient} and {@link JdkWsClient}.
 */
public abstract class WsClient implements AutoCloseable {
    /** Numbers of any length: payloads come back digit for digit, however long. */
    private static final ObjectMapper MAPPER = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
                    .maxNumberLength(Integer.MAX_VALUE).build()).build());

    private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();
    /** The close status code the server sent (or 1006 when the connection just ended). */
    protected final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    protected volatile String closeReason;

    public abstract void send(String text) throws Exception;

    public abstract void sendBinary(byte[] data) throws Exception;

    /** The HTTP status of the upgrade response: 101 over HTTP/1.1, 200 over HTTP/2. */
    public abstract int upgradeStatus();

    protected void received(String text) {
        texts.add(text);
    }

    protected void ended(int code, String reason) {
        closeReason = reason;
        closeCode.complete(code);
    }

    /** The next text frame, parsed; fails when none comes in time. */
    public JsonNode next(Duration timeout) throws Exception {
        String text = texts.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (text == null) {
            throw new AssertionError("no frame within " + timeout + "; so far " + seen + "; closed: " + closeCode.getNow(null));
        }
        synchronized (seen) {
            seen.add(text);
        }
        return MAPPER.readTree(text);
    }

    public String nextRaw(Duration timeout) throws Exception {
        JsonNode n = next(timeout);
        synchronized (seen) {
            return seen.get(seen.size() - 1);
        }
    }

    /** Frames until one matches, returning all of them including it. */
    public List<JsonNode> until(Predicate<JsonNode> match, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<JsonNode> out = new ArrayList<>();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no matching frame within " + timeout + "; got " + out);
            }
            JsonNode n = next(Duration.ofNanos(left));
            out.add(n);
            if (match.test(n)) {
                return out;
            }
        }
    }

    /** The next frame of the given type, skipping others. */
    public JsonNode nextOfType(String type, Duration timeout) throws Exception {
        List<JsonNode> frames = until(n -> type.equals(n.path("type").asText()), timeout);
        return frames.get(frames.size() - 1);
    }

    /** Nothing arrives within the window (used only where a frame would be a bug). */
    public JsonNode poll(Duration timeout) throws Exception {
        String text = texts.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return text == null ? null : MAPPER.readTree(text);
    }

    /** The close code the server sent, waiting for it. */
    public int awaitClose(Duration timeout) throws Exception {
        try {
            return closeCode.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("not closed within " + timeout);
        }
    }

    public String closeReason() {
        return closeReason;
    }

    public boolean isClosed() {
        return closeCode.isDone();
    }

    /** A JSON frame from alternating names and values, e.g. {@code json("type","subscribe","topic","t")}. */
    public static String json(Object... pairs) {
        var node = MAPPER.createObjectNode();
        for (int i = 0; i < pairs.length; i += 2) {
            node.set((String) pairs[i], MAPPER.valueToTree(pairs[i + 1]));
        }
        return node.toString();
    }

    public static JsonNode parse(String text) throws Exception {
        return MAPPER.readTree(text);
    }
}
