package dev.rtkit.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.PushPromiseHandler;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /push/probe}: runs an HTTP/2 client (the JDK's HttpClient) against this server's own
 * {@code /push?think=250} twice and answers both waterfalls as JSON, on one time axis:
 * {@code {"target":…,"version":"HTTP_2","thinkMs":250,"runs":[{"name":"without push","entries":[{"path":"/push",
 * "kind":"request","startMs":0,"headersMs":…,"endMs":…,"bytes":…},{"path":"/assets/push.css","kind":"get",…}],
 * "doneMs":…},{"name":"with push","entries":[…,{"path":"/assets/push.css","kind":"push",…}],"doneMs":…}],
 * "savedMs":…}}}. Without push the client reads the page and then fetches the CSS and JavaScript it names, as a
 * browser does; with push it accepts the promised responses. Each run first warms its connection, so neither pays
 * the TLS handshake. Over TLS it trusts the demo's self-signed certificate; without a TLS port it upgrades from
 * HTTP/1.1 to h2c, the only cleartext HTTP/2 the JDK client speaks.
 */
public final class PushProbeServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();
    // The stylesheets and scripts a page names, as a browser finds them.
    private static final Pattern ASSET = Pattern.compile("(?:href|src)=\"([^\"#]+?\\.(?:css|js)(?:\\?[^\"#]*)?)\"");

    private transient ExecutorService executor;
    private transient HttpClient plain;
    private transient HttpClient pushing;

    @Override
    public void init() {
        executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "demo-push-probe");
            t.setDaemon(true);
            return t;
        });
        try {
            plain = client();
            pushing = client();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS context for the push probe", e);
        }
    }

    private HttpClient client() throws GeneralSecurityException {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(TrustingTls.context())
                .connectTimeout(Duration.ofSeconds(5)).executor(executor).build();
    }

    @Override
    public void destroy() {
        executor.shutdownNow();
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        URI target = target(request);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("target", target.toString());
        answer.put("thinkMs", PushPage.COMPARE_THINK_MILLIS);
        try {
            Map<String, Object> without = run(plain, URI.create(target + "&push=0"), false);
            Map<String, Object> with = run(pushing, target, true);
            answer.put("version", with.remove("version"));
            answer.put("status", with.remove("status"));
            without.remove("version");
            without.remove("status");
            answer.put("runs", List.of(without, with));
            answer.put("savedMs", Math.round(((double) without.get("doneMs") - (double) with.get("doneMs")) * 100) / 100.0);
        } catch (Exception e) {
            response.setStatus(HttpServletResponse.SC_BAD_GATEWAY);
            answer.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        JSON.writeValue(response.getOutputStream(), answer);
    }

    private URI target(HttpServletRequest request) {
        int https = DemoPorts.port(getServletContext(), DemoPorts.HTTPS_PORT_PARAM);
        String host = request.getLocalAddr().contains(":") ? "[" + request.getLocalAddr() + "]" : request.getLocalAddr();
        String path = request.getContextPath() + "/push?hints=0&think=" + PushPage.COMPARE_THINK_MILLIS;
        if (https > 0) {
            return URI.create("https://" + host + ":" + https + path);
        }
        return URI.create((request.isSecure() ? "https://" : "http://") + host + ":" + request.getLocalPort() + path);
    }

    private Map<String, Object> run(HttpClient client, URI target, boolean acceptPush) throws Exception {
        // Warm the connection (TCP, TLS, HTTP/2 preface) so the waterfall shows the page and nothing before it.
        client.send(HttpRequest.newBuilder(target.resolve("demo/info")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.discarding());
        long t0 = System.nanoTime();
        List<Map<String, Object>> pushes = new ArrayList<>();
        List<CompletableFuture<?>> pushed = new ArrayList<>();
        PushPromiseHandler<String> onPush = (initiating, promise, acceptor) -> {
            Map<String, Object> entry = entry(promise.uri().getPath(), "push", t0);
            synchronized (pushes) {
                pushes.add(entry);
                pushed.add(acceptor.apply(HttpResponse.BodyHandlers.ofString()).thenAccept(r -> finish(entry, r, t0)));
            }
        };
        Map<String, Object> main = entry(target.getPath(), "request", t0);
        HttpResponse.BodyHandler<String> body = info -> {
            main.put("headersMs", millisSince(t0));
            return HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8);
        };
        HttpRequest request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(10)).GET().build();
        HttpResponse<String> response = (acceptPush ? client.sendAsync(request, body, onPush) : client.sendAsync(request, body))
                .get(15, TimeUnit.SECONDS);
        finish(main, response, t0);
        List<Map<String, Object>> entries = new ArrayList<>();
        entries.add(main);
        if (acceptPush) {
            CompletableFuture<?>[] all;
            synchronized (pushes) {
                all = pushed.toArray(new CompletableFuture<?>[0]);
            }
            CompletableFuture.allOf(all).get(10, TimeUnit.SECONDS);
            synchronized (pushes) {
                entries.addAll(pushes);
            }
        } else {
            entries.addAll(fetchAssets(client, target, response.body(), t0));
        }
        double done = 0;
        for (Map<String, Object> e : entries) {
            done = Math.max(done, (double) e.get("endMs"));
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("name", acceptPush ? "with push" : "without push");
        result.put("version", response.version().name());
        result.put("status", response.statusCode());
        result.put("entries", entries);
        result.put("doneMs", done);
        return result;
    }

    /** What a browser does once it has read the page: fetches every stylesheet and script it names, at once. */
    private static List<Map<String, Object>> fetchAssets(HttpClient client, URI page, String html, long t0) throws Exception {
        List<Map<String, Object>> entries = new ArrayList<>();
        List<CompletableFuture<?>> pending = new ArrayList<>();
        Matcher m = ASSET.matcher(html);
        while (m.find()) {
            URI asset = page.resolve(m.group(1));
            Map<String, Object> entry = entry(asset.getPath(), "get", t0);
            entries.add(entry);
            pending.add(client.sendAsync(HttpRequest.newBuilder(asset).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString()).thenAccept(r -> finish(entry, r, t0)));
        }
        CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0])).get(10, TimeUnit.SECONDS);
        return entries;
    }

    private static Map<String, Object> entry(String path, String kind, long t0) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("path", path);
        entry.put("kind", kind);
        entry.put("startMs", millisSince(t0));
        return entry;
    }

    private static void finish(Map<String, Object> entry, HttpResponse<String> response, long t0) {
        entry.put("endMs", millisSince(t0));
        entry.put("status", response.statusCode());
        entry.put("bytes", response.body().getBytes(StandardCharsets.UTF_8).length);
        entry.put("contentType", response.headers().firstValue("content-type").orElse(""));
    }

    private static double millisSince(long t0) {
        return Math.round((System.nanoTime() - t0) / 10_000.0) / 100.0;
    }
}
