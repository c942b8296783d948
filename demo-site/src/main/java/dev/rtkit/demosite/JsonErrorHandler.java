package dev.rtkit.demosite;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers (a URI too long: 414, headers too large: 431, an unparseable request: 400, and any
 * error raised before the request reaches rtkit) as rtkit's documented {@code {"error":"…"}} under {@code /rt},
 * instead of an HTML page; everywhere else Jetty's usual page. Set on the server, since those errors happen before
 * any web application is chosen, so no {@code error-page} of the WAR can see them.
 */
final class JsonErrorHandler extends ErrorHandler {
    /** The path Jetty gives a request it could not read far enough to know its own (a request line too long). */
    static final String UNREAD_PATH = "/badMessage";

    private final String basePath;

    JsonErrorHandler(String basePath) {
        this.basePath = basePath;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) throws IOException {
        String path = request.getHttpURI() == null ? null : request.getHttpURI().getPath();
        // A request whose path is unknown gets JSON too: it may well have been for rtkit.
        boolean rtkit = path == null || path.equals(UNREAD_PATH) || path.equals(basePath) || path.startsWith(basePath + "/");
        if (!rtkit) {
            super.generateResponse(request, response, code, message, cause, callback);
            return;
        }
        byte[] body = ("{\"error\":" + quote(describe(code, message)) + "}").getBytes(StandardCharsets.UTF_8);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /**
     * A request Jetty could not read far enough to know its path (a request line too long: 414): JSON for
     * everyone, as the path may well be under {@code /rt}.
     */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        fields.put(HttpHeader.CACHE_CONTROL, "no-store");
        return ByteBuffer.wrap(("{\"error\":" + quote(describe(status, reason)) + "}").getBytes(StandardCharsets.UTF_8));
    }

    static String describe(int code, String message) {
        return switch (code) {
            case HttpStatus.URI_TOO_LONG_414 -> "URI too long: keep the request line under the server's limit";
            case HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431 -> "request headers too large: send fewer or smaller headers";
            case HttpStatus.BAD_REQUEST_400 -> "bad request" + (message == null ? "" : ": " + message);
            default -> message != null ? message : HttpStatus.getMessage(code);
        };
    }

    /** A JSON string literal: Jetty's message may quote the request, so everything unusual is escaped. */
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
