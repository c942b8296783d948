package dev.rtkit.demo;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;

/** The /push page as {@link PushServlet} renders it: what happened for this very request, and the comparisons. */
final class PushPage {
    /** The server's think time the comparison links and the probe use, so the saving is large enough to see. */
    static final long COMPARE_THINK_MILLIS = 250;

    private final String ctx;
    private final String load;
    private final String protocol;
    private final boolean secure;
    private final boolean hints;
    private final String pushVerdict;
    private final List<String> pushed;
    private final long think;

    PushPage(HttpServletRequest request, String load, boolean hints, String pushVerdict, List<String> pushed, long think) {
        this.ctx = Html.escape(request.getContextPath());
        this.load = load;
        this.protocol = request.getProtocol();
        this.secure = request.isSecure();
        this.hints = hints;
        this.pushVerdict = pushVerdict;
        this.pushed = List.copyOf(pushed);
        this.think = think;
    }

    void write(HttpServletResponse response) throws IOException {
        response.setContentType("text/html");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        PrintWriter out = response.getWriter();
        head(out);
        inspector(out);
        comparison(out);
        browser(out);
        notMessaging(out);
        out.println("</body></html>");
    }

    private void head(PrintWriter out) {
        out.println("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>HTTP/2 push — rtkit demo</title>");
        out.println("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><link rel=\"icon\" href=\"data:,\">");
        // The same URLs as the 103's Link header and the pushes (with this load's id), or the browser would not use them.
        String q = "?load=" + load;
        out.println("<link rel=\"stylesheet\" href=\"" + ctx + "/assets/site.css" + q + "\">");
        out.println("<link rel=\"stylesheet\" href=\"" + ctx + "/assets/push.css" + q + "\">");
        out.println("<script src=\"" + ctx + "/assets/push.js" + q + "\" defer></script></head><body data-load=\"" + load + "\">");
        out.println("<nav><a href=\"" + ctx + "/\">rtkit demo</a> · <a href=\"" + ctx + "/race\">race</a> · <a href=\""
                + ctx + "/chat\">chat</a> · <a href=\"" + ctx + "/push\">push</a> · <a href=\"" + ctx + "/limits\">limits</a></nav>");
        out.println("<h1>HTTP/2 Push <span class=\"zh\" lang=\"zh-Hant\">伺服器推送</span> and 103 Early Hints</h1>");
        out.println("<p>Two ways a server can send a page's CSS and JavaScript before the browser has read the page that "
                + "needs them: <strong>push</strong> (the server sends the files itself, HTTP/2 only, refused by every "
                + "current browser) and <strong>103 Early Hints</strong> (an interim answer naming the files, so the "
                + "browser fetches them while the server is still building the page).</p>");
    }

    private void inspector(PrintWriter out) {
        out.println("<section id=\"inspector\" class=\"card\"><h2>This very request</h2><table class=\"stats inspector\">");
        row(out, "protocol", "protocol", protocol + (secure ? " over TLS" : " cleartext"));
        row(out, "early-hints", "103 Early Hints", hints ? "sent (Link: preload site.css, push.css, push.js)" : "not sent (?hints=0)");
        row(out, "push-allowed", "server push", pushVerdict);
        row(out, "pushed", "pushed for this request", pushed.isEmpty() ? "nothing" : String.join(", ", pushed));
        row(out, "think", "server think time", think + " ms before the page itself");
        row(out, "css-applied", "push.css applied", "checking…");
        out.println("</table></section>");
    }

    private void comparison(PrintWriter out) {
        out.println("<section class=\"card\" id=\"compare\"><h2>The same page with and without push</h2>");
        out.println("<p>Browsers refuse push, so the server runs a push-accepting HTTP/2 client (the JDK's "
                + "<code>java.net.http.HttpClient</code> with a <code>PushPromiseHandler</code>) against its own "
                + "HTTP/2 port and loads <code>/push?think=" + COMPARE_THINK_MILLIS + "</code> twice, each on its own "
                + "connection (warmed first, so no TLS handshake shows): once without push, then reading the page and fetching the CSS and JavaScript it names, "
                + "as a browser does; once with push, the files arriving while the server still thinks. One time axis "
                + "for both: the saving is the gap between the two \"all there\" marks. On one machine a round trip takes well under a "
                + "millisecond, so here push saves the assets' own transfer time; across a network it also saves the "
                + "round trip the browser needs to ask for them.</p>");
        out.println("<p><button id=\"probe\" type=\"button\">Run the HTTP/2 client</button> <span id=\"probe-status\" class=\"status\"></span></p>");
        out.println("<div id=\"waterfall\" class=\"waterfall\" aria-live=\"polite\"></div></section>");
    }

    private void browser(PrintWriter out) {
        out.println("<section class=\"card\" id=\"hints\" data-hints=\"" + hints + "\" data-think=\"" + think
                + "\"><h2>103 Early Hints, as your browser loads this page</h2>");
        out.println("<p><strong>Browsers act on 103 Early Hints only over HTTP/2 and later</strong>: over HTTP/1.1 "
                + "they ignore the interim answer and fetch the CSS and JavaScript after the page, so on the "
                + "<code>http://</code> origin both loads look alike. Load this page both ways (the server thinks "
                + COMPARE_THINK_MILLIS + " ms before sending it); the browser's own Resource Timing draws each load, "
                + "and the previous one stays beside it.</p>");
        out.println("<p><a class=\"button\" id=\"load-hints\" href=\"" + ctx + "/push?push=0&amp;think=" + COMPARE_THINK_MILLIS
                + "\">Load with 103</a> <a class=\"button\" id=\"load-plain\" href=\"" + ctx + "/push?push=0&amp;hints=0&amp;think="
                + COMPARE_THINK_MILLIS + "\">Load without 103</a></p>");
        out.println("<div id=\"browser-waterfall\" class=\"waterfall\"></div></section>");
    }

    private static void notMessaging(PrintWriter out) {
        out.println("<section class=\"card\"><h2>Why push is not real-time messaging</h2>");
        out.println("<p>A push promise is tied to a request the client made: the server may say \"you will also need "
                + "<code>/assets/push.css</code>\" while it answers <code>/push</code>. The pushed response lands in the "
                + "connection's push cache, not in the page: no JavaScript event fires, no API lets a running page read it, "
                + "and once the original response is complete there is no request left to attach a promise to. Push "
                + "therefore <em>preloads resources</em> (and browsers dropped it because preloading is done better by "
                + "103 Early Hints and <code>&lt;link rel=preload&gt;</code>); a message to a running page needs a "
                + "response the page is still reading — long-polling, streaming, SSE — or a WebSocket.</p>");
        out.println("<p class=\"zh\" lang=\"zh-Hant\">HTTP/2 Push 是 HTTP/2 協議中的一個特性，允許伺服器在客戶端請求之前主動推送資源到客戶端。"
                + "這主要是用來加速網頁資源的加載，而不是作為一般的即時通訊技術。</p></section>");
    }

    private static void row(PrintWriter out, String id, String name, String value) {
        out.println("<tr><td>" + Html.escape(name) + "</td><td id=\"" + id + "\">" + Html.escape(value) + "</td></tr>");
    }
}
