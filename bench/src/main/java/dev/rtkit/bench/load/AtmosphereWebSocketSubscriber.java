package dev.rtkit.bench.load;

import java.net.URI;
import org.eclipse.jetty.websocket.api.Session;

/**
 * Atmosphere over WebSocket: {@code ws://…/atmo/<topic>?X-Atmosphere-Transport=websocket}; the handshake itself
 * subscribes (Atmosphere's protocol sends no acknowledgement without atmosphere.js), so ready once open.
 * Public, as Jetty calls listener methods through method handles.
 */
public final class AtmosphereWebSocketSubscriber extends Settling implements Session.Listener.AutoDemanding {
    private volatile Session session;

    AtmosphereWebSocketSubscriber(Group group) {
        super(group);
    }

    @Override
    public void open() {
        group.probe.request();
        String url = group.baseUrl.replaceFirst("^http", "ws") + "/" + group.topic
                + "?X-Atmosphere-Transport=websocket&X-Atmosphere-tracking-id=0";
        try {
            group.ws.connect(this, URI.create(url)).whenComplete((s, failure) -> {
                if (failure != null) {
                    group.failure(failure);
                    failed();
                }
            });
        } catch (java.io.IOException e) {
            group.failure(e);
            failed();
        }
    }

    @Override
    public void onWebSocketOpen(Session s) {
        session = s;
        ready();
    }

    @Override
    public void onWebSocketText(String text) {
        group.probe.scan(text);
    }

    @Override
    public void onWebSocketError(Throwable failure) {
        group.failure(failure);
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
