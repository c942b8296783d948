package dev.rtkit.demo;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;

/**
 * {@code /demo/ticker}: the race ticker's rate. {@code GET} answers {@code {"periodMillis":500,"perSecond":2.0}};
 * {@code POST ?perSecond=N} (N from 0.1 to 50, fractions allowed) sets it for everyone watching and answers the
 * same. Anything else is a 400 {@code {"error":…}}; 503 while the ticker is not running.
 */
public final class TickerServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final String PER_SECOND = "perSecond";
    static final double MIN_PER_SECOND = 1000.0 / TickerListener.MAX_PERIOD_MILLIS;
    static final double MAX_PER_SECOND = 1000.0 / TickerListener.MIN_PERIOD_MILLIS;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        TickerListener ticker = ticker(response);
        if (ticker != null) {
            answer(response, HttpServletResponse.SC_OK, state(ticker.periodMillis()));
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        TickerListener ticker = ticker(response);
        if (ticker == null) {
            return;
        }
        String value = request.getParameter(PER_SECOND);
        double perSecond;
        try {
            perSecond = value == null ? Double.NaN : Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            perSecond = Double.NaN;
        }
        if (!(perSecond >= MIN_PER_SECOND && perSecond <= MAX_PER_SECOND)) {
            answer(response, HttpServletResponse.SC_BAD_REQUEST,
                    "{\"error\":\"perSecond must be a number from 0.1 to 50\"}");
            return;
        }
        long period = Math.round(1000 / perSecond);
        ticker.periodMillis(period);
        answer(response, HttpServletResponse.SC_OK, state(period));
    }

    private TickerListener ticker(HttpServletResponse response) throws IOException {
        Object ticker = getServletContext().getAttribute(TickerListener.ATTRIBUTE);
        if (ticker instanceof TickerListener t) {
            return t;
        }
        answer(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, "{\"error\":\"the ticker is not running\"}");
        return null;
    }

    private static String state(long periodMillis) {
        return String.format(Locale.ROOT, "{\"periodMillis\":%d,\"perSecond\":%.3f}", periodMillis, 1000.0 / periodMillis);
    }

    private static void answer(HttpServletResponse response, int status, String json) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(json);
    }
}
