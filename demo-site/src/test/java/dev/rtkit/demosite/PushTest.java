package dev.rtkit.demosite;

import dev.rtkit.testing.Tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.http2.frames.PushPromiseFrame;
import org.eclipse.jetty.http2.frames.SettingsFrame;
import org.eclipse.jetty.util.Promise;
import org.junit.jupiter.api.Test;

/** /push: PUSH_PROMISE and 103 Early Hints when allowed, nothing pushed when refused, and the server-side probe. */
class PushTest extends RunningSite {
    @Test
    void nghttpSeesPushPromiseAndEarlyHintsOverTlsH2() throws Exception {
        String out = nghttp("https://127.0.0.1:" + site.httpsPort() + "/push");
        assertPushedAndHinted(out);
    }

    @Test
    void nghttpSeesPushPromiseAndEarlyHintsOverH2c() throws Exception {
        String out = nghttp("http://127.0.0.1:" + site.httpPort() + "/push");
        assertPushedAndHinted(out);
    }

    private static void assertPushedAndHinted(String out) {
        assertTrue(out.contains("PUSH_PROMISE"), out);
        assertTrue(out.contains(":status: 103"), out);
        assertTrue(out.contains(":path: /assets/site.css?load=") && out.contains(":path: /assets/push.css?load=")
                && out.contains(":path: /assets/push.js?load="), out);
        assertTrue(out.contains("allowed: this connection is HTTP/2") || out.contains(":status: 200"), out);
    }

    private static String nghttp(String url) throws Exception {
        Path nghttp = Tools.require(Tools.NGHTTP, "nghttp2-client");
        Process process = new ProcessBuilder(nghttp.toString(), "-nv", url).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "nghttp finished");
        assertEquals(0, process.exitValue(), out);
        return out;
    }

    @Test
    void http2ClientWithPushDisabledGetsNoPush() throws Exception {
        Exchange exchange = get(false);
        assertEquals(List.of(), exchange.pushed);
        assertTrue(exchange.statuses.contains(200), exchange.statuses.toString());
        assertTrue(exchange.body().contains("refused by the client"), exchange.body());
    }

    @Test
    void http2ClientWithPushEnabledGetsEarlyHintsAndEveryAssetPushed() throws Exception {
        Exchange exchange = get(true);
        assertEquals(List.of("/assets/site.css", "/assets/push.css", "/assets/push.js"), exchange.pushed);
        assertEquals(List.of(103, 200), exchange.statuses);
        assertTrue(exchange.body().contains("/assets/site.css, /assets/push.css, /assets/push.js"), exchange.body());
    }

    @Test
    void pageThinkTimeOutsideZeroToOneSecondIs400() throws Exception {
        var client = DemoClients.HTTP_1_1.create();
        try {
            for (String think : List.of("-1", "1001", "soon")) {
                ContentResponse page = client.GET("http://127.0.0.1:" + site.httpPort() + "/push?think=" + think);
                assertEquals(400, page.getStatus(), think);
                assertTrue(page.getContentAsString().startsWith("{\"error\":"), page.getContentAsString());
            }
        } finally {
            client.stop();
        }
    }

    @Test
    void serverTimesTheAssetsOfAPageLoadAndForgetsNothingElse() throws Exception {
        var client = DemoClients.HTTP_1_1.create();
        try {
            String origin = "http://127.0.0.1:" + site.httpPort();
            String html = client.GET(origin + "/push?push=0&think=50").getContentAsString();
            Matcher load = Pattern.compile("data-load=\"([0-9a-f]+)\"").matcher(html);
            assertTrue(load.find(), html);
            assertEquals(200, client.GET(origin + "/assets/push.css?load=" + load.group(1)).getStatus());
            String timeline = client.GET(origin + "/push/timeline?load=" + load.group(1)).getContentAsString();
            for (String event : List.of("{\"path\":\"/push\",\"what\":\"asked\"", "{\"path\":\"/push\",\"what\":\"103 sent\"",
                    "{\"path\":\"/push\",\"what\":\"sent\"", "{\"path\":\"/assets/push.css\",\"what\":\"asked\"",
                    "{\"path\":\"/assets/push.css\",\"what\":\"sent\"")) {
                assertTrue(timeline.contains(event), event + " in " + timeline);
            }
            ContentResponse unknown = client.GET(origin + "/push/timeline?load=feedfacefeedface");
            assertEquals(404, unknown.getStatus());
            assertTrue(unknown.getContentAsString().startsWith("{\"error\":"), unknown.getContentAsString());
        } finally {
            client.stop();
        }
    }

    @Test
    void http11CannotPushAndThePageSaysSo() throws Exception {
        var client = DemoClients.HTTP_1_1.create();
        try {
            ContentResponse page = client.GET("http://127.0.0.1:" + site.httpPort() + "/push");
            assertEquals(200, page.getStatus());
            assertTrue(page.getContentAsString().contains("impossible: HTTP/1.1 has no server push"), page.getContentAsString());
        } finally {
            client.stop();
        }
    }

    @Test
    void serverSideProbeLoadsTheSamePageWithoutAndWithPush() throws Exception {
        var client = DemoClients.HTTP_1_1.create();
        try {
            ContentResponse probe = client.newRequest("http://127.0.0.1:" + site.httpPort() + "/push/probe")
                    .timeout(30, TimeUnit.SECONDS).send();
            String json = probe.getContentAsString();
            assertEquals(200, probe.getStatus(), json);
            assertTrue(json.contains("\"version\":\"HTTP_2\""), json);
            JsonNode runs = new ObjectMapper().readTree(json).get("runs");
            assertEquals("without push", runs.get(0).get("name").asText());
            assertEquals("with push", runs.get(1).get("name").asText());
            for (String asset : List.of("/assets/site.css", "/assets/push.css", "/assets/push.js")) {
                assertTrue(kinds(runs.get(0), asset).equals(List.of("get")), asset + " fetched after the page: " + json);
                assertTrue(kinds(runs.get(1), asset).equals(List.of("push")), asset + " pushed: " + json);
            }
            // Without push the assets are asked for only once the whole page is in; pushed ones come during it.
            double pageEnd = runs.get(0).get("entries").get(0).get("endMs").asDouble();
            runs.get(0).get("entries").forEach(e -> assertTrue(e.get("kind").asText().equals("request")
                    || e.get("startMs").asDouble() >= pageEnd, e.toString()));
        } finally {
            client.stop();
        }
    }

    private static List<String> kinds(JsonNode run, String path) {
        List<String> kinds = new ArrayList<>();
        run.get("entries").forEach(e -> {
            if (e.get("path").asText().equals(path)) {
                kinds.add(e.get("kind").asText());
            }
        });
        return kinds;
    }

    /** One GET /push over h2c with Jetty's low-level HTTP2Client, recording statuses, promises and the body. */
    private static Exchange get(boolean enablePush) throws Exception {
        HTTP2Client client = new HTTP2Client();
        client.start();
        try {
            Exchange exchange = new Exchange();
            CompletableFuture<Session> connected = new CompletableFuture<>();
            client.connect(new InetSocketAddress("127.0.0.1", site.httpPort()), new Session.Listener() {
                @Override
                public Map<Integer, Integer> onPreface(Session session) {
                    return Map.of(SettingsFrame.ENABLE_PUSH, enablePush ? 1 : 0);
                }
            }, Promise.from(connected));
            Session session = connected.get(10, TimeUnit.SECONDS);
            MetaData.Request request = new MetaData.Request("GET",
                    HttpURI.from("http://127.0.0.1:" + site.httpPort() + "/push"), HttpVersion.HTTP_2, HttpFields.EMPTY);
            session.newStream(new HeadersFrame(request, null, true), Promise.noop(), exchange);
            exchange.done.get(10, TimeUnit.SECONDS);
            return exchange;
        } finally {
            client.stop();
        }
    }

    private static final class Exchange implements Stream.Listener {
        final List<Integer> statuses = new CopyOnWriteArrayList<>();
        final List<String> pushed = new CopyOnWriteArrayList<>();
        final StringBuilder body = new StringBuilder();
        final CompletableFuture<Void> done = new CompletableFuture<>();

        String body() {
            synchronized (body) {
                return body.toString();
            }
        }

        @Override
        public void onHeaders(Stream stream, HeadersFrame frame) {
            if (frame.getMetaData() instanceof MetaData.Response response) {
                statuses.add(response.getStatus());
            }
            if (frame.isEndStream()) {
                done.complete(null);
            } else {
                stream.demand();
            }
        }

        @Override
        public void onDataAvailable(Stream stream) {
            Stream.Data data = stream.readData();
            if (data == null) {
                stream.demand();
                return;
            }
            synchronized (body) {
                body.append(StandardCharsets.UTF_8.decode(data.frame().getByteBuffer()));
            }
            data.release();
            if (data.frame().isEndStream()) {
                done.complete(null);
            } else {
                stream.demand();
            }
        }

        @Override
        public Stream.Listener onPush(Stream stream, PushPromiseFrame frame) {
            pushed.add(((MetaData.Request) frame.getMetaData()).getHttpURI().getPath());
            return new Stream.Listener() {
                @Override
                public void onHeaders(Stream pushedStream, HeadersFrame headers) {
                    pushedStream.demand();
                }

                @Override
                public void onDataAvailable(Stream pushedStream) {
                    Stream.Data data = pushedStream.readData();
                    if (data != null) {
                        data.release();
                        if (data.frame().isEndStream()) {
                            return;
                        }
                    }
                    pushedStream.demand();
                }
            };
        }

        @Override
        public void onFailure(Stream stream, int error, String reason, Throwable failure, org.eclipse.jetty.util.Callback callback) {
            done.completeExceptionally(failure != null ? failure : new IllegalStateException(reason));
            callback.succeeded();
        }
    }
}
