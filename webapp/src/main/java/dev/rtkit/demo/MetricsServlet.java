package dev.rtkit.demo;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** {@code GET /metrics}: every meter in the Prometheus text exposition format 0.0.4, for a Prometheus scrape. */
public final class MetricsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        PrometheusMeterRegistry prometheus = (PrometheusMeterRegistry) getServletContext().getAttribute(MetricsListener.PROMETHEUS);
        if (prometheus == null) {
            response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "metrics are not set up");
            return;
        }
        byte[] body = prometheus.scrape(CONTENT_TYPE).getBytes(StandardCharsets.UTF_8);
        response.setContentType(CONTENT_TYPE);
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
