package dev.rtkit.internal.transport;

import dev.rtkit.RtkitException;
import dev.rtkit.spi.Authorizer;
import dev.rtkit.spi.Caller;
import java.security.Principal;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/** Who may do what: the roles {@code publishRole} / {@code subscribeRole} and the {@link Authorizer} per topic. */
final class Access {
    private final String publishRole;
    private final String subscribeRole;
    private final Authorizer authorizer;
    private final Refusals refusals;

    Access(String publishRole, String subscribeRole, Authorizer authorizer, Refusals refusals) {
        this.publishRole = publishRole;
        this.subscribeRole = subscribeRole;
        this.authorizer = authorizer;
        this.refusals = refusals;
    }

    void checkPublish(Caller caller, String topic) {
        if (!hasRole(caller, publishRole) || (authorizer != null && !authorizer.mayPublish(caller, topic))) {
            throw refusals.refuse(RtkitException.Kind.FORBIDDEN, "forbidden", caller.address(), "not allowed to publish to " + topic);
        }
    }

    void checkSubscribe(Caller caller, Collection<String> topics) {
        if (!hasRole(caller, subscribeRole)) {
            throw refusals.refuse(RtkitException.Kind.FORBIDDEN, "forbidden", caller.address(), "not allowed to subscribe");
        }
        if (authorizer != null) {
            for (String topic : topics) {
                if (!authorizer.maySubscribe(caller, topic)) {
                    throw refusals.refuse(RtkitException.Kind.FORBIDDEN, "forbidden", caller.address(),
                            "not allowed to subscribe to " + topic);
                }
            }
        }
    }

    boolean needsLogin(Caller caller, boolean publish) {
        String role = publish ? publishRole : subscribeRole;
        return role != null && caller.user() == null;
    }

    /** A caller answering the roles rtkit checks as they were now; any other role is answered false. */
    Caller snapshot(Caller live) {
        Set<String> roles = new HashSet<>();
        for (String role : new String[] {publishRole, subscribeRole}) {
            if (role != null && live.user() != null && live.isUserInRole(role)) {
                roles.add(role);
            }
        }
        Principal user = live.user();
        String address = live.address();
        return new Caller() {
            @Override
            public Principal user() {
                return user;
            }

            @Override
            public boolean isUserInRole(String role) {
                return roles.contains(role);
            }

            @Override
            public String address() {
                return address;
            }
        };
    }

    private static boolean hasRole(Caller caller, String role) {
        return role == null || (caller.user() != null && caller.isUserInRole(role));
    }
}
