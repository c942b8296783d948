package dev.rtkit.internal.transport;

import dev.rtkit.RtkitException;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The one place failures become HTTP answers: a status and {@code {"error":"…"}}, never a stack trace. */
public final class Errors {
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
        if (resp.isCommitted()) {
            return;
        }
        resp.reset();
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setHeader("Cache-Control", "no-store");
        byte[] body = ("{\"error\":" + quote(message) + "}").getBytes(StandardCharsets.UTF_8);
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }

    /** A JSON string literal; messages may quote client input, so everything unusual is escaped. */
    static String quote(String s) {
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
