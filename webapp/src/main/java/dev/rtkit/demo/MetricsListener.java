package dev.rtkit.demo;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.jmx.JmxConfig;
import io.micrometer.jmx.JmxMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

/**
 * The demo's meters: one registry handed to rtkit through the {@value #RTKIT_REGISTRY} attribute, feeding a Prometheus
 * registry (scraped at {@code /metrics}) and a JMX registry (MBeans under {@code metrics}, for jconsole), plus the
 * JVM's memory. Declared in web.xml before every listener that starts rtkit, so rtkit finds the registry at start.
 */
public final class MetricsListener implements ServletContextListener {
    /** Where rtkit looks for the application's MeterRegistry (see README, Metrics). */
    public static final String RTKIT_REGISTRY = "dev.rtkit.meterRegistry";
    /** Where {@link MetricsServlet} finds the Prometheus registry. */
    static final String PROMETHEUS = "dev.rtkit.demo.prometheus";

    private CompositeMeterRegistry registry;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry = new CompositeMeterRegistry(Clock.SYSTEM);
        registry.add(prometheus);
        registry.add(new JmxMeterRegistry(JmxConfig.DEFAULT, Clock.SYSTEM));
        new JvmMemoryMetrics().bindTo(registry);
        context.setAttribute(PROMETHEUS, prometheus);
        context.setAttribute(RTKIT_REGISTRY, registry);
    }

    /** The registry rtkit records into, for the monitor. */
    static MeterRegistry registry(ServletContext context) {
        return (MeterRegistry) context.getAttribute(RTKIT_REGISTRY);
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (registry != null) {
            // Unregisters the MBeans, so a redeploy does not find stale ones.
            registry.getRegistries().forEach(MeterRegistry::close);
            registry.close();
        }
    }
}
