package dev.rtkit.redis;

import dev.rtkit.testing.Tools;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} (Debian package) on 127.0.0.1 and a free port, in its own temporary directory.
 * With {@code aof} it writes an append-only file fsynced on every write ({@code appendfsync always}), so a restart
 * keeps everything acknowledged; without, a restart loses every key (a new epoch for every topic).
 */
public final class RedisServer implements AutoCloseable {
    public static final Path REDIS_SERVER = Path.of("/usr/bin/redis-server");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final boolean aof;
    private final String password;
    private final List<String> extra;
    private final Path dir;
    private final int port;
    private Process process;

    private RedisServer(boolean aof, String password, List<String> extra) throws IOException {
        Tools.require(REDIS_SERVER, "redis-server");
        this.aof = aof;
        this.password = password;
        this.extra = extra;
        this.dir = Files.createTempDirectory("rtkit-redis");
        this.port = freePort();
    }

    /** Starts a server without persistence. */
    public static RedisServer start() throws IOException {
        return start(false);
    }

    public static RedisServer start(boolean aof) throws IOException {
        return start(aof, null);
    }

    /** A server that requires {@code password} (AUTH), or none when null. */
    public static RedisServer start(boolean aof, String password) throws IOException {
        return start(aof, password, List.of());
    }

    /** With more redis-server options, e.g. cluster mode (see {@link RedisCluster}). */
    static RedisServer start(boolean aof, String password, List<String> extra) throws IOException {
        RedisServer server = new RedisServer(aof, password, extra);
        server.launch();
        return server;
    }

    Path dir() {
        return dir;
    }

    static int freePortForCluster() throws IOException {
        return freePort();
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:port}, the value of the init-param {@code log}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    public boolean running() {
        return process != null && process.isAlive();
    }

    /** Stops the server (SIGTERM: it closes its files as a clean shutdown does) and waits for its exit. */
    public void stop() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** Starts the server again on the same port and directory (its AOF, when on, is replayed). */
    public void restart() throws IOException {
        stop();
        launch();
    }

    private void launch() throws IOException {
        List<String> command = new ArrayList<>(List.of(REDIS_SERVER.toString(), "--port", String.valueOf(port),
                "--bind", "127.0.0.1", "--dir", dir.toString(), "--save", "", "--appendonly", aof ? "yes" : "no",
                "--appendfsync", "always", "--daemonize", "no", "--loglevel", "warning"));
        if (password != null) {
            command.addAll(List.of("--requirepass", password));
        }
        command.addAll(extra);
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        try {
            Awaitility.await("redis-server to answer PING").atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(20))
                    .failFast("redis-server exited", () -> !process.isAlive()).until(this::answersPing);
        } catch (ConditionTimeoutException | org.awaitility.core.TerminalFailureException e) {
            throw new IOException("redis-server did not start on port " + port + ": " + log(), e);
        }
    }

    private boolean answersPing() {
        return RedisPing.answers(port, password);
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("redis.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        stop();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
