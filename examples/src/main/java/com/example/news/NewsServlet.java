package com.example.news;

import dev.rtkit.Payload;
import dev.rtkit.Published;
import dev.rtkit.Rtkit;
import dev.rtkit.RtkitException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code POST /news} with a form field {@code text} publishes it to topic "news" and answers
 * {@code 202 {"topic":"news","id":"…"}}; {@code GET /news} lists what the application's own subscription has
 * received, one {@code <id> <data>} line each.
 */
public final class NewsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final int MAX_LENGTH = 200;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String text = request.getParameter("text");
        if (text == null || text.isBlank() || text.length() > MAX_LENGTH) {
            json(response, 400, "{\"error\":\"text must be 1 to " + MAX_LENGTH + " characters\"}");
            return;
        }
        try {
            Published published = Rtkit.from(getServletContext()).publish(NewsListener.TOPIC, Payload.text(text));
            json(response, 202, "{\"topic\":\"" + published.topic() + "\",\"id\":\"" + published.id() + "\"}");
        } catch (RtkitException e) {
            // kind() says why (BAD_REQUEST, TOO_LARGE, LIMIT, UNAVAILABLE, ...): only UNAVAILABLE is worth a retry.
            int status = e.kind() == RtkitException.Kind.UNAVAILABLE ? 503 : 400;
            json(response, status, "{\"error\":\"not published: " + e.kind() + "\"}");
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Headlines headlines = (Headlines) getServletContext().getAttribute(Headlines.ATTRIBUTE);
        response.setContentType("text/plain");
        response.setCharacterEncoding("UTF-8");
        for (String line : headlines.lines()) {
            response.getWriter().println(line);
        }
    }

    private static void json(HttpServletResponse response, int status, String body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(body);
    }
}
