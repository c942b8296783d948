package dev.rtkit.bench.load;

import java.util.function.Consumer;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;

/**
 * CometD long-polling: {@code POST <base>/handshake}, {@code /subscribe} (ready on success), a first
 * {@code /connect} answered at once, then each held {@code /connect}'s answer (messages plus the connect reply)
 * is scanned and the next connect sent straight away, as CometD's clients do.
 */
final class BayeuxPollSubscriber extends Settling {
    private static final String TYPE = "long-polling";
    private final LineBuffer body = new LineBuffer();
    private volatile Request request;
    private volatile String clientId;
    /** This subscriber's {@code BAYEUX_BROWSER} cookie: each is its own browser (CometD ties a session to it). */
    private volatile String cookie;

    BayeuxPollSubscriber(Group group) {
        super(group);
    }

    @Override
    public void open() {
        post("handshake", Bayeux.handshake(TYPE), reply -> {
            String id = Bayeux.clientId(reply);
            if (id == null) {
                group.failure("handshake answered " + reply);
                failed();
                return;
            }
            clientId = id;
            post("subscribe", Bayeux.subscribe(id, group.topic), sub -> {
                if (!Boolean.TRUE.equals(Bayeux.subscribed(sub))) {
                    group.failure("subscribe answered " + sub);
                    failed();
                    return;
                }
                ready();
                connect(true);
            });
        });
    }

    private void connect(boolean first) {
        if (group.closing()) {
            return;
        }
        post("connect", Bayeux.connect(clientId, TYPE, first), null);
    }

    /** Sends one Bayeux POST; a connect's answer is scanned and followed by the next connect. */
    private void post(String type, String json, Consumer<String> then) {
        if (group.closing()) {
            return;
        }
        group.probe.request();
        Request r = group.http.newRequest(group.baseUrl + "/" + type).method(HttpMethod.POST)
                .body(new StringRequestContent("application/json", json))
                .idleTimeout(120, java.util.concurrent.TimeUnit.SECONDS)
                .onResponseContent((response, buf) -> body.append(buf));
        String c = cookie;
        if (c != null) {
            r.headers(h -> h.put("Cookie", c));
        }
        request = r;
        r.send(result -> {
            boolean ok = result.isSucceeded() && result.getResponse().getStatus() == 200;
            if (!ok) {
                group.failure(type + ": " + (result.isFailed() ? String.valueOf(result.getFailure())
                        : "HTTP " + result.getResponse().getStatus() + " " + body.text()));
                body.clear();
                failed();
                return;
            }
            if (cookie == null) {
                for (String set : result.getResponse().getHeaders().getValuesList("Set-Cookie")) {
                    if (set.startsWith("BAYEUX_BROWSER=")) {
                        cookie = set.substring(0, set.indexOf(';') < 0 ? set.length() : set.indexOf(';'));
                    }
                }
            }
            if (then != null) {
                String text = body.text();
                body.clear();
                then.accept(text);
                return;
            }
            String text = body.text();
            body.scanBody(group.probe);
            if (Bayeux.mustHandshake(text)) {
                group.failure("connect answered " + text);
                failed();
                return;
            }
            connect(false);
        });
    }

    @Override
    public void close() {
        Request r = request;
        if (r != null) {
            r.abort(new java.io.IOException("closed"));
        }
    }
}
