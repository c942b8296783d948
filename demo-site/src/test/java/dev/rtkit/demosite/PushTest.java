package dev.rtkit.demosite;

import dev.rtkit.testing.Tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
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
        assertTrue(out.contains(":path: /assets/push.css") && out.contains(":path: /assets/push.js"), out);
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
    void http2ClientWithPushEnabledGetsEarlyHintsAndBothAssetsPushed() throws Exception {
        Exchange exchange = get(true);
        assertEquals(List.of("/assets/push.css", "/assets/push.js"), exchange.pushed);
        assertEquals(List.of(103, 200), exchange.statuses);
        assertTrue(exchange.body().contains("/assets/push.css, /assets/push.js"), exchange.body());
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
    void serverSideProbeReportsPushedResourcesAsAWaterfall() throws Exception {
        var client = DemoClients.HTTP_1_1.create();
        try {
            ContentResponse probe = client.newRequest("http://127.0.0.1:" + site.httpPort() + "/push/probe")
                    .timeout(30, TimeUnit.SECONDS).send();
            String json = probe.getContentAsString();
            assertEquals(200, probe.getStatus(), json);
            assertTrue(json.contains("\"version\":\"HTTP_2\""), json);
            assertTrue(json.contains("{\"path\":\"/assets/push.css\",\"kind\":\"push\""), json);
            assertTrue(json.contains("{\"path\":\"/assets/push.js\",\"kind\":\"push\""), json);
        } finally {
            client.stop();
        }
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
