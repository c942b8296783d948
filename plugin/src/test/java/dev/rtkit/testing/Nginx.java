package dev.rtkit.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Debian's nginx, started on a free loopback port with a {@code server}/{@code upstream} configuration (such as
 * the README's) inside a minimal {@code http} block, as one foreground process whose files live under target/.
 */
public final class Nginx implements AutoCloseable {
    private final Process process;
    private final Path dir;
    private final int port;

    private Nginx(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** {@code site} is the http-level configuration; it must listen on {@link #freePort()}'s result it was given. */
    public static Nginx start(String site, int port) throws Exception {
        Path nginx = Tools.require(Tools.NGINX, "nginx");
        Path dir = Files.createDirectories(Path.of("target", "nginx-" + ProcessHandle.current().pid() + "-" + port))
                .toAbsolutePath();
        String conf = "daemon off;\nmaster_process off;\npid " + dir.resolve("nginx.pid") + ";\n"
                + "error_log " + dir.resolve("error.log") + " warn;\n"
                + "events { worker_connections 1024; }\n"
                + "http {\n    access_log off;\n"
                + "    client_body_temp_path " + dir.resolve("body") + ";\n"
                + "    proxy_temp_path " + dir.resolve("proxy") + ";\n"
                + "    fastcgi_temp_path " + dir.resolve("fastcgi") + ";\n"
                + "    uwsgi_temp_path " + dir.resolve("uwsgi") + ";\n"
                + "    scgi_temp_path " + dir.resolve("scgi") + ";\n"
                + site + "\n}\n";
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, conf, StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(nginx.toString(), "-p", dir.toString(), "-c", file.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        Nginx started = new Nginx(p, dir, port);
        try {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
                if (!p.isAlive()) {
                    throw new IllegalStateException("nginx exited " + p.exitValue() + ": " + started.log() + "\n" + conf);
                }
                return accepts(port);
            });
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
        return started;
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port free now on loopback (another process could take it before nginx binds it: rare, and it fails loudly). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    /** What nginx said (its stdout/stderr and error log). */
    public String log() {
        try {
            Path stdout = dir.resolve("stdout.log");
            Path error = dir.resolve("error.log");
            return (Files.exists(stdout) ? Files.readString(stdout) : "") + (Files.exists(error) ? Files.readString(error) : "");
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
