package dev.rtkit.demo;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.PushBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /push}: sends 103 Early Hints for the page's CSS and JS, pushes both with a PushBuilder when the client
 * allows push, then renders an inspector saying what happened for this very request. {@code ?hints=0} skips the
 * Early Hints.
 */
public final class PushServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    static final List<String> ASSETS = List.of("/assets/push.css", "/assets/push.js");
    private static final String LINK = "</assets/push.css>; rel=preload; as=style, </assets/push.js>; rel=preload; as=script";

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        boolean hints = !"0".equals(request.getParameter("hints"));
        if (hints) {
            response.setHeader("Link", LINK);
            // Jetty sends 103 as an interim response carrying the Link headers; the real answer follows.
            response.sendError(103);
        }
        PushBuilder push = request.newPushBuilder();
        List<String> pushed = new ArrayList<>();
        if (push != null) {
            for (String asset : ASSETS) {
                push.path(request.getContextPath() + asset).push();
                pushed.add(asset);
            }
        }
        response.setContentType("text/html");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        render(response.getWriter(), request, hints, push != null, pushed);
    }

    private static String pushVerdict(HttpServletRequest request, boolean allowed) {
        if (allowed) {
            return "allowed: this connection is HTTP/2 and the client did not send SETTINGS_ENABLE_PUSH=0";
        }
        if (!request.getProtocol().startsWith("HTTP/2")) {
            return "impossible: " + request.getProtocol() + " has no server push";
        }
        return "refused by the client: it sent SETTINGS_ENABLE_PUSH=0 (every current browser does)";
    }

    private static void render(PrintWriter out, HttpServletRequest request, boolean hints, boolean allowed,
            List<String> pushed) {
        String ctx = Html.escape(request.getContextPath());
        out.println("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>HTTP/2 push — rtkit demo</title>");
        out.println("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        out.println("<link rel=\"stylesheet\" href=\"" + ctx + "/assets/site.css\">");
        out.println("<link rel=\"stylesheet\" href=\"" + ctx + "/assets/push.css\">");
        out.println("<script src=\"" + ctx + "/assets/push.js\" defer></script></head><body>");
        out.println("<nav><a href=\"" + ctx + "/\">rtkit demo</a> · <a href=\"" + ctx + "/race\">race</a> · <a href=\""
                + ctx + "/chat\">chat</a> · <a href=\"" + ctx + "/push\">push</a> · <a href=\"" + ctx + "/limits\">limits</a></nav>");
        out.println("<h1>HTTP/2 Push <span lang=\"zh-Hant\">伺服器推送</span></h1>");
        out.println("<section id=\"inspector\" class=\"card\"><h2>This very request</h2><dl>");
        row(out, "protocol", "protocol", request.getProtocol() + (request.isSecure() ? " over TLS" : " cleartext"));
        row(out, "early-hints", "103 Early Hints", hints ? "sent (Link: preload push.css, push.js)" : "not sent (?hints=0)");
        row(out, "push-allowed", "server push", pushVerdict(request, allowed));
        row(out, "pushed", "pushed for this request", pushed.isEmpty() ? "nothing" : String.join(", ", pushed));
        row(out, "css-applied", "push.css applied", "checking…");
        out.println("</dl></section>");
        out.println("<section class=\"card\"><h2>A push-accepting HTTP/2 client, run by the server</h2>");
        out.println("<p>Browsers refuse push, so the server runs the JDK's <code>java.net.http.HttpClient</code> with a "
                + "<code>PushPromiseHandler</code> against its own HTTP/2 port and shows what arrived, and when.</p>");
        out.println("<p><button id=\"probe\" type=\"button\">Run the HTTP/2 client</button> <span id=\"probe-status\"></span></p>");
        out.println("<div id=\"waterfall\" class=\"waterfall\" aria-live=\"polite\"></div></section>");
        out.println("<section class=\"card\"><h2>Why push is not real-time messaging</h2>");
        out.println("<p>A push promise is tied to a request the client made: the server may say \"you will also need "
                + "<code>/assets/push.css</code>\" while it answers <code>/push</code>. The pushed response lands in the "
                + "connection's push cache, not in the page: no JavaScript event fires, no API lets a running page read it, "
                + "and once the original response is complete there is no request left to attach a promise to. Push "
                + "therefore <em>preloads resources</em> (and browsers dropped it because preloading is done better by "
                + "103 Early Hints and <code>&lt;link rel=preload&gt;</code>); a message to a running page needs a "
                + "response the page is still reading — long-polling, streaming, SSE — or a WebSocket.</p>");
        out.println("<p lang=\"zh-Hant\">HTTP/2 Push 是 HTTP/2 協議中的一個特性，允許伺服器在客戶端請求之前主動推送資源到客戶端。"
                + "這主要是用來加速網頁資源的加載，而不是作為一般的即時通訊技術。</p></section>");
        out.println("</body></html>");
    }

    private static void row(PrintWriter out, String id, String name, String value) {
        out.println("<dt>" + Html.escape(name) + "</dt><dd id=\"" + id + "\">" + Html.escape(value) + "</dd>");
    }
}
