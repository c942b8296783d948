package dev.rtkit.bench.baseline;

import jakarta.websocket.Session;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One baseline topic: a ring of the last {@value #RING} messages (so a long-poll or poll that comes back
 * misses nothing), the open streams, the parked long-polls and the WebSocket sessions. Publishing writes to
 * every stream and session from the publishing thread.
 */
public final class Channel {
    static final int RING = 1024;
    static final int MAX_BATCH = 500;

    final String topic;
    private final AtomicLong seqs;
    private final long[] ringSeq = new long[RING];
    private final byte[][] ringJson = new byte[RING][];
    private long appended;
    private volatile long lastSeq;
    final Set<StreamSink> streams = ConcurrentHashMap.newKeySet();
    final Queue<ParkedPoll> parked = new ConcurrentLinkedQueue<>();
    final Set<Session> sockets = ConcurrentHashMap.newKeySet();

    Channel(String topic, AtomicLong seqs) {
        this.topic = topic;
        this.seqs = seqs;
        this.lastSeq = seqs.get();
    }

    long lastSeq() {
        return lastSeq;
    }

    /** Appends and fans out; returns the message's sequence. */
    long publish(byte[] data) {
        long seq;
        byte[] json;
        synchronized (this) {
            seq = seqs.incrementAndGet();
            json = messageJson(seq, data);
            int slot = (int) (appended++ % RING);
            ringSeq[slot] = seq;
            ringJson[slot] = json;
            lastSeq = seq;
        }
        byte[] sse = concat(("id: " + seq + "\ndata: ").getBytes(StandardCharsets.US_ASCII), json, new byte[] {'\n', '\n'});
        byte[] line = concat(json, new byte[] {'\n'});
        for (StreamSink s : streams) {
            s.send(s.sse ? sse : line);
        }
        ParkedPoll p;
        while ((p = parked.poll()) != null) {
            p.answer();
        }
        String text = new String(json, StandardCharsets.UTF_8);
        for (Session session : sockets) {
            session.getAsyncRemote().sendText(text, result -> {
                if (!result.isOK()) {
                    sockets.remove(session);
                }
            });
        }
        return seq;
    }

    /** {@code {"messages":[…],"cursor":"<seq>"}} with what follows {@code since}; null when nothing does. */
    synchronized byte[] batchAfter(long since, boolean evenIfEmpty) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.writeBytes("{\"messages\":[".getBytes(StandardCharsets.US_ASCII));
        long first = Math.max(0, appended - RING);
        int n = 0;
        long cursor = since;
        for (long i = first; i < appended && n < MAX_BATCH; i++) {
            int slot = (int) (i % RING);
            if (ringSeq[slot] > since) {
                if (n++ > 0) {
                    out.write(',');
                }
                out.writeBytes(ringJson[slot]);
                cursor = ringSeq[slot];
            }
        }
        if (n == 0 && !evenIfEmpty) {
            return null;
        }
        if (n == 0) {
            cursor = Math.max(since, lastSeq);
        }
        out.writeBytes(("],\"cursor\":\"" + cursor + "\"}").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private byte[] messageJson(long seq, byte[] data) {
        return concat(("{\"type\":\"message\",\"topic\":\"" + topic + "\",\"id\":\"" + seq + "\",\"data\":")
                .getBytes(StandardCharsets.UTF_8), data, new byte[] {'}'});
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
