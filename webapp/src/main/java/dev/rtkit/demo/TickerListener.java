package dev.rtkit.demo;

import dev.rtkit.Payload;
import dev.rtkit.Rtkit;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The /race ticker: publishes {@code {"seq":n,"sentAt":<epoch ms>}} to topic {@value #TOPIC} every
 * {@value #PERIOD_PARAM} milliseconds (default {@value #DEFAULT_PERIOD_MILLIS}). Every race panel receives the same
 * messages, so their counts and latencies compare transports and nothing else. The race page changes the period
 * while running through {@link TickerServlet}; the listener is the context attribute {@value #ATTRIBUTE}.
 */
public final class TickerListener implements ServletContextListener {
    public static final String TOPIC = "ticker";
    /** Context init-param: milliseconds between ticks. UNIT: milliseconds. Default 500. */
    public static final String PERIOD_PARAM = "dev.rtkit.demo.tickerPeriodMillis";
    static final long DEFAULT_PERIOD_MILLIS = 500;
    /** Shortest and longest period the race page may set: 50 ticks a second down to one every ten seconds. */
    static final long MIN_PERIOD_MILLIS = 20;
    static final long MAX_PERIOD_MILLIS = 10_000;
    static final String ATTRIBUTE = "dev.rtkit.demo.ticker";

    private final AtomicLong seq = new AtomicLong();
    private ScheduledExecutorService timer;
    private ServletContext context;
    private Rtkit rtkit;
    private ScheduledFuture<?> ticking;
    private long periodMillis;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        context = event.getServletContext();
        long period = period(context.getInitParameter(PERIOD_PARAM));
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-ticker");
            t.setDaemon(true);
            return t;
        });
        // Rtkit.from starts rtkit now if its own listener (from the plugin's web-fragment) has not run yet.
        rtkit = Rtkit.from(context);
        periodMillis(period);
        context.setAttribute(ATTRIBUTE, this);
    }

    /** Milliseconds between ticks now. */
    synchronized long periodMillis() {
        return periodMillis;
    }

    /** Ticks every {@code millis} from now on (the first after one new period); the sequence continues. */
    synchronized void periodMillis(long millis) {
        if (millis < MIN_PERIOD_MILLIS || millis > MAX_PERIOD_MILLIS) {
            throw new IllegalArgumentException("period " + millis + " ms is outside " + MIN_PERIOD_MILLIS + "–"
                    + MAX_PERIOD_MILLIS + " ms");
        }
        if (ticking != null) {
            ticking.cancel(false);
        }
        periodMillis = millis;
        ticking = timer.scheduleAtFixedRate(() -> tick(context, rtkit), millis, millis, TimeUnit.MILLISECONDS);
    }

    private void tick(ServletContext context, Rtkit rtkit) {
        try {
            rtkit.publish(TOPIC, Payload.json("{\"seq\":" + seq.incrementAndGet() + ",\"sentAt\":" + System.currentTimeMillis() + "}"));
        } catch (RuntimeException e) {
            context.log("ticker: publish failed: " + e.getMessage());
        }
    }

    static long period(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_PERIOD_MILLIS;
        }
        try {
            long millis = Long.parseLong(value.strip());
            if (millis >= MIN_PERIOD_MILLIS && millis <= MAX_PERIOD_MILLIS) {
                return millis;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(PERIOD_PARAM + " must be a number of milliseconds from " + MIN_PERIOD_MILLIS + " to "
                + MAX_PERIOD_MILLIS + ", not '" + value + "'");
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        event.getServletContext().removeAttribute(ATTRIBUTE);
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
