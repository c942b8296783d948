package dev.rtkit.internal.transport.http;

import dev.rtkit.RtkitException;
import dev.rtkit.internal.transport.Guard;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A publish body read without holding a thread: bytes are taken as they arrive ({@link ReadListener}), a body
 * above the size limit is refused as soon as it is, and a watchdog refuses one that takes longer than the body
 * deadline or arrives slower than the minimum rate (from its third second on, so a slow start is forgiven).
 * Exactly one of the outcomes is reported, once.
 */
final class PublishBody implements ReadListener {
    /** Status for a body that did not arrive in time (Request Timeout). */
    static final int TIMEOUT_STATUS = 408;
    private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);

    /** What became of the body. Called once, on a container thread or the watchdog's. */
    interface Outcome {
        void body(String text);

        /** {@code status} is the HTTP status to answer with. */
        void refused(int status, RtkitException reason);

        /** The client went away or the connection failed: nothing to answer. */
        void gone(Throwable cause);
    }

    private final ServletInputStream in;
    private final int max;
    private final Guard.PublishLimits limits;
    private final Outcome outcome;
    private final ByteArrayOutputStream received;
    private final byte[] chunk = new byte[4096];
    private final AtomicBoolean done = new AtomicBoolean();
    private final long start = System.nanoTime();
    private volatile long count;
    private ScheduledFuture<?> watchdog;

    PublishBody(ServletInputStream in, long declaredLength, int max, Guard.PublishLimits limits, Outcome outcome) {
        this.in = in;
        this.max = max;
        this.limits = limits;
        this.outcome = outcome;
        this.received = new ByteArrayOutputStream(declaredLength > 0 ? (int) declaredLength : 256);
    }

    void start(ScheduledExecutorService timer) {
        watchdog = timer.scheduleWithFixedDelay(this::watch, 1, 1, TimeUnit.SECONDS);
        in.setReadListener(this);
    }

    @Override
    public void onDataAvailable() throws IOException {
        while (!done.get() && in.isReady()) {
            int n = in.read(chunk);
            if (n < 0) {
                return;
            }
            count += n;
            if (count > max) {
                refuse(413, new RtkitException(RtkitException.Kind.TOO_LARGE, "message is larger than " + max + " bytes"));
                return;
            }
            received.write(chunk, 0, n);
        }
    }

    @Override
    public void onAllDataRead() {
        if (!finish()) {
            return;
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(received.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            outcome.refused(400, new RtkitException(RtkitException.Kind.BAD_REQUEST, "body is not valid UTF-8"));
            return;
        }
        outcome.body(text);
    }

    @Override
    public void onError(Throwable t) {
        if (finish()) {
            outcome.gone(t);
        }
    }

    private void watch() {
        long elapsed = System.nanoTime() - start;
        if (elapsed > limits.bodyTimeout().toNanos()) {
            refuse(TIMEOUT_STATUS, new RtkitException(RtkitException.Kind.BAD_REQUEST,
                    "the message body did not arrive within " + limits.bodyTimeout().toMillis() + " ms"));
        } else if (elapsed > GRACE_NANOS && count < limits.minBodyRate() * (elapsed / 1e9)) {
            refuse(TIMEOUT_STATUS, new RtkitException(RtkitException.Kind.BAD_REQUEST,
                    "the message body arrives too slowly: send at least " + limits.minBodyRate() + " bytes a second"));
        }
    }

    private void refuse(int status, RtkitException reason) {
        if (finish()) {
            outcome.refused(status, reason);
        }
    }

    private boolean finish() {
        if (!done.compareAndSet(false, true)) {
            return false;
        }
        if (watchdog != null) {
            watchdog.cancel(false);
        }
        return true;
    }
}
