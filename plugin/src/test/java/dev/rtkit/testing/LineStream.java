package dev.rtkit.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;

/** A long-lived HTTP response read line by line (LF-terminated, CR kept), with deadlines on every wait. */
public final class LineStream implements AutoCloseable {
    private static final String END = "\u0000<end>";
    private static final int RAW_LIMIT = 1 << 20;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Request request;
    private final Response response;
    private final StringBuilder raw = new StringBuilder();
    private final Thread reader;
    private volatile boolean cleanEnd;

    private LineStream(Request request, Response response, InputStreamResponseListener listener) {
        this.request = request;
        this.response = response;
        this.reader = new Thread(() -> read(listener), "line-stream-reader");
        reader.setDaemon(true);
        reader.start();
    }

    public static LineStream open(HttpClient client, URI uri, Consumer<Request> customize) throws Exception {
        Request request = client.newRequest(uri).timeout(0, TimeUnit.SECONDS).idleTimeout(60, TimeUnit.SECONDS);
        customize.accept(request);
        InputStreamResponseListener listener = new InputStreamResponseListener();
        request.send(listener);
        Response response = listener.get(10, TimeUnit.SECONDS);
        return new LineStream(request, response, listener);
    }

    public static LineStream open(HttpClient client, URI uri) throws Exception {
        return open(client, uri, r -> { });
    }

    private void read(InputStreamResponseListener listener) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(listener.getInputStream(), StandardCharsets.UTF_8))) {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                synchronized (raw) {
                    // The start is enough for diagnostics and exact-byte checks; keep memory flat for big streams.
                    if (raw.length() < RAW_LIMIT) {
                        raw.append((char) c);
                    }
                }
                if (c == '\n') {
                    lines.add(line.toString());
                    line.setLength(0);
                } else {
                    line.append((char) c);
                }
            }
            cleanEnd = true;
        } catch (IOException | UncheckedIOException e) {
            // Aborted or closed: the end marker tells waiters.
        }
        lines.add(END);
    }

    public Response response() {
        return response;
    }

    /** Next line within the deadline; fails if the stream ended or nothing came. */
    public String next(Duration timeout) throws InterruptedException {
        String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null) {
            throw new AssertionError("no line within " + timeout + "; so far: " + raw());
        }
        if (line.equals(END)) {
            lines.add(END);
            throw new AssertionError("stream ended; so far: " + raw());
        }
        return line;
    }

    /** Reads lines until one matches, returning every line read including it. */
    public List<String> until(Predicate<String> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> seen = new ArrayList<>();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no matching line within " + timeout + "; so far: " + raw());
            }
            String line = next(Duration.ofNanos(left));
            seen.add(line);
            if (match.test(line)) {
                return seen;
            }
        }
    }

    /** True once the server ended the response, within the deadline. */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
            if (END.equals(line)) {
                lines.add(END);
                return true;
            }
        }
        return false;
    }

    /** Waits until everything received so far satisfies the condition, and returns it. */
    public String awaitRaw(Predicate<String> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String now = raw();
            if (condition.test(now)) {
                return now;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("stream never matched within " + timeout + "; so far: " + now);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
        }
    }

    /** True when the server ended the response properly (not a reset or an aborted connection). */
    public boolean endedCleanly() {
        return cleanEnd;
    }

    /** Everything received so far, verbatim. */
    public String raw() {
        synchronized (raw) {
            return raw.toString();
        }
    }

    @Override
    public void close() {
        request.abort(new IOException("test closed the stream"));
    }
}
