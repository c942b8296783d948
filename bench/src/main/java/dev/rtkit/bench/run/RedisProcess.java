package dev.rtkit.bench.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
 * own under the logs, persisting as the README's "Several nodes" recommends ({@code appendonly yes},
 * {@code appendfsync always}: nothing acknowledged is lost), or with {@code -Dbench.redisFsync=everysec|no}.
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
        String fsync = System.getProperty("bench.redisFsync", "always");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path dir = Files.createDirectories(logs.resolve("redis-" + port));
        // No AOF rewrite during a run: its forked child's CPU would not be counted in the server's.
        Process p = new ProcessBuilder(REDIS_SERVER.toString(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--dir", dir.toAbsolutePath().toString(), "--save", "", "--appendonly", "yes", "--appendfsync", fsync,
                "--auto-aof-rewrite-percentage", "0", "--daemonize", "no", "--loglevel", "warning")
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!answersPing(port)) {
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

    /** CPU seconds redis-server has used, all its threads. */
    double cpuSeconds() {
        return Cpu.seconds(process.pid());
    }

    private static boolean answersPing(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readNBytes(7), StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
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
        return List.of("appendonly yes", "appendfsync " + r.fsync, "no AOF rewrite", "save \"\"",
                String.format(java.util.Locale.ROOT, "an fsync on its disk took %.1f ms (median of 20, slowest %.1f ms)",
                        r.fsyncMedianMillis, r.fsyncMaxMillis));
    }
}
