package dev.rtkit.demo;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /demo/info} answers {@code {"httpPort":8080,"httpsPort":8443,"protocol":"HTTP/2.0","secure":true}}:
 * the demo's two origins (-1 when unknown) and the protocol this very request arrived over.
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
                + ",\"protocol\":\"" + request.getProtocol() + "\",\"secure\":" + request.isSecure() + "}");
    }
}
