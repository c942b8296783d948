package dev.rtkit.demo;

import jakarta.servlet.ServletContext;

/**
 * Where the demo's two origins live. The demo launcher sets these context init-params; on a standalone Jetty
 * set them in web.xml or the context XML, or the pages fall back to the origin they were loaded from.
 */
final class DemoPorts {
    static final String HTTP_PORT_PARAM = "dev.rtkit.demo.httpPort";
    static final String HTTPS_PORT_PARAM = "dev.rtkit.demo.httpsPort";

    private DemoPorts() {
    }

    /** The configured port, or -1 when not configured. */
    static int port(ServletContext context, String param) {
        String value = context.getInitParameter(param);
        if (value == null || value.isBlank()) {
            return -1;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
