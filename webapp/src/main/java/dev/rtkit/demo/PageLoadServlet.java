package dev.rtkit.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /push/timeline?load=<id>}: a recent /push page load as the server saw it, on its clock from the page
 * request's arrival: {@code {"load":"…","events":[{"path":"/push","what":"asked","atMs":0.0},{"path":"/push",
 * "what":"103 sent","atMs":0.4},{"path":"/assets/push.css","what":"asked","atMs":3.1},…]}}; 404 when unknown.
 */
public final class PageLoadServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String load = request.getParameter("load");
        List<Map<String, Object>> events = PageLoads.of(getServletContext()).events(load);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        if (events == null) {
            response.setStatus(HttpServletResponse.SC_NOT_FOUND);
            response.getWriter().write("{\"error\":\"no such recent page load\"}");
            return;
        }
        JSON.writeValue(response.getOutputStream(), Map.of("load", load, "events", events));
    }
}
