package dev.rtkit.internal.servlet;

import dev.rtkit.internal.hub.Hub;
import dev.rtkit.internal.log.TopicLogs;
import dev.rtkit.internal.metrics.Metrics;
import dev.rtkit.internal.metrics.MetricsBinding;
import dev.rtkit.internal.util.ResilientTimer;
import dev.rtkit.internal.transport.Guard;
import dev.rtkit.internal.transport.command.CommandHandler;
import dev.rtkit.internal.transport.TransportOptions;
import dev.rtkit.internal.transport.http.HttpTransports;
import dev.rtkit.Transport;
import dev.rtkit.servlet.RealtimeServlet;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * rtkit inside one web application: its settings, its hub and its transports. Applications reach it through
 * the facade {@link dev.rtkit.Rtkit}.
 */
public final class Engine {
    /** The ServletContext attribute holding the running instance. */
    public static final String ATTRIBUTE = Engine.class.getName();
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    private final Settings settings;
    private final String basePath;
    private final Hub hub;
    private final Metrics metrics;
    private final ScheduledExecutorService timer;
    private final HttpTransports http;
    private final Guard guard;
    private final CommandHandler commands;
    private final List<Runnable> stopHooks = new CopyOnWriteArrayList<>();
    private final HttpRouter router;
    /** Runs server-side subscriptions' listeners: application code, kept off publishers' and container threads. */
    private final ExecutorService listeners = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "rtkit-listener");
        t.setDaemon(true);
        return t;
    });
    private final boolean startedByServlet;
    private final FanOutThreads fanOut;

    private Engine(Settings settings, String basePath, boolean startedByServlet, ServletContext context) {
        this.settings = settings;
        this.startedByServlet = startedByServlet;
        this.basePath = basePath;
        this.metrics = MetricsBinding.create(settings.metrics(), context.getAttribute(MetricsBinding.REGISTRY_ATTRIBUTE));
        this.fanOut = FanOutThreads.of(context);
        this.hub = new Hub(settings.hub(), TopicLogs.create(settings.log(), settings.logOptions().monitoredBy(metrics.logMonitor())),
                metrics, fanOut.executor());
        metrics.watch(hub::topicCount, hub::subscriptionCount, hub.log()::retainedBytes);
        // One timer thread for every heartbeat of this application; writes still run on container threads.
        // Its tasks only flag work and queue non-blocking writes: nothing on it waits on a client.
        this.timer = new ResilientTimer("rtkit-timer");
        this.guard = new Guard(settings.limits(), settings.authorizer(), metrics);
        // One handler runs every transport's commands: the same checks, in one place.
        this.commands = new CommandHandler(hub, guard, settings.maxTopicsPerConnection());
        this.http = new HttpTransports(hub, transportOptions(), guard, commands, timer);
        this.router = new HttpRouter(this);
    }

    /**
     * The running instance of this web application, started now if it is not yet: by {@code RtkitListener},
     * by the facade when an application's own listener asks first, or by the servlet ({@code config} non-null)
     * when no listener is declared. Settings are the rtkit servlet's init-params.
     */
    public static synchronized Engine startFor(ServletContext context, ServletConfig config) {
        Engine running = from(context);
        if (running != null) {
            return running;
        }
        Engine rtkit;
        if (config == null) {
            ServletRegistration registration = findServlet(context);
            rtkit = new Engine(Settings.from(registration == null ? Map.of() : registration.getInitParameters()),
                    basePath(registration), false, context);
            context.setAttribute(ATTRIBUTE, rtkit);
            if (rtkit.settings.enabled(Transport.WEBSOCKET)) {
                WebSocketWiring.register(context, rtkit);
            }
        } else {
            Map<String, String> params = new HashMap<>();
            config.getInitParameterNames().asIterator().forEachRemaining(n -> params.put(n, config.getInitParameter(n)));
            rtkit = new Engine(Settings.from(params), basePath(context.getServletRegistration(config.getServletName())), true,
                    context);
            context.setAttribute(ATTRIBUTE, rtkit);
            LOG.warn("rtkit started by its servlet: declare dev.rtkit.servlet.RtkitListener to enable WebSocket");
        }
        LOG.info("rtkit started at {} with {}", rtkit.basePath, rtkit.settings.describe());
        return rtkit;
    }

    /** Stops the running instance when the caller (the listener: {@code config} null, or the servlet) owns it. */
    public static synchronized void stopIfStartedBy(ServletContext context, ServletConfig config) {
        Engine running = from(context);
        if (running != null && running.startedByServlet == (config != null)) {
            running.stop(context);
        }
    }

    /** The running instance of this web application, or null when rtkit is not started. */
    public static Engine from(ServletContext context) {
        return (Engine) context.getAttribute(ATTRIBUTE);
    }

    private static ServletRegistration findServlet(ServletContext context) {
        for (ServletRegistration r : context.getServletRegistrations().values()) {
            if (RealtimeServlet.class.getName().equals(r.getClassName())) {
                return r;
            }
        }
        return null;
    }

    /** {@code /rt/*} gives {@code /rt}; the default when the servlet is not mapped with a wildcard. */
    static String basePath(ServletRegistration registration) {
        if (registration != null) {
            for (String mapping : registration.getMappings()) {
                if (mapping.endsWith("/*") && mapping.length() > 2) {
                    return mapping.substring(0, mapping.length() - 2);
                }
            }
        }
        return "/rt";
    }

    public ExecutorService listenerExecutor() {
        return listeners;
    }

    public HttpRouter router() {
        return router;
    }

    public Hub hub() {
        return hub;
    }

    public Settings settings() {
        return settings;
    }

    /** The path the servlet is mapped under, e.g. {@code /rt}; WebSocket lives at {@code <basePath>/ws}. */
    public String basePath() {
        return basePath;
    }

    /** Access and limits, shared by every transport. */
    public Guard guard() {
        return guard;
    }

    CommandHandler commands() {
        return commands;
    }

    HttpTransports http() {
        return http;
    }

    TransportOptions transportOptions() {
        return new TransportOptions(settings.maxBatch(), settings.maxTopicsPerConnection(), settings.longPollTimeout(),
                settings.heartbeatInterval(), settings.sseRetry(), settings.allowedOrigins(), settings.streamProbeInterval());
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    /** Runs {@code hook} first thing in {@link #stop}: transports registered elsewhere (WebSocket) close there. */
    void onStop(Runnable hook) {
        stopHooks.add(hook);
    }

    /** Tells every client to reconnect (streams end, long-polls answer, WebSockets close 1001), then stops. */
    void stop(ServletContext context) {
        context.removeAttribute(ATTRIBUTE);
        stopHooks.forEach(Runnable::run);
        http.close();
        hub.close();
        fanOut.close();
        metrics.close();
        listeners.shutdown();
        timer.shutdown();
        try {
            timer.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
