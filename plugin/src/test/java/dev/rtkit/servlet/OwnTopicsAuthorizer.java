package dev.rtkit.servlet;

import dev.rtkit.spi.Authorizer;
import dev.rtkit.spi.Caller;

/** Test authorizer: topics under private/{user}/ belong to that user alone; everything else is public. */
public final class OwnTopicsAuthorizer implements Authorizer {

    @Override
    public boolean mayPublish(Caller caller, String topic) {
        return mayAccess(caller, topic);
    }

    @Override
    public boolean maySubscribe(Caller caller, String topic) {
        return mayAccess(caller, topic);
    }

    private static boolean mayAccess(Caller caller, String topic) {
        if (!topic.startsWith("private/")) {
            return true;
        }
        return caller.user() != null && topic.startsWith("private/" + caller.user().getName() + "/");
    }
}
