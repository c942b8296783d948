package dev.rtkit.demosite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rtkit.redis.RedisServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two launchers with --redis share topics: what one acknowledges, the other serves from the same cursor. */
class SeveralNodesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void twoLaunchersOnOneRedisShareIdsAndHistory() throws Exception {
        try (RedisServer redis = RedisServer.start();
                DemoSite a = launch(redis, "a.p12");
                DemoSite b = launch(redis, "b.p12")) {
            String cursor = get(b.httpUri().resolve("/rt/poll/nodes")).get("cursor").asText();
            HttpResponse<String> published = http.send(HttpRequest.newBuilder(a.httpUri().resolve("/rt/publish/nodes"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"n\":1}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(202, published.statusCode(), published.body());
            String id = JSON.readTree(published.body()).get("id").asText();

            JsonNode onB = get(b.httpUri().resolve("/rt/poll/nodes?since=" + cursor));
            assertEquals(id, onB.get("messages").get(0).get("id").asText());
            assertEquals(1, onB.get("messages").get(0).get("data").get("n").asInt());
        }
    }

    @Test
    void redisOptionMustBeARedisUri() {
        assertThrows(IllegalArgumentException.class, () -> Options.parse(List.of("--redis", "localhost:6379")));
        assertEquals("redis://127.0.0.1:6379", Options.parse(List.of("--redis", "redis://127.0.0.1:6379")).redis());
        assertEquals(null, Options.parse(List.of()).redis());
    }

    private DemoSite launch(RedisServer redis, String keystore) throws Exception {
        return DemoSite.start("--http-port", "0", "--https-port", "0", "--keystore", dir.resolve(keystore).toString(),
                "--redis", redis.uri());
    }

    private JsonNode get(URI uri) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }
}
