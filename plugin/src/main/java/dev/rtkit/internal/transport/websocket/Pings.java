package dev.rtkit.internal.transport.websocket;

import jakarta.websocket.Session;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends WebSocket pings without blocking. The Jakarta API has only a blocking {@code sendPing} (Jetty waits for
 * the write, so a peer that stops reading held the shared timer thread for the whole write timeout), so on Jetty
 * the ping goes through its own non-blocking frame API, found by reflection so that the plugin still compiles
 * against the Jakarta APIs alone: {@code session.getCoreSession().sendFrame(new Frame(PING), callback, false)}.
 * Elsewhere no protocol ping is sent: the text heartbeat (asynchronous) and the stalled-send check keep watch.
 */
final class Pings {
    private static final Logger LOG = LoggerFactory.getLogger(Pings.class);
    private static final byte OPCODE_PING = 0x9;
    private static final Map<Class<?>, Optional<Pings>> BY_SESSION_CLASS = new ConcurrentHashMap<>();

    private final MethodHandle coreSession;
    private final MethodHandle newFrame;
    private final MethodHandle callbackFrom;
    private final MethodHandle sendFrame;

    private Pings(MethodHandle coreSession, MethodHandle newFrame, MethodHandle callbackFrom, MethodHandle sendFrame) {
        this.coreSession = coreSession;
        this.newFrame = newFrame;
        this.callbackFrom = callbackFrom;
        this.sendFrame = sendFrame;
    }

    /** The non-blocking pinger for this kind of session, or empty when the container offers none. */
    static Optional<Pings> forSession(Session session) {
        return BY_SESSION_CLASS.computeIfAbsent(session.getClass(), Pings::find);
    }

    private static Optional<Pings> find(Class<?> sessionClass) {
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Class<?> coreType = sessionClass.getMethod("getCoreSession").getReturnType();
            ClassLoader loader = coreType.getClassLoader();
            Class<?> frame = Class.forName("org.eclipse.jetty.websocket.core.Frame", false, loader);
            Class<?> callback = Class.forName("org.eclipse.jetty.util.Callback", false, loader);
            return Optional.of(new Pings(
                    lookup.findVirtual(sessionClass, "getCoreSession", MethodType.methodType(coreType)),
                    lookup.findConstructor(frame, MethodType.methodType(void.class, byte.class)),
                    lookup.findStatic(callback, "from", MethodType.methodType(callback, Runnable.class, Consumer.class)),
                    lookup.findVirtual(coreType, "sendFrame", MethodType.methodType(void.class, frame, callback, boolean.class))));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.info("No non-blocking WebSocket ping in this container ({}): WebSockets get text heartbeats only", e.toString());
            return Optional.empty();
        }
    }

    /** Queues one ping and returns at once; {@code done} gets null once it is written, or the failure. */
    void ping(Session session, Consumer<Throwable> done) {
        try {
            Runnable written = () -> done.accept(null);
            Consumer<Throwable> failed = done;
            Object cb = callbackFrom.invoke(written, failed);
            sendFrame.invoke(coreSession.invoke(session), newFrame.invoke(OPCODE_PING), cb, false);
        } catch (Throwable e) {
            done.accept(e);
        }
    }
}
