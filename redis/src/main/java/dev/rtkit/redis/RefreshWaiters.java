package dev.rtkit.redis;

import java.util.concurrent.CompletableFuture;

/**
 * The readers waiting for the topic's next re-read from Redis ({@link TopicFeed#refresh()}): one future for all of
 * them, handed to the next read that starts and kept for the one after it when that read fails. Not thread-safe:
 * its {@link TopicFeed}'s monitor guards it.
 */
final class RefreshWaiters {
    private CompletableFuture<Void> next;

    /** The future completed at the end of the next read that starts from now on. */
    CompletableFuture<Void> join() {
        if (next == null) {
            next = new CompletableFuture<>();
        }
        return next;
    }

    /** A read starts: it takes those waiting (null when none), later ones wait for the read after it. */
    CompletableFuture<Void> take() {
        CompletableFuture<Void> taken = next;
        next = null;
        return taken;
    }

    /** The read that took {@code waiting} failed: they wait for the next one instead. */
    void retry(CompletableFuture<Void> waiting) {
        if (waiting == null) {
            return;
        }
        if (next == null) {
            next = waiting;
        } else {
            next.thenRun(() -> waiting.complete(null));
        }
    }

    /** The topic is let go: nobody waits for a read that will not come. */
    void releaseAll() {
        if (next != null) {
            next.complete(null);
            next = null;
        }
    }
}
