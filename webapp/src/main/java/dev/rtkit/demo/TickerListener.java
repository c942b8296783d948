package dev.rtkit.demo;

import dev.rtkit.Payload;
import dev.rtkit.Rtkit;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The /race ticker: publishes {@code {"seq":n,"sentAt":<epoch ms>}} to topic {@value #TOPIC} every
 * {@value #PERIOD_PARAM} milliseconds (default {@value #DEFAULT_PERIOD_MILLIS}). Every race panel receives the same
 * messages, so their counts and latencies compare transports and nothing else.
 */
public final class TickerListener implements ServletContextListener {
    public static final String TOPIC = "ticker";
    /** Context init-param: milliseconds between ticks. UNIT: milliseconds. Default 500. */
    public static final String PERIOD_PARAM = "dev.rtkit.demo.tickerPeriodMillis";
    static final long DEFAULT_PERIOD_MILLIS = 500;

    private final AtomicLong seq = new AtomicLong();
    private ScheduledExecutorService timer;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        long period = period(context.getInitParameter(PERIOD_PARAM));
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-ticker");
            t.setDaemon(true);
            return t;
        });
        // Rtkit.from starts rtkit now if its own listener (from the plugin's web-fragment) has not run yet.
        Rtkit rtkit = Rtkit.from(context);
        timer.scheduleAtFixedRate(() -> tick(context, rtkit), period, period, TimeUnit.MILLISECONDS);
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
            if (millis >= 10) {
                return millis;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(PERIOD_PARAM + " must be a number of milliseconds >= 10, not '" + value + "'");
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
