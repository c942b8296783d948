package dev.rtkit.bench.load;

import java.util.Locale;

/**
 * What a subscriber speaks on a transport: rtkit's wire (also the baseline's), CometD's Bayeux, or Atmosphere's
 * query-string protocol. Each makes the subscriber for a group.
 */
public enum Dialect {
    RTKIT, COMETD, ATMOSPHERE;

    Subscriber subscriber(Group g) {
        return switch (this) {
            case RTKIT -> switch (g.transport) {
                case WEBSOCKET -> new WebSocketSubscriber(g);
                case SSE, STREAM -> new StreamSubscriber(g);
                case LONGPOLL, POLL -> new PollSubscriber(g);
            };
            case COMETD -> switch (g.transport) {
                case WEBSOCKET -> new BayeuxWebSocketSubscriber(g);
                case LONGPOLL -> new BayeuxPollSubscriber(g);
                default -> throw new IllegalArgumentException("CometD has no " + g.transport.wireName() + " here");
            };
            case ATMOSPHERE -> switch (g.transport) {
                case WEBSOCKET -> new AtmosphereWebSocketSubscriber(g);
                case SSE, STREAM -> new StreamSubscriber(g);
                case LONGPOLL -> new AtmospherePollSubscriber(g);
                default -> throw new IllegalArgumentException("Atmosphere has no " + g.transport.wireName() + " here");
            };
        };
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Dialect of(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** Atmosphere's name for a transport, sent as {@code X-Atmosphere-Transport}. */
    static String atmosphereTransport(Transport t) {
        return switch (t) {
            case WEBSOCKET -> "websocket";
            case SSE -> "sse";
            case STREAM -> "streaming";
            case LONGPOLL -> "long-polling";
            case POLL -> "polling";
        };
    }
}
