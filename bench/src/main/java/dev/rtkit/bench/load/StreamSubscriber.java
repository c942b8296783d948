package dev.rtkit.bench.load;

import org.eclipse.jetty.client.Request;

/**
 * An SSE ({@code ?format=json}) or NDJSON stream: ready when the 200 headers arrive. In the Atmosphere dialect the
 * same over {@code ?X-Atmosphere-Transport=sse|streaming}; Atmosphere's streaming writes messages back to back, so
 * what is scanned ends at the last closing brace instead of the last newline.
 */
final class StreamSubscriber extends Settling {
    private final LineBuffer lines = new LineBuffer();
    private volatile Request request;

    StreamSubscriber(Group group) {
        super(group);
    }

    @Override
    public void open() {
        boolean atmosphere = group.dialect == Dialect.ATMOSPHERE;
        String url = atmosphere
                ? group.baseUrl + "/" + group.topic + "?X-Atmosphere-Transport=" + Dialect.atmosphereTransport(group.transport)
                        + "&X-Atmosphere-tracking-id=0"
                : url(group.transport.wireName()) + (group.transport == Transport.SSE ? "?format=json" : "");
        byte end = atmosphere && group.transport == Transport.STREAM ? (byte) '}' : (byte) '\n';
        group.probe.request();
        Request r = group.http.newRequest(url)
                .idleTimeout(120, java.util.concurrent.TimeUnit.SECONDS)
                .onResponseHeaders(response -> {
                    if (response.getStatus() == 200) {
                        ready();
                    } else {
                        group.failure("HTTP " + response.getStatus() + " for " + url);
                    }
                })
                .onResponseContent((response, buf) -> {
                    synchronized (lines) {
                        lines.append(buf);
                        lines.scanUpTo(group.probe, end);
                    }
                });
        if (atmosphere && group.transport == Transport.SSE) {
            r.headers(h -> h.put("Accept", "text/event-stream"));
        }
        request = r;
        r.send(result -> {
            if (result.isFailed()) {
                group.failure(result.getFailure());
            }
            failed();
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
