package dev.rtkit.demo;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;

/**
 * {@code GET /demo/info} answers
 * {@code {"httpPort":8080,"httpsPort":8443,"protocol":"HTTP/2.0","secure":true,"requestHeaderBytes":412}}: the demo's
 * two origins (-1 when unknown), the protocol this very request arrived over and the size of its request line and
 * headers as HTTP/1.1 would put them on the wire (the race page counts that much per request it sends).
 */
public final class DemoInfoServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write("{\"httpPort\":" + DemoPorts.port(getServletContext(), DemoPorts.HTTP_PORT_PARAM)
                + ",\"httpsPort\":" + DemoPorts.port(getServletContext(), DemoPorts.HTTPS_PORT_PARAM)
                + ",\"protocol\":\"" + request.getProtocol() + "\",\"secure\":" + request.isSecure()
                + ",\"requestHeaderBytes\":" + headerBytes(request) + "}");
    }

    /** "GET /path?query HTTP/1.1\r\n", every "Name: value\r\n", the blank line. */
    static int headerBytes(HttpServletRequest request) {
        String query = request.getQueryString();
        String line = request.getMethod() + " " + request.getRequestURI() + (query == null ? "" : "?" + query) + " HTTP/1.1\r\n";
        int bytes = line.getBytes(StandardCharsets.UTF_8).length + 2;
        for (String name : Collections.list(request.getHeaderNames())) {
            for (String value : Collections.list(request.getHeaders(name))) {
                bytes += (name + ": " + value + "\r\n").getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return bytes;
    }
}
