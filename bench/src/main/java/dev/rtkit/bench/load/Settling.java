package dev.rtkit.bench.load;

import java.util.concurrent.atomic.AtomicBoolean;

/** Tells the group exactly once whether the subscriber got ready, and afterwards whether it was lost. */
abstract class Settling implements Subscriber {
    final Group group;
    private final AtomicBoolean settled = new AtomicBoolean();

    Settling(Group group) {
        this.group = group;
    }

    final void ready() {
        if (settled.compareAndSet(false, true)) {
            group.settled(true);
        }
    }

    final void failed() {
        if (settled.compareAndSet(false, true)) {
            group.settled(false);
        } else {
            group.lost();
        }
    }

    String url(String action) {
        return group.baseUrl + "/" + action + "/" + group.topic;
    }
}
