package dev.rtkit;

import java.util.List;

/** The five transports, by the names used in URLs, the {@code transports} init-param, metrics and rtkit.js. */
public enum Transport {
    POLL("poll"), LONGPOLL("longpoll"), STREAM("stream"), SSE("sse"), WEBSOCKET("websocket");

    /** The transports by wire name, in the order rtkit.js tries them last to first. */
    public static final List<Transport> ALL = List.of(values());

    private final String wireName;

    Transport(String wireName) {
        this.wireName = wireName;
    }

    /** The name on the wire: {@code poll}, {@code longpoll}, {@code stream}, {@code sse} or {@code websocket}. */
    public String wireName() {
        return wireName;
    }

    /** The transport of that wire name, or null. */
    public static Transport byWireName(String name) {
        for (Transport t : values()) {
            if (t.wireName().equals(name)) {
                return t;
            }
        }
        return null;
    }
}
