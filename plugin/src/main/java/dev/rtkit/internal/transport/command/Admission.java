package dev.rtkit.internal.transport.command;

import dev.rtkit.RtkitException;
import dev.rtkit.internal.hub.Cursor;
import dev.rtkit.internal.hub.Hub;
import dev.rtkit.internal.hub.TopicName;
import dev.rtkit.internal.transport.Guard;
import dev.rtkit.spi.Caller;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The topics of a subscribe or a poll that the {@link CommandHandler} lets through, and the refusals of the others.
 * Only the handler makes one, so holding one means the checks ran. Taken topic by topic (an HTTP request of
 * several topics), one forbidden, invalid or over-the-limit topic does not refuse its neighbours; when none is
 * served the request as a whole is refused with the first topic's reason, as a request for that topic alone would be.
 */
public final class Admission {
    /** A topic not served, and why. */
    public record Refused(String topic, RtkitException reason) {
    }

    private final Caller caller;
    private final List<String> topics;
    private final String since;
    private final List<Refused> refused;
    private final boolean live;

    private Admission(Caller caller, List<String> topics, String since, List<Refused> refused, boolean live) {
        this.caller = caller;
        this.topics = topics;
        this.since = since;
        this.refused = refused;
        this.live = live;
    }

    /** The topics served. */
    public List<String> topics() {
        return topics;
    }

    /** The topics refused (only when taken topic by topic), in the order asked. */
    public List<Refused> refused() {
        return refused;
    }

    Caller caller() {
        return caller;
    }

    String since() {
        return since;
    }

    boolean live() {
        return live;
    }

    /**
     * @param eachTopic take the topics one by one (HTTP) rather than all or nothing (WebSocket)
     * @param live      for a live subscription: topics are made now, so a topic limit refuses this one topic
     * @throws RtkitException when no topic is served
     */
    static Admission of(Hub hub, Guard guard, int maxTopics, Caller caller, List<String> requested, String since,
                        boolean eachTopic, boolean live) {
        if (eachTopic && requested.size() > maxTopics) {
            throw CommandHandler.bad("too many topics: at most " + maxTopics + " per connection");
        }
        if (!eachTopic || requested.size() <= 1) {
            // All or nothing: the names, the cursor and the limits are checked when subscribing.
            guard.checkSubscribe(caller, requested);
            return new Admission(caller, requested, since, List.of(), live);
        }
        Set<String> unique = new LinkedHashSet<>(requested);
        // A malformed cursor is the whole request's fault, whichever topics it names.
        Cursor.parse(since, unique);
        List<String> served = new ArrayList<>(unique.size());
        List<Refused> refused = new ArrayList<>();
        RtkitException first = null;
        for (String topic : unique) {
            try {
                TopicName.validate(topic);
                guard.checkSubscribe(caller, List.of(topic));
                if (live) {
                    // A poll makes no topic: reading a topic nobody holds takes no place in the table.
                    hub.reserve(caller.address(), topic);
                }
                served.add(topic);
            } catch (RtkitException e) {
                refused.add(new Refused(topic, e));
                if (first == null) {
                    first = e;
                }
            }
        }
        if (served.isEmpty()) {
            throw first;
        }
        return new Admission(caller, List.copyOf(served), since, List.copyOf(refused), live);
    }
}
