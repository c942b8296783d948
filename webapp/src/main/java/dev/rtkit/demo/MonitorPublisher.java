package dev.rtkit.demo;

import dev.rtkit.Payload;
import dev.rtkit.Rtkit;
import dev.rtkit.Transport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Feeds the {@code /monitor} page over rtkit itself: once a second publishes rtkit's own meters to topic
 * {@value #TOPIC} as
 * {@code {"t":<epoch ms>,"connections":{"poll":0,…,"websocket":2},"published":n,"delivered":n,"bytes":n,
 * "gaps":n,"rejections":n,"fallbacks":n,"heapUsed":bytes,"heapMax":bytes}} (counters as totals since start: the
 * page draws their rates). Declared after {@link MetricsListener}, whose registry it reads.
 */
public final class MonitorPublisher implements ServletContextListener {
    public static final String TOPIC = "monitor";
    private static final long PERIOD_MILLIS = 1000;

    private ScheduledExecutorService timer;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        MeterRegistry registry = MetricsListener.registry(context);
        if (registry == null) {
            context.log("monitor: no meter registry (declare MetricsListener first); /monitor stays empty");
            return;
        }
        Rtkit rtkit = Rtkit.from(context);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-monitor");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(() -> publish(context, rtkit, registry), PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    private static void publish(ServletContext context, Rtkit rtkit, MeterRegistry registry) {
        try {
            rtkit.publish(TOPIC, Payload.json(sample(registry)));
        } catch (RuntimeException e) {
            context.log("monitor: publish failed: " + e.getMessage());
        }
    }

    static String sample(MeterRegistry registry) {
        StringBuilder json = new StringBuilder(256).append("{\"t\":").append(System.currentTimeMillis())
                .append(",\"connections\":{");
        for (Transport t : Transport.ALL) {
            Gauge g = registry.find("rtkit.connections").tag("transport", t.wireName()).gauge();
            json.append(t.ordinal() == 0 ? "" : ",").append('"').append(t.wireName()).append("\":")
                    .append(g == null ? 0 : (long) g.value());
        }
        json.append('}');
        total(json, "published", registry, "rtkit.messages.published");
        total(json, "delivered", registry, "rtkit.messages.delivered");
        total(json, "bytes", registry, "rtkit.bytes.sent");
        total(json, "gaps", registry, "rtkit.gaps");
        total(json, "rejections", registry, "rtkit.rejections");
        total(json, "fallbacks", registry, "rtkit.fallbacks");
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return json.append(",\"heapUsed\":").append(heap.getUsed()).append(",\"heapMax\":").append(heap.getMax())
                .append('}').toString();
    }

    /** A counter's total over all its tags (every transport, every reason). */
    private static void total(StringBuilder json, String field, MeterRegistry registry, String meter) {
        double sum = 0;
        for (Counter c : registry.find(meter).counters()) {
            sum += c.count();
        }
        json.append(",\"").append(field).append("\":").append((long) sum);
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
