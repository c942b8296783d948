package dev.rtkit.internal.transport.websocket;

import dev.rtkit.Message;
import jakarta.websocket.SendHandler;
import jakarta.websocket.Session;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * How an {@link Outbox} puts its text frames on the wire. A frame is a {@link Message} (sent as its one shared
 * UTF-8 encoding) or a String. On Jetty the frames go through its frame API ({@link JettyFrames}): a message's
 * bytes are written as they are, not encoded again per subscriber, and frames ready together go out in one
 * write. Elsewhere, one Jakarta {@code sendText} at a time.
 */
abstract class TextWire {
    final Runnable written;
    final Consumer<Throwable> failed;

    /**
     * @param written the frame sent last (without {@code more}) is on the wire
     * @param failed  a frame could not be sent; may be told more than once
     */
    private TextWire(Runnable written, Consumer<Throwable> failed) {
        this.written = written;
        this.failed = failed;
    }

    static TextWire of(Session session, Runnable written, Consumer<Throwable> failed) {
        return JettyFrames.forSession(session).<TextWire>map(f -> new Jetty(f, session, written, failed))
                .orElseGet(() -> new Jakarta(session, written, failed));
    }

    /** Whether several frames may be sent at once, all but the last with {@code more}. */
    abstract boolean groups();

    /**
     * Sends one frame and returns its payload's bytes. With {@code more} (only where {@link #groups()}) the next
     * frame follows at once and this one may wait for it; only the frame sent without is reported written.
     */
    abstract int send(Object frame, boolean more);

    /** Bytes of {@code s} in UTF-8, what the container writes for a text frame (without the frame's header). */
    static int utf8Length(String s) {
        int n = s.length();
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                n += c < 0x800 || Character.isSurrogate(c) ? 1 : 2;
            }
        }
        return n;
    }

    private static final class Jakarta extends TextWire implements SendHandler {
        private final Session session;

        Jakarta(Session session, Runnable written, Consumer<Throwable> failed) {
            super(written, failed);
            this.session = session;
        }

        @Override
        boolean groups() {
            return false;
        }

        @Override
        int send(Object frame, boolean more) {
            String text = frame instanceof Message m ? m.text() : (String) frame;
            // The message's JSON is its text's UTF-8: its length is known without counting.
            int bytes = frame instanceof Message m ? m.json().length : utf8Length(text);
            session.getAsyncRemote().sendText(text, this);
            return bytes;
        }

        @Override
        public void onResult(jakarta.websocket.SendResult result) {
            if (result.isOK()) {
                written.run();
            } else {
                failed.accept(result.getException());
            }
        }
    }

    private static final class Jetty extends TextWire {
        private final JettyFrames frames;
        private final Object core;
        /** One in flight at a time (the outbox waits for it), so one callback serves every last frame. */
        private final Object last;
        /** A batched frame's callback succeeds as soon as Jetty has aggregated it: only failures matter. */
        private final Object more;

        Jetty(JettyFrames frames, Session session, Runnable written, Consumer<Throwable> failed) {
            super(written, failed);
            this.frames = frames;
            this.core = frames.core(session);
            this.last = frames.callback(written, failed);
            this.more = frames.callback(() -> { }, failed);
        }

        @Override
        boolean groups() {
            return true;
        }

        @Override
        int send(Object frame, boolean more) {
            byte[] bytes = frame instanceof Message m ? m.json() : ((String) frame).getBytes(StandardCharsets.UTF_8);
            frames.send(core, JettyFrames.TEXT, ByteBuffer.wrap(bytes), more ? this.more : last, more);
            return bytes.length;
        }
    }
}
