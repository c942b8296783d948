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

/**
 * {@code GET /push/probe}: runs a push-accepting HTTP/2 client (the JDK's HttpClient with a PushPromiseHandler)
 * against this server's own {@code /push} and answers a waterfall as JSON:
 * {@code {"target":…,"version":"HTTP_2","entries":[{"path":"/push","kind":"request","startMs":0,"headersMs":…,
 * "endMs":…,"bytes":…}, {"path":"/assets/push.css","kind":"push","startMs":…,"endMs":…,"bytes":…}]}}.
 * Over TLS it trusts the demo's self-signed certificate; without a TLS port it upgrades from HTTP/1.1 to h2c, the
 * only cleartext HTTP/2 the JDK client speaks.
 */
public final class PushProbeServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private transient ExecutorService executor;
    private transient HttpClient client;

    @Override
    public void init() {
        executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "demo-push-probe");
            t.setDaemon(true);
            return t;
        });
        try {
            client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(TrustingTls.context())
                    .connectTimeout(Duration.ofSeconds(5)).executor(executor).build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS context for the push probe", e);
        }
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
        try {
            answer.putAll(run(target));
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
        String path = request.getContextPath() + "/push?hints=" + ("0".equals(request.getParameter("hints")) ? "0" : "1");
        if (https > 0) {
            return URI.create("https://" + host + ":" + https + path);
        }
        return URI.create((request.isSecure() ? "https://" : "http://") + host + ":" + request.getLocalPort() + path);
    }

    private Map<String, Object> run(URI target) throws Exception {
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
        HttpResponse<String> response = client.sendAsync(request, body, onPush).get(15, TimeUnit.SECONDS);
        finish(main, response, t0);
        CompletableFuture<?>[] all;
        synchronized (pushes) {
            all = pushed.toArray(new CompletableFuture<?>[0]);
        }
        CompletableFuture.allOf(all).get(10, TimeUnit.SECONDS);
        List<Map<String, Object>> entries = new ArrayList<>();
        entries.add(main);
        synchronized (pushes) {
            entries.addAll(pushes);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("version", response.version().name());
        result.put("status", response.statusCode());
        result.put("entries", entries);
        return result;
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
