package dev.rtkit.servlet;

import dev.rtkit.internal.servlet.Engine;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

/**
 * Starts rtkit with the web application: reads the {@link RealtimeServlet}'s init-params from web.xml, starts
 * the hub and transports, and registers the WebSocket endpoint at {@code <mapping>/ws}; stops them with it.
 * Declared by the plugin's web-fragment.xml; declare it yourself when your web.xml is
 * {@code metadata-complete="true"}.
 */
public final class RtkitListener implements ServletContextListener {

    @Override
    public void contextInitialized(ServletContextEvent event) {
        Engine.startFor(event.getServletContext(), null);
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        Engine.stopIfStartedBy(event.getServletContext(), null);
    }
}
