package dev.rtkit.bench.load;

import org.eclipse.jetty.client.Request;

/** An SSE ({@code ?format=json}) or NDJSON stream: ready when the 200 headers arrive. */
final class StreamSubscriber extends Settling {
    private final LineBuffer lines = new LineBuffer();
    private volatile Request request;

    StreamSubscriber(Group group) {
        super(group);
    }

    @Override
    public void open() {
        String url = url(group.transport.wireName()) + (group.transport == Transport.SSE ? "?format=json" : "");
        group.probe.request();
        Request r = group.http.newRequest(url)
                .idleTimeout(120, java.util.concurrent.TimeUnit.SECONDS)
                .onResponseHeaders(response -> {
                    if (response.getStatus() == 200) {
                        ready();
                    }
                })
                .onResponseContent((response, buf) -> {
                    synchronized (lines) {
                        lines.append(buf);
                        lines.scanLines(group.probe);
                    }
                });
        request = r;
        r.send(result -> failed());
    }

    @Override
    public void close() {
        Request r = request;
        if (r != null) {
            r.abort(new java.io.IOException("closed"));
        }
    }
}
