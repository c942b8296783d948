package dev.rtkit.standalone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * An unpacked jetty-home run as its own process, the way a user runs it: a fresh jetty base made with
 * {@code start.jar --add-modules}, a keytool keystore for the ssl module, WARs copied into {@code webapps/},
 * both connectors on 127.0.0.1 and ports chosen by the OS (read back from Jetty's log).
 */
final class StandaloneJetty implements AutoCloseable {
    static final String MODULES = "server,http,http2c,ssl,https,http2,ee10-deploy,ee10-websocket-jakarta";
    static final String KEYSTORE = "etc/rtkit.p12";
    static final String KEYSTORE_PASSWORD = "rtkit-it-secret";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    // "Started oejs.ServerConnector@1a2b{HTTP/1.1, (http/1.1, h2c)}{127.0.0.1:40123}", "{SSL, (ssl, alpn, h2, …)}".
    private static final Pattern HTTP_CONNECTOR =
            Pattern.compile("Started \\S*ServerConnector@\\w+\\{HTTP/1\\.1, [^}]*\\}\\{127\\.0\\.0\\.1:(\\d+)\\}");
    private static final Pattern SSL_CONNECTOR =
            Pattern.compile("Started \\S*ServerConnector@\\w+\\{SSL, [^}]*\\}\\{127\\.0\\.0\\.1:(\\d+)\\}");
    private static final Pattern SERVER_STARTED = Pattern.compile("Started \\S*Server@");
    private static final Pattern DEPLOY_FAILED = Pattern.compile("Failed startup of context|FAILED|Exception in thread");

    private final Path home;
    private final Path base;
    private final Path log;
    private Process process;
    private Thread killOnExit;
    private int httpPort;
    private int sslPort;

    private StandaloneJetty(Path home, Path base) {
        this.home = home;
        this.base = base;
        this.log = base.resolve("jetty.log");
    }

    /** Makes a new base at {@code base} (deleting what was there), deploys {@code wars} (context name → WAR) and starts Jetty. */
    static StandaloneJetty start(Path home, Path base, Map<String, Path> wars) throws Exception {
        return start(home, base, wars, Map.of());
    }

    /** The same, with {@code files} (file name → content) written into {@code webapps/} too, e.g. context XML. */
    static StandaloneJetty start(Path home, Path base, Map<String, Path> wars, Map<String, String> files) throws Exception {
        StandaloneJetty jetty = new StandaloneJetty(home, base);
        jetty.createBase();
        jetty.deploy(wars);
        for (Map.Entry<String, String> file : files.entrySet()) {
            Files.writeString(base.resolve("webapps").resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
        }
        jetty.launch();
        return jetty;
    }

    int httpPort() {
        return httpPort;
    }

    int sslPort() {
        return sslPort;
    }

    Path keystore() {
        return base.resolve(KEYSTORE);
    }

    /** Jetty's output so far (stdout and stderr together). */
    String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "<no log yet>";
        } catch (IOException e) {
            return "<log unreadable: " + e + ">";
        }
    }

    private void createBase() throws Exception {
        deleteTree(base);
        Files.createDirectories(base);
        String output = run(base, List.of(java(), "-jar", home.resolve("start.jar").toString(),
                "jetty.home=" + home, "jetty.base=" + base, "--add-modules=" + MODULES));
        // The offline check: every module named here must come from jetty-home alone (test-keystore, for one, would not).
        if (output.toLowerCase().contains("download")) {
            throw new AssertionError("start.jar --add-modules tried to download something:\n" + output);
        }
        Path sslIni = base.resolve("start.d/ssl.ini");
        if (!Files.exists(sslIni)) {
            throw new AssertionError("start.jar made no start.d/ssl.ini:\n" + output);
        }
        Files.createDirectories(base.resolve("etc"));
        run(base, List.of(keytool(), "-genkeypair", "-alias", "rtkit", "-keyalg", "EC", "-groupname", "secp256r1",
                "-validity", "7", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype", "PKCS12", "-keystore", KEYSTORE, "-storepass", KEYSTORE_PASSWORD));
        Files.writeString(sslIni, "\n## rtkit integration test: a keystore made with keytool\n"
                + "jetty.sslContext.keyStorePath=" + KEYSTORE + "\n"
                + "jetty.sslContext.keyStorePassword=" + KEYSTORE_PASSWORD + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        // With $JETTY_BASE/work present Jetty unpacks WARs there rather than in /tmp.
        Files.createDirectories(base.resolve("work"));
    }

    private void deploy(Map<String, Path> wars) throws IOException {
        Path webapps = base.resolve("webapps");
        Files.createDirectories(webapps);
        for (Map.Entry<String, Path> war : wars.entrySet()) {
            if (!Files.isRegularFile(war.getValue())) {
                throw new AssertionError("WAR not built: " + war.getValue());
            }
            Files.copy(war.getValue(), webapps.resolve(war.getKey() + ".war"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private void launch() throws Exception {
        List<String> command = List.of(java(), "-Xmx256m", "-jar", home.resolve("start.jar").toString(),
                "jetty.home=" + home, "jetty.base=" + base,
                "jetty.http.host=127.0.0.1", "jetty.http.port=0",
                "jetty.ssl.host=127.0.0.1", "jetty.ssl.port=0");
        process = new ProcessBuilder(command).directory(base.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        killOnExit = new Thread(this::kill, "kill-standalone-jetty");
        Runtime.getRuntime().addShutdownHook(killOnExit);
        try {
            awaitStarted();
        } catch (Throwable failure) {
            close();
            throw failure;
        }
    }

    private void awaitStarted() throws InterruptedException {
        await(START_TIMEOUT, () -> !process.isAlive() || SERVER_STARTED.matcher(log()).find(),
                "Jetty did not start within " + START_TIMEOUT);
        String text = log();
        if (!process.isAlive()) {
            throw failure("Jetty exited with " + process.exitValue() + " while starting");
        }
        if (DEPLOY_FAILED.matcher(text).find()) {
            throw failure("Jetty started but something failed to deploy");
        }
        httpPort = port(HTTP_CONNECTOR, text);
        sslPort = port(SSL_CONNECTOR, text);
    }

    private int port(Pattern connector, String text) {
        Matcher m = connector.matcher(text);
        if (!m.find()) {
            throw failure("no connector matching " + connector.pattern() + " in Jetty's log");
        }
        return Integer.parseInt(m.group(1));
    }

    /** An AssertionError whose message carries Jetty's whole log. */
    AssertionError failure(String what) {
        return new AssertionError(what + "\n----- " + log + " -----\n" + log() + "\n----- end of Jetty log -----");
    }

    private void await(Duration timeout, BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw failure(what);
            }
            // Polls a log file another process writes: there is nothing to wait on but time.
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    @Override
    public void close() {
        kill();
        if (killOnExit != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running or about to; it does the same.
            }
            killOnExit = null;
        }
    }

    /** SIGTERM first (Jetty stops gracefully), then SIGKILL; start.jar's children too, should it have forked. */
    private void kill() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    boolean isRunning() {
        return process != null && process.isAlive();
    }

    private static String run(Path dir, List<String> command) throws Exception {
        Path out = Files.createTempFile("rtkit-it-command", ".log");
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            boolean done = p.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                p.destroyForcibly();
            }
            String output = Files.readString(out, StandardCharsets.UTF_8);
            if (!done || p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + (done ? " exited " + p.exitValue() : " timed out")
                        + ":\n" + output);
            }
            return output;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String keytool() {
        return Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(paths::add);
        }
        for (Path p : paths) {
            try {
                Files.delete(p);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
