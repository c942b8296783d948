package dev.rtkit.bench.run;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpMethod;

/**
 * Open-loop publisher: message i is due at start + i × period whatever happened to message i−1, and carries its
 * due time as {@code "pt"} (System.nanoTime), so a slow server shows as latency, never as a slower publisher.
 */
final class Publisher {
    private final HttpClient client;
    private final int payloadBytes;

    /**
     * Messages sent, accepted (202) and failed in one run, and the seconds from the first message's due time to the
     * last answer: a server that keeps up answers within the run, one that does not drags the last answer after it.
     */
    record Outcome(long sent, long accepted, long failed, double seconds) {
        /** Publishes answered 202 per second, from the first due time to the last answer. */
        double acceptedPerSecond() {
            return seconds <= 0 ? Double.NaN : accepted / seconds;
        }
    }

    Publisher(HttpClient client, int payloadBytes) {
        this.client = client;
        this.payloadBytes = payloadBytes;
    }

    Outcome run(String url, double ratePerSecond, double seconds, long window) throws InterruptedException {
        long period = (long) (1e9 / ratePerSecond);
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        AtomicLong accepted = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong lastAnswer = new AtomicLong(start);
        long sent = 0;
        for (long due = start; due < end; due = start + sent * period) {
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            send(url, due, window, accepted, failed, lastAnswer);
            sent++;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (accepted.get() + failed.get() < sent && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return new Outcome(sent, accepted.get(), failed.get(), (lastAnswer.get() - start) / 1e9);
    }

    /** Publishes one message now; returns its {@code pt}. */
    long publishOne(String url, long window) {
        long pt = System.nanoTime();
        send(url, pt, window, new AtomicLong(), new AtomicLong(), new AtomicLong());
        return pt;
    }

    private void send(String url, long pt, long window, AtomicLong accepted, AtomicLong failed, AtomicLong lastAnswer) {
        client.newRequest(url).method(HttpMethod.POST)
                .body(new BytesRequestContent("application/json", payload(pt, window)))
                .timeout(30, TimeUnit.SECONDS)
                .send(result -> {
                    lastAnswer.accumulateAndGet(System.nanoTime(), Math::max);
                    if (result.isSucceeded() && result.getResponse().getStatus() == 202) {
                        accepted.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                    }
                });
    }

    /** {@code {"pt":<nanoTime>,"w":<window>,"pad":"xxx…"}}, padded to the payload size. */
    byte[] payload(long pt, long window) {
        String head = "{\"pt\":" + pt + ",\"w\":" + window + ",\"pad\":\"";
        int pad = Math.max(0, payloadBytes - head.length() - 2);
        return (head + "x".repeat(pad) + "\"}").getBytes(StandardCharsets.UTF_8);
    }
}
