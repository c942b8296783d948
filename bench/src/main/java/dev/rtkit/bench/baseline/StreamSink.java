package dev.rtkit.bench.baseline;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import java.io.IOException;

/** An open SSE or NDJSON response; written with plain blocking write and flush, as Jetty's EventSourceServlet does. */
final class StreamSink implements AsyncListener {
    final boolean sse;
    private final Channel channel;
    private final AsyncContext async;
    private final ServletOutputStream out;

    StreamSink(Channel channel, AsyncContext async, boolean sse) throws IOException {
        this.channel = channel;
        this.async = async;
        this.sse = sse;
        this.out = async.getResponse().getOutputStream();
        async.addListener(this);
    }

    synchronized void send(byte[] frame) {
        try {
            out.write(frame);
            out.flush();
        } catch (IOException | RuntimeException e) {
            close();
        }
    }

    void close() {
        channel.streams.remove(this);
        try {
            async.complete();
        } catch (IllegalStateException e) {
            // Already completed.
        }
    }

    @Override
    public void onComplete(AsyncEvent event) {
        channel.streams.remove(this);
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        close();
    }

    @Override
    public void onError(AsyncEvent event) {
        close();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
    }
}
