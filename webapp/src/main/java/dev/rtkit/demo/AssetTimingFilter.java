package dev.rtkit.demo;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * On {@code /assets/*}: an asset asked for with {@code ?load=<id>} of a recent /push page load is timed (asked for,
 * sent) into {@link PageLoads}, so the page can show when the browser fetched it. Other requests pass untouched.
 */
public final class AssetTimingFilter extends HttpFilter {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String load = request.getParameter("load");
        if (load == null) {
            chain.doFilter(request, response);
            return;
        }
        PageLoads loads = PageLoads.of(getServletContext());
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        loads.record(load, path, request.getAttribute("org.eclipse.jetty.pushed") != null ? "pushed" : "asked");
        try {
            chain.doFilter(request, response);
        } finally {
            response.flushBuffer();
            loads.record(load, path, "sent");
        }
    }
}
