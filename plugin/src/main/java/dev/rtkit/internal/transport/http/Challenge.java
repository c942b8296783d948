package dev.rtkit.internal.transport.http;

import dev.rtkit.internal.transport.Errors;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * The container's login challenge ({@code request.authenticate}) with rtkit's JSON body: the container sets the
 * status and {@code WWW-Authenticate} on a response that keeps its own body (an empty or HTML page) out, then
 * rtkit writes {@code {"error":"…"}} like every other refusal.
 */
final class Challenge extends HttpServletResponseWrapper {
    private static final ServletOutputStream DISCARD = new ServletOutputStream() {
        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
        }
    };

    private Challenge(HttpServletResponse response) {
        super(response);
    }

    /**
     * True when the container challenged (401 sent); false when the caller is authenticated now, or when the
     * application configures no login (the check that follows then refuses with 403).
     */
    static boolean sent(HttpServletRequest req, HttpServletResponse resp, String message) throws IOException {
        try {
            if (authenticate(req, resp)) {
                return false;
            }
        } catch (ServletException e) {
            return false;
        }
        if (!resp.isCommitted()) {
            byte[] body = ("{\"error\":" + Errors.quote(message) + "}").getBytes(StandardCharsets.UTF_8);
            resp.setContentType("application/json");
            resp.setHeader("Cache-Control", "no-store");
            resp.setContentLength(body.length);
            resp.getOutputStream().write(body);
        }
        return true;
    }

    private static boolean authenticate(HttpServletRequest req, HttpServletResponse resp) throws IOException, ServletException {
        try {
            return req.authenticate(new Challenge(resp));
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // A container that insists on its own response object: its challenge, with its own body.
            return req.authenticate(resp);
        }
    }

    @Override
    public ServletOutputStream getOutputStream() {
        return DISCARD;
    }

    @Override
    public PrintWriter getWriter() {
        return new PrintWriter(DISCARD);
    }

    @Override
    public void sendError(int sc) {
        setStatus(sc);
    }

    @Override
    public void sendError(int sc, String msg) {
        setStatus(sc);
    }

    @Override
    public void flushBuffer() {
    }

    @Override
    public void setContentLength(int len) {
    }

    @Override
    public void setContentLengthLong(long len) {
    }

    @Override
    public void setContentType(String type) {
    }

    @Override
    public void setHeader(String name, String value) {
        if (!"Content-Length".equalsIgnoreCase(name) && !"Content-Type".equalsIgnoreCase(name)) {
            super.setHeader(name, value);
        }
    }

    @Override
    public void addHeader(String name, String value) {
        if (!"Content-Length".equalsIgnoreCase(name) && !"Content-Type".equalsIgnoreCase(name)) {
            super.addHeader(name, value);
        }
    }
}
