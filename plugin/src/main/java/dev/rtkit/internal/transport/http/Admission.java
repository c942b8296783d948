package dev.rtkit.internal.transport.http;

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
 * The topics of a subscribe request that are served, and the refusals of the others: one forbidden, invalid or
 * over-the-limit topic does not refuse its neighbours. When none is served the request as a whole is refused
 * with the first topic's reason, as a request for that topic alone would be.
 */
record Admission(List<String> topics, List<Refusal> refused) {

    /** @throws RtkitException when no topic is served */
    static Admission of(Hub hub, Guard guard, Caller caller, List<String> requested, String since, boolean live) {
        if (requested.size() <= 1) {
            // One topic: the whole answer is its answer, and the name and limit are checked when subscribing.
            guard.checkSubscribe(caller, requested);
            return new Admission(requested, List.of());
        }
        Set<String> unique = new LinkedHashSet<>(requested);
        // A malformed cursor is the whole request's fault, whichever topics it names.
        Cursor.parse(since, unique);
        List<String> served = new ArrayList<>(unique.size());
        List<Refusal> refused = new ArrayList<>();
        RtkitException first = null;
        for (String topic : unique) {
            try {
                TopicName.validate(topic);
                guard.checkSubscribe(caller, List.of(topic));
                if (live) {
                    // Makes the topic now, so a topic limit refuses this one and not the whole request. A poll
                    // makes none: reading a topic nobody holds takes no place in the table.
                    hub.reserve(caller.address(), topic);
                }
                served.add(topic);
            } catch (RtkitException e) {
                refused.add(Refusal.of(topic, e));
                if (first == null) {
                    first = e;
                }
            }
        }
        if (served.isEmpty()) {
            throw first;
        }
        return new Admission(served, refused);
    }
}
