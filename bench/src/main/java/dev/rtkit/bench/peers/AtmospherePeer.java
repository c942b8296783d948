package dev.rtkit.bench.peers;

import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;

/**
 * Atmosphere 4.0.0 at {@code /atmo/*}: {@code AtmosphereServlet} with {@code ReflectorServletProcessor} over
 * {@link AtmosphereSubscribeServlet}, which puts each resource in the broadcaster {@code /<topic>} and suspends it;
 * Atmosphere's own handler writes every broadcast (WebSocket through its JSR 356 support, SSE, long-polling,
 * streaming, chosen by the client's {@code X-Atmosphere-Transport}). Publishes arrive at {@code POST /publish/{topic}}
 * ({@link AtmospherePublishServlet}) and go to {@code Broadcaster.broadcast}.
 *
 * <p>atmosphere-runtime 4.0.0 is compiled for Java 21, so this class names its classes only as strings: the bench
 * compiles for Java 17 and runs this server on a Java 21+ runtime.
 */
public final class AtmospherePeer {
    /** The init-params set, beside Atmosphere's defaults; the report prints them. */
    public static final Map<String, String> SETTINGS = new LinkedHashMap<>();

    static {
        // Atmosphere's "Configuring Atmosphere for Performance" page: after 1.0.12, change nothing. So only the cache
        // atmosphere.js long-polling relies on is named (it is the default), and the frame limit the others have.
        SETTINGS.put("org.atmosphere.cpr.broadcasterCacheClass", "org.atmosphere.cache.UUIDBroadcasterCache");
        SETTINGS.put("org.atmosphere.websocket.maxTextMessageSize", "65536");
    }

    /** The settings as {@code key=value} pairs, for the report. */
    public static String settings() {
        StringBuilder s = new StringBuilder();
        SETTINGS.forEach((k, v) -> s.append(s.length() == 0 ? "" : ", ").append('`').append(k).append('=').append(v).append('`'));
        return s.toString();
    }

    private AtmospherePeer() {
    }

    private static ServletHolder holder;

    /** After {@code server.start()}: the handler needs the started framework. */
    public static void started() throws Exception {
        try {
            AtmosphereApi.addHandler(holder.getServlet(), "/*");
        } catch (Exception e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    public static void install(ServletContextHandler context, long timeoutMillis) throws ClassNotFoundException {
        // The JSR 356 container must exist before AtmosphereServlet initialises (its WebSocket support looks it up).
        JakartaWebSocketServletContainerInitializer.configure(context, null);
        @SuppressWarnings("unchecked")
        Class<? extends jakarta.servlet.Servlet> servlet = (Class<? extends jakarta.servlet.Servlet>)
                Class.forName("org.atmosphere.cpr.AtmosphereServlet");
        ServletHolder atmo = new ServletHolder("atmosphere", servlet);
        atmo.setAsyncSupported(true);
        atmo.setInitOrder(1);
        atmo.setInitParameters(SETTINGS);
        context.addServlet(atmo, "/atmo/*");
        holder = atmo;
        ServletHolder publish = new ServletHolder("atmosphere-publish", new AtmospherePublishServlet(atmo));
        context.addServlet(publish, "/publish/*");
    }
}
