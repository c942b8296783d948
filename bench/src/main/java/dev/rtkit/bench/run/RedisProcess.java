package dev.rtkit.bench.run;

import dev.rtkit.redis.RedisPing;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The cluster scenario's Redis: Debian's {@code redis-server} on 127.0.0.1 and a free port, in a directory of its
 * own under the logs, persisting as Redis's documentation recommends ({@code appendonly yes},
 * {@code appendfsync everysec}: its default, "fast enough, and you can lose 1 second of data if there is a disaster";
 * the fsync runs on a background thread, so a command never waits for the disk), or with
 * {@code -Dbench.redisFsync=always|no}: {@code always} is the README's "nothing acknowledged is lost" setting, whose
 * every pass of the event loop waits for an fsync (on this shared machine's disk, tens to hundreds of ms at times).
 */
final class RedisProcess implements AutoCloseable {
    static final Path REDIS_SERVER = Path.of(System.getProperty("bench.redisServer", "/usr/bin/redis-server"));

    final int port;
    final String fsync;
    final String version;
    /** fsync(2) of a small append on the AOF's file system, measured at start: median and slowest of 20, ms. */
    final double fsyncMedianMillis;
    final double fsyncMaxMillis;
    private final Path dir;
    private final Process process;

    private RedisProcess(int port, String fsync, String version, double[] fsyncMillis, Path dir, Process process) {
        this.port = port;
        this.fsync = fsync;
        this.version = version;
        this.fsyncMedianMillis = fsyncMillis[0];
        this.fsyncMaxMillis = fsyncMillis[1];
        this.dir = dir;
        this.process = process;
    }

    static RedisProcess start(Path logs) throws IOException, InterruptedException {
        if (!Files.isExecutable(REDIS_SERVER)) {
            throw new IOException(REDIS_SERVER + " is not installed (Debian: apt-get install redis-server)");
        }
        String fsync = System.getProperty("bench.redisFsync", "everysec");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path dir = Files.createDirectories(logs.resolve("redis-" + port));
        // No AOF rewrite during a run: its forked child's CPU would not be counted in the server's.
        Process p = new ProcessBuilder(REDIS_SERVER.toString(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--dir", dir.toAbsolutePath().toString(), "--save", "", "--appendonly", "yes", "--appendfsync", fsync,
                "--auto-aof-rewrite-percentage", "0", "--latency-monitor-threshold", "1", "--daemonize", "no",
                "--loglevel", "warning")
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!RedisPing.answers(port, null)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IOException("redis-server did not start on port " + port + ": " + Files.readString(dir.resolve("redis.log")));
            }
            Thread.sleep(20);
        }
        return new RedisProcess(port, fsync, version(), fsyncMillis(dir), dir, p);
    }

    /** {@code redis://127.0.0.1:port}, the nodes' init-param {@code log}. */
    String uri() {
        return "redis://127.0.0.1:" + port;
    }

    long pid() {
        return process.pid();
    }

    /** Forgets the latency events Redis's monitor recorded ({@code LATENCY RESET}): before a measured window. */
    void resetLatency() throws IOException {
        command("LATENCY", "RESET");
    }

    /**
     * The longest the AOF held up Redis's event loop since the last reset, by its latency monitor (events of 1 ms or
     * more, so 0 means every one was shorter): {@code aof-fsync-always} (with {@code appendfsync always} no command of
     * that pass is answered before its fsync ends) or, with {@code everysec}, a write delayed because the background
     * fsync lags ({@code aof-write-pending-fsync}) and the other {@code aof-*} events.
     */
    double slowestFsyncMillis() throws IOException {
        double slowest = 0;
        if (command("LATENCY", "LATEST") instanceof List<?> events) {
            for (Object e : events) {
                if (e instanceof List<?> f && f.size() == 4 && String.valueOf(f.get(0)).startsWith("aof-")) {
                    slowest = Math.max(slowest, ((Long) f.get(3)).doubleValue());
                }
            }
        }
        return slowest;
    }

    /** One command and its reply (RESP: a list, a number, a string, or an error string). */
    private Object command(String... args) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(5000);
            StringBuilder req = new StringBuilder("*" + args.length + "\r\n");
            for (String a : args) {
                req.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
            }
            socket.getOutputStream().write(req.toString().getBytes(StandardCharsets.UTF_8));
            return reply(new java.io.BufferedInputStream(socket.getInputStream()));
        }
    }

    private static Object reply(InputStream in) throws IOException {
        int type = in.read();
        String line = line(in);
        return switch (type) {
            case '*' -> {
                int n = Integer.parseInt(line);
                List<Object> items = new java.util.ArrayList<>();
                for (int i = 0; i < n; i++) {
                    items.add(reply(in));
                }
                yield items;
            }
            case ':' -> Long.parseLong(line);
            case '$' -> {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    yield null;
                }
                String v = new String(in.readNBytes(n), StandardCharsets.UTF_8);
                line(in);
                yield v;
            }
            case '+', '-' -> line;
            default -> throw new IOException("not a Redis reply: " + (char) type + line);
        };
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("Redis closed the connection");
            }
            b.append((char) c);
        }
        in.read();
        return b.toString();
    }

    /** CPU seconds redis-server has used, all its threads. */
    double cpuSeconds() {
        return Cpu.seconds(process.pid());
    }

    /**
     * With {@code appendfsync always} Redis fsyncs the AOF once per pass of its event loop before it answers the
     * commands of that pass: what one fsync takes on this disk bounds how often a publish can be acknowledged.
     */
    private static double[] fsyncMillis(Path dir) throws IOException {
        Path probe = dir.resolve("fsync-probe");
        double[] ms = new double[20];
        try (FileChannel ch = FileChannel.open(probe, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            for (int i = 0; i < ms.length; i++) {
                ch.write(ByteBuffer.wrap(new byte[512]));
                long t0 = System.nanoTime();
                ch.force(false);
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
        } finally {
            Files.deleteIfExists(probe);
        }
        java.util.Arrays.sort(ms);
        return new double[] {(ms[9] + ms[10]) / 2, ms[ms.length - 1]};
    }

    private static String version() {
        try {
            Process v = new ProcessBuilder(REDIS_SERVER.toString(), "--version").redirectErrorStream(true).start();
            String s = new String(v.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("v=(\\S+)").matcher(s);
            return m.find() ? m.group(1) : s.trim();
        } catch (IOException e) {
            return "?";
        }
    }

    /** Ends redis-server at once (shutdown hook). */
    void kill() {
        process.destroyForcibly();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    static List<String> settings(RedisProcess r) {
        String fsync = "appendfsync " + r.fsync + ("everysec".equals(r.fsync) ? " (Redis's recommended default; "
                + "`-Dbench.redisFsync=always` for the README's \"nothing acknowledged is lost\")" : "");
        return List.of("appendonly yes", fsync, "no AOF rewrite", "save \"\"",
                String.format(java.util.Locale.ROOT, "an fsync on its disk took %.1f ms (median of 20, slowest %.1f ms)",
                        r.fsyncMedianMillis, r.fsyncMaxMillis));
    }
}
