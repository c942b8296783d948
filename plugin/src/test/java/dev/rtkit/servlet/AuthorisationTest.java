package dev.rtkit.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtkit.testing.Clients;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.security.HashLoginService;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Roles and the per-topic authorizer, with BASIC auth configured in a web.xml, on a real Jetty web application. */
class AuthorisationTest {
    private static Server server;
    private static HttpClient client;
    private static URI base;

    @BeforeAll
    static void start() throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        WebAppContext app = new WebAppContext();
        app.setContextPath("/");
        ResourceFactory resources = ResourceFactory.of(server);
        app.setBaseResource(resources.newClassLoaderResource("secured"));
        app.setParentLoaderPriority(true);
        HashLoginService realm = new HashLoginService("rtkit", resources.newClassLoaderResource("secured/realm.properties"));
        app.getSecurityHandler().setLoginService(realm);
        server.setHandler(app);
        server.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
        client = Clients.HTTP_1_1.create();
    }

    @AfterAll
    static void stop() throws Exception {
        client.stop();
        server.stop();
    }

    private static Request as(String user, Request request) {
        if (user != null) {
            String token = Base64.getEncoder().encodeToString((user + ":secret").getBytes(StandardCharsets.UTF_8));
            request.headers(h -> h.put(HttpHeader.AUTHORIZATION, "Basic " + token));
        }
        return request.timeout(10, TimeUnit.SECONDS);
    }

    private static ContentResponse publish(String user, String topic) throws Exception {
        return as(user, client.newRequest(base.resolve("/rt/publish/" + topic)).method(HttpMethod.POST)
                .body(new StringRequestContent("text/plain", "x", StandardCharsets.UTF_8))).send();
    }

    private static ContentResponse poll(String user, String topic) throws Exception {
        return as(user, client.newRequest(base.resolve("/rt/poll/" + topic))).send();
    }

    @Test
    void publishingWithoutCredentialsIsChallengedByTheContainer() throws Exception {
        ContentResponse r = publish(null, "news");
        assertEquals(401, r.getStatus());
        assertTrue(r.getHeaders().get(HttpHeader.WWW_AUTHENTICATE).startsWith("Basic"));
        assertEquals("{\"error\":\"authentication required\"}", r.getContentAsString());
    }

    @Test
    void publishingNeedsThePublisherRole() throws Exception {
        ContentResponse r = publish("bob", "news");
        assertEquals(403, r.getStatus());
        assertTrue(r.getContentAsString().contains("not allowed to publish"), r.getContentAsString());
        assertEquals(202, publish("alice", "news").getStatus());
    }

    @Test
    void theAuthorizerKeepsPrivateTopicsToTheirOwner() throws Exception {
        assertEquals(202, publish("alice", "private/alice/inbox").getStatus());
        assertEquals(403, publish("alice", "private/bob/inbox").getStatus());
        assertEquals(200, poll("alice", "private/alice/inbox").getStatus());
        assertEquals(403, poll("bob", "private/alice/inbox").getStatus());
        assertEquals(401, poll(null, "private/alice/inbox").getStatus());
        assertEquals(200, poll(null, "news").getStatus());
    }

    @Test
    void anAnonymousCallerRefusedByTheAuthorizerIsChallengedWithAJsonBodyAndRefusedTopicsAreNamed() throws Exception {
        ContentResponse r = as(null, client.newRequest(base.resolve("/rt/longpoll/private/alice/inbox"))).send();
        assertEquals(401, r.getStatus(), r.getContentAsString());
        assertTrue(r.getHeaders().get(HttpHeader.WWW_AUTHENTICATE).startsWith("Basic"));
        assertTrue(String.valueOf(r.getHeaders().get(HttpHeader.CONTENT_TYPE)).startsWith("application/json"), r.getHeaders().toString());
        assertEquals("{\"error\":\"authentication required\"}", r.getContentAsString());
        ContentResponse several = as(null, client.newRequest(base.resolve("/rt/longpoll?topic=news&topic=private/alice/inbox")))
                .send();
        assertEquals(200, several.getStatus(), several.getContentAsString());
        assertTrue(several.getContentAsString().contains("\"refused\":[{\"topic\":\"private/alice/inbox\",\"status\":403"),
                several.getContentAsString());
        assertEquals(200, as("alice", client.newRequest(base.resolve("/rt/poll?topic=news&topic=private/alice/inbox"))).send()
                .getStatus());
    }

    @Test
    void anAnonymousPublishRefusedByTheAuthorizerIsChallengedAndASignedInOwnerPublishes() throws Exception {
        ContentResponse anonymous = as(null, client.newRequest(base.resolve("/rt/publish/private/alice/inbox")).method("POST")
                .body(new org.eclipse.jetty.client.StringRequestContent("hi"))).send();
        assertEquals(401, anonymous.getStatus(), anonymous.getContentAsString());
        assertEquals("{\"error\":\"authentication required\"}", anonymous.getContentAsString());
        ContentResponse other = as("bob", client.newRequest(base.resolve("/rt/publish/private/alice/inbox")).method("POST")
                .body(new org.eclipse.jetty.client.StringRequestContent("hi"))).send();
        assertEquals(403, other.getStatus(), other.getContentAsString());
        ContentResponse owner = as("alice", client.newRequest(base.resolve("/rt/publish/private/alice/inbox")).method("POST")
                .body(new org.eclipse.jetty.client.StringRequestContent("hi"))).send();
        assertEquals(202, owner.getStatus(), owner.getContentAsString());
    }
}
