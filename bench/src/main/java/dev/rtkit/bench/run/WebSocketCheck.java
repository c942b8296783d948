package dev.rtkit.bench.run;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * Whether rtkit answers a subscribe on its WebSocket: three tries with generous deadlines, as a loaded machine can
 * take seconds to answer the first upgrade. Public, as Jetty calls listener methods through method handles.
 */
public final class WebSocketCheck implements Session.Listener.AutoDemanding {
    private final CompletableFuture<Boolean> subscribed = new CompletableFuture<>();

    static boolean available(HttpClient client, ServerProcess rtkit, Progress progress) {
        Exception last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            WebSocketClient ws = new WebSocketClient(client);
            try {
                ws.start();
                WebSocketCheck check = new WebSocketCheck();
                ws.connect(check, URI.create("ws://127.0.0.1:" + rtkit.port + "/rt/ws")).get(20, TimeUnit.SECONDS);
                if (check.subscribed.get(20, TimeUnit.SECONDS)) {
                    return true;
                }
                last = new IOException("no subscribed answer");
            } catch (Exception e) {
                last = e;
            } finally {
                try {
                    ws.stop();
                } catch (Exception e) {
                    // Nothing to clean.
                }
            }
        }
        progress.say("rtkit WebSocket probe failed three times, last: %s", last);
        return false;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        session.sendText("{\"type\":\"subscribe\",\"topic\":\"probe\"}", Callback.NOOP);
    }

    @Override
    public void onWebSocketText(String text) {
        subscribed.complete(text.contains("\"subscribed\""));
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        // The probe's connection is closed when the client stops: nothing to report.
        subscribed.complete(false);
    }
}
