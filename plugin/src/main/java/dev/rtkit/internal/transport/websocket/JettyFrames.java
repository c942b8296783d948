package dev.rtkit.internal.transport.websocket;

import jakarta.websocket.Session;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's own non-blocking frame API beneath its Jakarta sessions:
 * {@code session.getCoreSession().sendFrame(new Frame(opcode, payload), callback, batch)}. Found by reflection
 * through the session's own class loader, so that the plugin compiles against the Jakarta APIs alone and works
 * where a web application cannot see the container's classes. Other containers get an empty optional, and
 * rtkit uses the Jakarta API there.
 */
final class JettyFrames {
    static final byte TEXT = 0x1;
    static final byte PING = 0x9;
    private static final Logger LOG = LoggerFactory.getLogger(JettyFrames.class);
    private static final Map<Class<?>, Optional<JettyFrames>> BY_SESSION_CLASS = new ConcurrentHashMap<>();

    private final MethodHandle coreSession;
    private final MethodHandle newFrame;
    private final MethodHandle callbackFrom;
    private final MethodHandle sendFrame;

    private JettyFrames(MethodHandle coreSession, MethodHandle newFrame, MethodHandle callbackFrom, MethodHandle sendFrame) {
        this.coreSession = coreSession;
        this.newFrame = newFrame;
        this.callbackFrom = callbackFrom;
        this.sendFrame = sendFrame;
    }

    /** The frame API for this kind of session, or empty when the container is not Jetty. */
    static Optional<JettyFrames> forSession(Session session) {
        return BY_SESSION_CLASS.computeIfAbsent(session.getClass(), JettyFrames::find);
    }

    private static Optional<JettyFrames> find(Class<?> sessionClass) {
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Class<?> coreType = sessionClass.getMethod("getCoreSession").getReturnType();
            ClassLoader loader = coreType.getClassLoader();
            Class<?> frame = Class.forName("org.eclipse.jetty.websocket.core.Frame", false, loader);
            Class<?> callback = Class.forName("org.eclipse.jetty.util.Callback", false, loader);
            return Optional.of(new JettyFrames(
                    lookup.findVirtual(sessionClass, "getCoreSession", MethodType.methodType(coreType))
                            .asType(MethodType.methodType(Object.class, Session.class)),
                    lookup.findConstructor(frame, MethodType.methodType(void.class, byte.class, ByteBuffer.class))
                            .asType(MethodType.methodType(Object.class, byte.class, ByteBuffer.class)),
                    lookup.findStatic(callback, "from", MethodType.methodType(callback, Runnable.class, Consumer.class))
                            .asType(MethodType.methodType(Object.class, Runnable.class, Consumer.class)),
                    lookup.findVirtual(coreType, "sendFrame", MethodType.methodType(void.class, frame, callback, boolean.class))
                            .asType(MethodType.methodType(void.class, Object.class, Object.class, Object.class, boolean.class))));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.info("Not Jetty's WebSocket frame API in this container ({}): rtkit uses the Jakarta API alone", e.toString());
            return Optional.empty();
        }
    }

    /** The session's core session, to send through. */
    Object core(Session session) {
        try {
            return (Object) coreSession.invokeExact(session);
        } catch (Throwable e) {
            throw new IllegalStateException("Jetty core session not reachable", e);
        }
    }

    /** A Jetty callback: {@code done} on success, {@code failed} on failure. Reusable. */
    Object callback(Runnable done, Consumer<Throwable> failed) {
        try {
            return (Object) callbackFrom.invokeExact(done, failed);
        } catch (Throwable e) {
            throw new IllegalStateException("Jetty callback not made", e);
        }
    }

    /**
     * Queues one frame and returns at once. {@code batch}: it may wait in Jetty's aggregation buffer (its
     * callback then succeeds at once) until a frame sent without it carries everything waiting in one write.
     * The payload is consumed: give each frame its own buffer (a wrap of shared bytes costs no copy).
     */
    void send(Object core, byte opcode, ByteBuffer payload, Object callback, boolean batch) {
        try {
            sendFrame.invokeExact(core, (Object) newFrame.invokeExact(opcode, payload), callback, batch);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("Jetty frame not sent", e);
        }
    }
}
