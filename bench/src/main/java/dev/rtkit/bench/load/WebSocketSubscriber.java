package dev.rtkit.bench.load;

import java.net.URI;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/** A WebSocket at {@code <base>/ws}: sends a subscribe frame, ready on the {@code subscribed} answer. */
/** Public, as Jetty calls listener methods through method handles. */
public final class WebSocketSubscriber extends Settling implements Session.Listener.AutoDemanding {
    private volatile Session session;

    WebSocketSubscriber(Group group) {
        super(group);
    }

    @Override
    public void open() {
        group.probe.request();
        try {
            group.ws.connect(this, URI.create(group.baseUrl.replaceFirst("^http", "ws") + "/ws"))
                    .whenComplete((s, failure) -> {
                        if (failure != null) {
                            failed();
                        }
                    });
        } catch (java.io.IOException e) {
            failed();
        }
    }

    @Override
    public void onWebSocketOpen(Session s) {
        session = s;
        s.sendText("{\"type\":\"subscribe\",\"topic\":\"" + group.topic + "\"}", Callback.NOOP);
    }

    @Override
    public void onWebSocketText(String text) {
        if (text.startsWith("{\"type\":\"subscribed\"")) {
            ready();
        } else {
            group.probe.scan(text);
        }
    }

    @Override
    public void onWebSocketError(Throwable failure) {
        failed();
    }

    @Override
    public void onWebSocketClose(int status, String reason) {
        failed();
    }

    @Override
    public void close() {
        Session s = session;
        if (s != null) {
            s.close();
        }
    }
}
