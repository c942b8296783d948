package dev.rtkit.bench.baseline;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The baseline WebSocket at {@code /base/ws}: a {@code {"type":"subscribe","topic":"t"}} frame adds the session to
 * the topic's broadcast set (answered with {@code {"type":"subscribed",…}}); publishes arrive as message JSON.
 */
public final class BaselineWebSocket extends Endpoint {
    private static final Pattern TOPIC = Pattern.compile("\"topic\"\\s*:\\s*\"([^\"]+)\"");

    private final BaselineHub hub;
    private volatile Channel channel;

    public BaselineWebSocket(BaselineHub hub) {
        this.hub = hub;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> {
            Matcher m = TOPIC.matcher(text);
            if (text.contains("\"subscribe\"") && m.find()) {
                Channel c = hub.channel(m.group(1));
                channel = c;
                c.sockets.add(session);
                session.getAsyncRemote().sendText("{\"type\":\"subscribed\",\"topics\":[\"" + c.topic
                        + "\"],\"cursor\":\"" + c.lastSeq() + "\"}");
            }
        });
    }

    @Override
    public void onClose(Session session, CloseReason reason) {
        Channel c = channel;
        if (c != null) {
            c.sockets.remove(session);
        }
    }

    @Override
    public void onError(Session session, Throwable failure) {
        onClose(session, null);
    }
}
