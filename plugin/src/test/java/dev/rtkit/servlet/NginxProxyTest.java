package dev.rtkit.servlet;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rtkit.testing.JdkWsClient;
import dev.rtkit.testing.LineStream;
import dev.rtkit.testing.Nginx;
import dev.rtkit.testing.TestServer;
import dev.rtkit.testing.WsClient;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The README's nginx block, verbatim but for its two ports, in front of a Jetty with forwarded headers on:
 * all five transports work through it, and clients behind it are counted by their own address.
 */
class NginxProxyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int PER_ADDRESS = 2;

    private static TestServer server;
    private static Nginx nginx;
    private static HttpClient client;
    private static HttpClient otherClient;
    private final List<LineStream> open = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        // Jetty learns that a client behind the proxy left when it next writes: heartbeats keep that short.
        server = new TestServer().param("maxConnectionsPerAddress", PER_ADDRESS).param("heartbeatIntervalMillis", 300)
                .setup((s, context) -> s.getConnectors()[0].getConnectionFactory(HttpConnectionFactory.class)
                        .getHttpConfiguration().addCustomizer(new ForwardedRequestCustomizer()))
                .start();
        int port = Nginx.freePort();
        nginx = Nginx.start(readmeSnippet(port, server.port()), port);
        client = clientFrom("127.0.0.1");
        otherClient = clientFrom("127.0.0.2");
    }

    /** The README's nginx block, listening on {@code port} and proxying to {@code backend}. */
    static String readmeSnippet(int port, int backend) throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        int start = readme.indexOf("```nginx\n");
        assertTrue(start >= 0, "README has an nginx block");
        String block = readme.substring(start + "```nginx\n".length(), readme.indexOf("\n```", start));
        String site = block.replace("listen 80;", "listen 127.0.0.1:" + port + ";")
                .replace("server 127.0.0.1:8080;", "server 127.0.0.1:" + backend + ";");
        assertTrue(site.contains(":" + port + ";") && site.contains(":" + backend + ";"), "the block's ports moved: " + block);
        return site;
    }

    /** A client connecting from {@code address} (any 127.x address is loopback on Linux). */
    private static HttpClient clientFrom(String address) throws Exception {
        ClientConnector connector = new ClientConnector();
        connector.setSelectors(1);
        connector.setBindAddress(new InetSocketAddress(address, 0));
        HttpClient c = new HttpClient(new HttpClientTransportOverHTTP(connector));
        c.start();
        return c;
    }

    @AfterEach
    void closeStreams() {
        open.forEach(LineStream::close);
        await().atMost(WAIT).until(() -> server.hub().subscriptionCount() == 0);
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.stop();
            otherClient.stop();
        }
        if (nginx != null) {
            nginx.close();
        }
        server.close();
    }

    private static URI proxied(String path) {
        return URI.create("http://127.0.0.1:" + nginx.port()).resolve(path);
    }

    /** Publishes as a page served through the proxy would: Origin is the proxy's, Host rewritten by it. */
    private static void publish(String topic, String data) throws Exception {
        ContentResponse r = client.newRequest(proxied("/rt/publish/" + topic)).method(HttpMethod.POST)
                .headers(h -> h.put("Origin", "http://127.0.0.1:" + nginx.port()))
                .body(new StringRequestContent("text/plain", data, StandardCharsets.UTF_8)).timeout(10, TimeUnit.SECONDS).send();
        assertEquals(202, r.getStatus(), r.getContentAsString() + "\n" + nginx.log());
    }

    private static String cursor(String topic) throws Exception {
        ContentResponse r = client.newRequest(proxied("/rt/poll/" + topic)).timeout(10, TimeUnit.SECONDS).send();
        assertEquals(200, r.getStatus(), r.getContentAsString());
        return JSON.readTree(r.getContentAsString()).get("cursor").asText();
    }

    @ParameterizedTest
    @ValueSource(strings = {"poll", "longpoll", "stream", "sse", "websocket"})
    void everyTransportWorksThroughTheProxy(String transport) throws Exception {
        String topic = "nginx/" + transport;
        String since = cursor(topic);
        String query = "/rt/" + transport + "/" + topic + "?since=" + since;
        switch (transport) {
            case "poll" -> {
                publish(topic, "through nginx");
                JsonNode batch = JSON.readTree(client.newRequest(proxied(query)).send().getContentAsString());
                assertEquals("through nginx", batch.get("messages").get(0).get("data").asText());
            }
            case "longpoll" -> {
                CompletableFuture<ContentResponse> parked = new CompletableResponseListener(
                        client.newRequest(proxied(query)).timeout(30, TimeUnit.SECONDS)).send();
                publish(topic, "through nginx");
                JsonNode batch = JSON.readTree(parked.get(10, TimeUnit.SECONDS).getContentAsString());
                assertEquals("through nginx", batch.get("messages").get(0).get("data").asText());
            }
            case "stream", "sse" -> {
                LineStream s = LineStream.open(client, proxied(query));
                open.add(s);
                assertEquals(200, s.response().getStatus());
                publish(topic, "through nginx");
                s.until(l -> l.contains("through nginx"), WAIT);
            }
            case "websocket" -> {
                try (WsClient ws = JdkWsClient.connect(URI.create("ws://127.0.0.1:" + nginx.port() + "/rt/ws"))) {
                    ws.send(WsClient.json("type", "subscribe", "topic", topic, "since", since));
                    ws.nextOfType("subscribed", WAIT);
                    publish(topic, "through nginx");
                    assertEquals("through nginx", ws.nextOfType("message", WAIT).get("data").asText());
                }
            }
            default -> throw new IllegalArgumentException(transport);
        }
    }

    private int streamFrom(HttpClient from, String spoofedFor) throws Exception {
        LineStream s = LineStream.open(from, proxied("/rt/stream/nginx/buckets"),
                r -> r.headers(h -> h.put("X-Forwarded-For", spoofedFor)));
        open.add(s);
        return s.response().getStatus();
    }

    @Test
    void clientsBehindTheProxyGetTheirOwnBucketsAndCannotSpoofThem() throws Exception {
        for (int i = 0; i < PER_ADDRESS; i++) {
            assertEquals(200, streamFrom(client, "203.0.113." + i));
        }
        assertEquals(429, streamFrom(client, "203.0.113.99"), "a client's own X-Forwarded-For is replaced by the proxy");
        assertEquals(200, streamFrom(otherClient, "203.0.113.1"), "another client behind the same proxy has its own bucket");
    }
}
