package dev.rtkit.internal.transport;

import dev.rtkit.RtkitException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The one place failures become HTTP answers: a status and {@code {"error":"…"}}, never a stack trace. */
public final class Errors {
    private static final String[] KEPT_HEADERS = {"Access-Control-Allow-Origin", "Access-Control-Allow-Credentials",
        "Access-Control-Expose-Headers", "Vary"};

    private Errors() {
    }

    public static int status(RtkitException e) {
        return switch (e.kind()) {
            case BAD_REQUEST -> HttpServletResponse.SC_BAD_REQUEST;
            case TOO_LARGE -> HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE;
            case FORBIDDEN -> HttpServletResponse.SC_FORBIDDEN;
            case TOO_MANY, LIMIT -> 429;
            case UNAVAILABLE -> HttpServletResponse.SC_SERVICE_UNAVAILABLE;
        };
    }

    public static void send(HttpServletResponse resp, int status, String message) throws IOException {
        send(resp, status, message, 0);
    }

    /** As {@link #send(HttpServletResponse, int, String)} with {@code Retry-After} when {@code retryAfterSeconds} is positive. */
    public static void send(HttpServletResponse resp, int status, String message, long retryAfterSeconds) throws IOException {
        if (resp.isCommitted()) {
            return;
        }
        // The CORS answer stays: without it a page on an allowed origin could not read why it was refused.
        String[] cors = new String[KEPT_HEADERS.length];
        for (int i = 0; i < cors.length; i++) {
            cors[i] = resp.getHeader(KEPT_HEADERS[i]);
        }
        resp.reset();
        for (int i = 0; i < cors.length; i++) {
            if (cors[i] != null) {
                resp.setHeader(KEPT_HEADERS[i], cors[i]);
            }
        }
        resp.setStatus(status);
        if (retryAfterSeconds > 0) {
            resp.setHeader("Retry-After", Long.toString(retryAfterSeconds));
        }
        resp.setContentType("application/json");
        resp.setHeader("Cache-Control", "no-store");
        byte[] body = ("{\"error\":" + quote(message) + "}").getBytes(StandardCharsets.UTF_8);
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }

    /** A JSON string literal; messages may quote client input, so everything unusual is escaped. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c == '<' || c == '>' || c == '&' || c > 0x7e) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
