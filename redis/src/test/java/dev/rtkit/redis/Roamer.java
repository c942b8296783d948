package dev.rtkit.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;

/**
 * One client of one topic, as rtkit.js behaves: it keeps its cursor and takes it to any node, over any transport.
 * A session runs until its deadline or until the client has {@link #enough} messages; a cut session is simply over.
 */
final class Roamer {
    static final List<String> TRANSPORTS = List.of("poll", "longpoll", "stream", "sse", "websocket");
    private static final ObjectMapper JSON = new ObjectMapper();

    final String topic;
    final List<String> ids = Collections.synchronizedList(new ArrayList<>());
    final List<JsonNode> gaps = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger sessions = new AtomicInteger();
    private final HttpClient http;
    private final java.net.http.HttpClient jdk;
    private volatile String cursor;
    private volatile int enough = Integer.MAX_VALUE;

    Roamer(HttpClient http, java.net.http.HttpClient jdk, String topic, String cursor) {
        this.http = http;
        this.jdk = jdk;
        this.topic = topic;
        this.cursor = cursor;
    }

    /** The current position, for a test that hands it to another client. */
    String cursor() {
        return cursor;
    }

    /** Sessions end once this many messages arrived in all. */
    Roamer enough(int messages) {
        this.enough = messages;
        return this;
    }

    private boolean done() {
        return ids.size() >= enough;
    }

    /** One session on {@code node} (http://host:port) over {@code transport}, until {@code until} (epoch millis). */
    void session(String transport, URI node, long until) {
        sessions.incrementAndGet();
        try {
            switch (transport) {
                case "poll" -> poll(node, until, "/rt/poll/");
                case "longpoll" -> poll(node, until, "/rt/longpoll/");
                case "stream" -> stream(node.resolve("/rt/stream/" + topic + "?since=" + enc(cursor)), until, false);
                case "sse" -> stream(node.resolve("/rt/sse/" + topic + "?format=json&since=" + enc(cursor)), until, true);
                default -> webSocket(node, until);
            }
        } catch (Exception e) {
            // A cut connection, a node going away, a 503: the client comes back from its cursor.
        }
    }

    /** Records a message exactly once per arrival; the cursor moves with it, as a client's would. */
    synchronized void accept(JsonNode event) {
        String type = event.path("type").asText();
        if (type.equals("gap")) {
            gaps.add(event);
        } else if (type.equals("message") && event.path("topic").asText().equals(topic)) {
            ids.add(event.get("id").asText());
            cursor = event.get("id").asText();
        }
    }

    private void batch(JsonNode batch) {
        synchronized (this) {
            batch.path("gaps").forEach(gaps::add);
            batch.get("messages").forEach(this::accept);
            cursor = batch.get("cursor").asText();
        }
    }

    private void poll(URI node, long until, String path) throws Exception {
        while (System.currentTimeMillis() < until && !done()) {
            long left = Math.max(1, until - System.currentTimeMillis());
            batch(JSON.readTree(http.newRequest(node.resolve(path + topic + "?since=" + enc(cursor)))
                    .timeout(left, TimeUnit.MILLISECONDS).send().getContentAsString()));
            if (path.equals("/rt/poll/")) {
                TimeUnit.MILLISECONDS.sleep(50); // the polling interval
            }
        }
    }

    private void stream(URI uri, long until, boolean sse) throws Exception {
        Request request = http.newRequest(uri).timeout(Math.max(1, until - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
        InputStreamResponseListener listener = new InputStreamResponseListener();
        request.send(listener);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(listener.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            boolean gapEvent = false;
            while (!done() && (line = in.readLine()) != null) {
                if (sse) {
                    if (line.equals("event: gap")) {
                        gapEvent = true;
                    } else if (line.startsWith("data: ")) {
                        JsonNode event = JSON.readTree(line.substring(6));
                        if (gapEvent) {
                            gaps.add(event);
                            gapEvent = false;
                        } else {
                            accept(event);
                        }
                    }
                } else if (!line.isEmpty()) {
                    accept(JSON.readTree(line));
                }
            }
        } finally {
            request.abort(new Exception("session over"));
        }
    }

    private void webSocket(URI node, long until) throws Exception {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        AtomicBoolean alive = new AtomicBoolean(true);
        URI uri = URI.create("ws://" + node.getHost() + ":" + node.getPort() + "/rt/ws");
        WebSocket ws = jdk.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    try {
                        JsonNode event = JSON.readTree(text.toString());
                        synchronized (Roamer.this) {
                            // An aborted session's late frames must not count: its successor already resumed.
                            if (alive.get()) {
                                accept(event);
                            }
                        }
                        if (done()) {
                            closed.complete(null);
                        }
                    } catch (Exception e) {
                        closed.completeExceptionally(e);
                    }
                    text.setLength(0);
                }
                socket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket socket, int code, String reason) {
                closed.complete(null);
                return null;
            }

            @Override
            public void onError(WebSocket socket, Throwable error) {
                closed.completeExceptionally(error);
            }
        }).get(5, TimeUnit.SECONDS);
        synchronized (this) {
            ws.sendText("{\"type\":\"subscribe\",\"topic\":\"" + topic + "\",\"since\":\"" + cursor + "\"}", true);
        }
        try {
            closed.get(Math.max(1, until - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            // Time to cut it off.
        } finally {
            synchronized (this) {
                alive.set(false);
            }
            ws.abort();
        }
    }

    /** Reads whatever is left from the cursor on {@code node}, by polling. */
    void catchUp(URI node) throws Exception {
        while (true) {
            JsonNode b = JSON.readTree(http.GET(node.resolve("/rt/poll/" + topic + "?since=" + enc(cursor))).getContentAsString());
            batch(b);
            if (b.get("messages").isEmpty()) {
                return;
            }
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
