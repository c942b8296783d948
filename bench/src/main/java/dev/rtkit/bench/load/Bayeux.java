package dev.rtkit.bench.load;

import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Bayeux messages a CometD subscriber sends, as CometD's own JavaScript client writes them. */
final class Bayeux {
    private static final Pattern CLIENT_ID = Pattern.compile("\"clientId\":\"([^\"]+)\"");
    private static final AtomicLong IDS = new AtomicLong();

    private Bayeux() {
    }

    static String handshake(String connectionType) {
        return "[{\"id\":\"" + IDS.incrementAndGet() + "\",\"channel\":\"/meta/handshake\",\"version\":\"1.0\","
                + "\"minimumVersion\":\"1.0\",\"supportedConnectionTypes\":[\"" + connectionType + "\"]}]";
    }

    /** The first connect asks for an immediate answer, as CometD's clients do; the next ones are held. */
    static String connect(String clientId, String connectionType, boolean first) {
        return "[{\"id\":\"" + IDS.incrementAndGet() + "\",\"channel\":\"/meta/connect\",\"clientId\":\"" + clientId
                + "\",\"connectionType\":\"" + connectionType + "\"" + (first ? ",\"advice\":{\"timeout\":0}" : "") + "}]";
    }

    static String subscribe(String clientId, String topic) {
        return "[{\"id\":\"" + IDS.incrementAndGet() + "\",\"channel\":\"/meta/subscribe\",\"clientId\":\"" + clientId
                + "\",\"subscription\":\"/t/" + topic + "\"}]";
    }

    /** The clientId of a successful handshake reply, or null. */
    static String clientId(String reply) {
        if (!reply.contains("\"/meta/handshake\"") || !reply.contains("\"successful\":true")) {
            return null;
        }
        Matcher m = CLIENT_ID.matcher(reply);
        return m.find() ? m.group(1) : null;
    }

    static boolean isConnectReply(String text) {
        return text.contains("\"channel\":\"/meta/connect\"");
    }

    /** Whether a /meta/subscribe reply says it worked (null when the text holds no such reply). */
    static Boolean subscribed(String text) {
        int at = text.indexOf("\"/meta/subscribe\"");
        if (at < 0) {
            return null;
        }
        int end = text.indexOf('}', at);
        int start = text.lastIndexOf('{', at);
        String reply = text.substring(Math.max(0, start), end < 0 ? text.length() : end);
        return reply.contains("\"successful\":true");
    }

    /** A connect reply telling the client its session is gone. */
    static boolean mustHandshake(String text) {
        return text.contains("\"reconnect\":\"handshake\"") || text.contains("\"successful\":false");
    }
}
