package dev.rtkit.bench.load;

import java.util.Locale;

/** The five transports by their wire names, as in rtkit's URLs. */
public enum Transport {
    WEBSOCKET, SSE, STREAM, LONGPOLL, POLL;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Transports that hold a connection open while idle (poll does not). */
    public boolean holdsConnection() {
        return this != POLL;
    }

    public static Transport of(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
