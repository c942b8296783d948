package dev.rtkit.bench.load;

import java.net.URI;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * CometD over WebSocket at {@code <base>} (the {@code /cometd} URL): handshake, first connect, subscribe to
 * {@code /t/<topic>} (ready on its successful reply), then a new {@code /meta/connect} each time the server answers
 * the held one. Messages arrive as Bayeux arrays whenever they are published.
 * Public, as Jetty calls listener methods through method handles.
 */
public final class BayeuxWebSocketSubscriber extends Settling implements Session.Listener.AutoDemanding {
    private static final String TYPE = "websocket";
    private volatile Session session;
    private volatile String clientId;

    BayeuxWebSocketSubscriber(Group group) {
        super(group);
    }

    @Override
    public void open() {
        group.probe.request();
        try {
            group.ws.connect(this, URI.create(group.baseUrl.replaceFirst("^http", "ws")))
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
        s.sendText(Bayeux.handshake(TYPE), Callback.NOOP);
    }

    @Override
    public void onWebSocketText(String text) {
        String id = clientId;
        if (id == null) {
            id = Bayeux.clientId(text);
            if (id == null) {
                group.failure("handshake answered " + text);
                failed();
                return;
            }
            clientId = id;
            session.sendText(Bayeux.connect(id, TYPE, true), Callback.NOOP);
            session.sendText(Bayeux.subscribe(id, group.topic), Callback.NOOP);
            return;
        }
        Boolean subscribed = Bayeux.subscribed(text);
        if (subscribed != null) {
            if (subscribed) {
                ready();
            } else {
                group.failure("subscribe answered " + text);
                failed();
            }
        }
        if (Bayeux.isConnectReply(text) && !group.closing()) {
            if (Bayeux.mustHandshake(text)) {
                group.failure("connect answered " + text);
                failed();
                return;
            }
            session.sendText(Bayeux.connect(id, TYPE, false), Callback.NOOP);
        }
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
