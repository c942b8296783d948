package dev.rtkit.bench.load;

import org.eclipse.jetty.client.Request;

/**
 * Atmosphere long-polling: {@code GET <base>/<topic>?X-Atmosphere-Transport=long-polling}, ready once the first
 * is sent; each answer is scanned and the next poll sent at once with the {@code X-Atmosphere-tracking-id} the
 * server gave, so its broadcaster cache hands over what came while no poll was parked (as atmosphere.js does).
 */
final class AtmospherePollSubscriber extends Settling {
    private final LineBuffer body = new LineBuffer();
    private volatile Request request;
    private volatile String trackingId = "0";

    AtmospherePollSubscriber(Group group) {
        super(group);
    }

    @Override
    public void open() {
        send();
    }

    private void send() {
        if (group.closing()) {
            return;
        }
        group.probe.request();
        Request r = group.http.newRequest(group.baseUrl + "/" + group.topic + "?X-Atmosphere-Transport=long-polling"
                        + "&X-Atmosphere-tracking-id=" + trackingId)
                .idleTimeout(120, java.util.concurrent.TimeUnit.SECONDS)
                .onRequestSuccess(req -> ready())
                .onResponseContent((response, buf) -> body.append(buf));
        request = r;
        r.send(result -> {
            if (!result.isSucceeded() || result.getResponse().getStatus() != 200) {
                body.clear();
                failed();
                return;
            }
            String id = result.getResponse().getHeaders().get("X-Atmosphere-tracking-id");
            if (id != null) {
                trackingId = id;
            }
            body.scanBody(group.probe);
            send();
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
