package dev.rtkit.redis;

import dev.rtkit.Message;
import dev.rtkit.MessageId;
import dev.rtkit.Payload;
import java.util.ArrayList;
import java.util.List;

/**
 * Messages as Redis carries them. A stream entry has the id {@code <ms>-<seq>} and the fields {@code j} (1 when
 * the payload is JSON), {@code e} (event name or empty) and {@code d} (payload). A pub/sub message, written by
 * append.lua, is {@code epoch|seq|ms|j|eventLength|} followed by the event name and the payload.
 */
final class Entries {
    private Entries() {
    }

    /**
     * A pub/sub message as written by append.lua, its header read but its payload not copied: the node that
     * appended already holds the message (from the script's reply), so its own echo is recognised as a duplicate
     * without building a {@link Message} (a payload copy and its JSON) it would throw away.
     */
    record Published(String epoch, long seq, long ms, boolean json, String event, String text, int dataStart) {
        /** Null when {@code text} is not one of ours. */
        static Published parse(String text) {
            int[] bars = new int[5];
            int from = 0;
            for (int i = 0; i < bars.length; i++) {
                int bar = text.indexOf('|', from);
                if (bar < 0) {
                    return null;
                }
                bars[i] = bar;
                from = bar + 1;
            }
            String epoch = text.substring(0, bars[0]);
            long seq = Long.parseLong(text, bars[0] + 1, bars[1], 10);
            long ms = Long.parseLong(text, bars[1] + 1, bars[2], 10);
            boolean json = text.charAt(bars[2] + 1) == '1';
            int eventLength = Integer.parseInt(text, bars[3] + 1, bars[4], 10);
            int eventEnd = bars[4] + 1 + eventLength;
            String event = eventLength == 0 ? null : text.substring(bars[4] + 1, eventEnd);
            return new Published(epoch, seq, ms, json, event, text, eventEnd);
        }

        /** True when {@code held} is this very message (its id is assumed equal): same time, same payload. */
        boolean sameAs(Message held) {
            String data = held.data();
            return held.timestamp() == ms && data.length() == text.length() - dataStart
                    && text.regionMatches(dataStart, data, 0, data.length());
        }

        Message message(String topic) {
            return new Message(topic, new MessageId(epoch, seq), event, new Payload(text.substring(dataStart), json), ms);
        }
    }

    /** A pub/sub message; null when it is not one of ours. */
    static Message fromPublished(String topic, String text) {
        Published p = Published.parse(text);
        return p == null ? null : p.message(topic);
    }

    /** One entry of an XRANGE/XREVRANGE reply inside a script: {@code [id, [field, value, …]]}. */
    static Message fromStream(String topic, String epoch, Object entry) {
        List<?> parts = (List<?>) entry;
        String id = (String) parts.get(0);
        int dash = id.indexOf('-');
        long ms = Long.parseLong(id.substring(0, dash));
        long seq = Long.parseLong(id.substring(dash + 1));
        List<?> fields = (List<?>) parts.get(1);
        boolean json = false;
        String event = null;
        String data = "";
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            String value = (String) fields.get(i + 1);
            switch ((String) fields.get(i)) {
                case "j" -> json = "1".equals(value);
                case "e" -> event = value.isEmpty() ? null : value;
                case "d" -> data = value;
                default -> { }
            }
        }
        return new Message(topic, new MessageId(epoch, seq), event, new Payload(data, json), ms);
    }

    /** The seq part of a stream id {@code <ms>-<seq>}. */
    static long seqOf(String streamId) {
        return Long.parseLong(streamId.substring(streamId.indexOf('-') + 1));
    }

    /** A sync.lua reply's entries (newest first) as messages, oldest first. */
    static List<Message> oldestFirst(String topic, String epoch, List<?> newestFirst) {
        List<Message> out = new ArrayList<>(newestFirst.size());
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            out.add(fromStream(topic, epoch, newestFirst.get(i)));
        }
        return out;
    }
}
