package dev.rtkit;

import dev.rtkit.internal.hub.ServerSubscription;
import dev.rtkit.internal.servlet.Engine;
import jakarta.servlet.ServletContext;
import java.util.Collection;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * rtkit as a web application's own code sees it: publish to topics and listen to them, with the same delivery
 * model as the browsers' transports (ids, history, cursors, gaps). Thread-safe.
 *
 * <pre>
 * Rtkit rtkit = Rtkit.from(servletContext);
 * Published p = rtkit.publish("news", Payload.json("{\"hello\":1}"));   // browsers get {"type":"message","topic":"news","id":p.id(),"data":{"hello":1}}
 * Subscription s = rtkit.subscribe(List.of("orders"), null, m -> audit(m.data()));
 * </pre>
 */
public final class Rtkit {
    /** How long {@link #publish(String, Payload, String)} waits for a shared log to acknowledge. */
    private static final long PUBLISH_WAIT_SECONDS = 10;

    private final Engine engine;

    private Rtkit(Engine engine) {
        this.engine = engine;
    }

    /**
     * rtkit of this web application, started now if it is not yet (so an application's own listener may call it
     * before rtkit's listener ran). Its settings are the init-params of the {@code rtkit} servlet in web.xml.
     *
     * @throws IllegalArgumentException when an init-param is invalid (the same failure start-up reports)
     */
    public static Rtkit from(ServletContext context) {
        return new Rtkit(Engine.startFor(context, null));
    }

    /**
     * Publishes to {@code topic} and returns its id once the log holds the message (at once in memory; for a shared
     * log, when it acknowledged). Every subscriber of the topic gets it, on every transport.
     *
     * @param topic   1–200 of letters, digits, {@code . _ - /}
     * @param payload {@link Payload#json} (validated, compacted) or {@link Payload#text}
     * @param event   an SSE event name (1–64 characters, no control characters), or null
     * @throws RtkitException when the topic, payload or event is invalid ({@code BAD_REQUEST}, {@code TOO_LARGE}),
     *                        a limit is reached ({@code LIMIT}) or the log is unavailable ({@code UNAVAILABLE})
     */
    public Published publish(String topic, Payload payload, String event) {
        try {
            return publishAsync(topic, payload, event).toCompletableFuture().get(PUBLISH_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | CompletionException e) {
            throw e.getCause() instanceof RtkitException r ? r : unavailable();
        } catch (TimeoutException e) {
            throw unavailable();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable();
        }
    }

    /** {@link #publish(String, Payload, String)} without an event name. */
    public Published publish(String topic, Payload payload) {
        return publish(topic, payload, null);
    }

    /**
     * {@link #publish(String, Payload, String)} without waiting: completes with the id once the log holds the
     * message, or exceptionally with an {@link RtkitException}. Invalid input still throws at once.
     */
    public CompletionStage<Published> publishAsync(String topic, Payload payload, String event) {
        return engine.hub().publish(topic, payload, event).thenApply(m -> new Published(m.topic(), m.id()));
    }

    /**
     * Listens to {@code topics} from {@code since} (a cursor, null for "from now"): the listener gets every message
     * after it in order per topic, and a {@link Gap} where history no longer reaches back — never a silent loss.
     * Calls come one at a time per subscription, on rtkit's own threads (never the publisher's), so a slow listener
     * only delays itself; it keeps its place in the shared history, not a queue of its own.
     *
     * @throws RtkitException when a topic or the cursor is invalid or a limit is reached
     */
    public Subscription subscribe(Collection<String> topics, String since, Listener listener) {
        return ServerSubscription.open(engine.hub(), engine.listenerExecutor(), topics, since, listener);
    }

    /** The path the servlet is mapped under, e.g. {@code /rt}; WebSocket lives at {@code <basePath>/ws}. */
    public String basePath() {
        return engine.basePath();
    }

    private static RtkitException unavailable() {
        return new RtkitException(RtkitException.Kind.UNAVAILABLE, "the message log did not acknowledge in time");
    }

    /** Receives a server-side subscription's events. */
    @FunctionalInterface
    public interface Listener {

        /** The next message of a subscribed topic. */
        void onMessage(Message message);

        /** Messages were missed on {@code gap.topic()}: delivery continues with the oldest retained. */
        default void onGap(Gap gap) {
        }
    }
}
