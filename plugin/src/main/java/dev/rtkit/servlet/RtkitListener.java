package dev.rtkit.servlet;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts rtkit with the web application: reads the {@link RealtimeServlet}'s init-params from web.xml, starts
 * the hub and transports, and registers the WebSocket endpoint at {@code <mapping>/ws}. Declared by the
 * plugin's web-fragment.xml; declare it yourself when your web.xml is {@code metadata-complete="true"}.
 */
public final class RtkitListener implements ServletContextListener {
    private static final Logger LOG = LoggerFactory.getLogger(RtkitListener.class);

    private Rtkit started;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        if (Rtkit.from(context) != null) {
            return;
        }
        ServletRegistration registration = findServlet(context);
        Map<String, String> params = registration == null ? Map.of() : registration.getInitParameters();
        Settings settings = Settings.from(params);
        String basePath = basePath(registration);
        started = Rtkit.start(context, settings, basePath);
        if (settings.enabled(Settings.Transport.WEBSOCKET)) {
            WebSocketWiring.register(context, started);
        }
        LOG.info("rtkit started at {} with {}", basePath, settings.describe());
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (started != null) {
            started.stop(event.getServletContext());
            started = null;
        }
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
}
