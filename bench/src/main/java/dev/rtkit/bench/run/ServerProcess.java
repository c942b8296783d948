package dev.rtkit.bench.run;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;

/** A server under test in its own JVM (see {@link Kind}): its URLs, CPU time, memory, bytes out. */
final class ServerProcess implements AutoCloseable {
    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\":(\\d+)");

    final Kind kind;
    /** The kind, or what a scenario named it ({@code rtkit-node-a}): its log is {@code <name>-server.log}. */
    final String name;
    final String java;
    final int port;
    private final Process process;
    private final HttpClient client;

    /**
     * What /bench/stats answers; heap and direct without the buffers idle in Jetty's pool; rtkit's meters.
     *
     * @param cpuNanos      the server process's CPU time without its JIT compiler threads': the work itself. HotSpot
     *                      compiles in the background for minutes (a third of a server's CPU in some windows of a
     *                      seconds-long warm-up), a one-off cost a long-running server has behind it
     * @param compilerNanos the JIT compiler threads' CPU time
     */
    record Stats(long cpuNanos, long compilerNanos, long heap, long direct, long connections, long meters, long streams) {
    }

    private ServerProcess(Kind kind, String name, String java, Process process, int port, HttpClient client) {
        this.kind = kind;
        this.name = name;
        this.java = java;
        this.process = process;
        this.port = port;
        this.client = client;
    }

    static ServerProcess start(Kind k, Path logs, boolean jfr, HttpClient client) throws IOException, InterruptedException {
        return start(k, k.serverArg(), "on".equals(System.getProperty("rtkit.bench.metrics")), List.of(), logs, jfr, client);
    }

    /**
     * A server of kind {@code k} named {@code name} (its log and recording files), with rtkit's metrics on or off
     * and {@code args} after the kind (for rtkit: the topic log, e.g. {@code redis://127.0.0.1:6379}).
     */
    static ServerProcess start(Kind k, String name, boolean metrics, List<String> args, Path logs, boolean jfr,
            HttpClient client) throws IOException, InterruptedException {
        // atmosphere-runtime 4.0.0 is Java 21 bytecode (class file 65); the others run on the bench's own Java,
        // unless -Dbench.serverJava=… puts every server on one (to see what Atmosphere's newer JVM is worth).
        String all = System.getProperty("bench.serverJava", "");
        String javaCommand = !all.isBlank() ? all : k == Kind.ATMOSPHERE ? Jvm.java21() : Jvm.current();
        List<String> opts = new ArrayList<>(List.of("-Xms2g", "-Xmx2g", "-XX:+UseG1GC", "-XX:MaxDirectMemorySize=1g",
                "-Djava.net.preferIPv4Stack=true", "-Drtkit.bench.metrics=" + (metrics ? "on" : "off"),
                // Compiler threads that live as long as the JVM: the CPU of one that ended would drop out of the sum
                // the window subtracts (on 2 cores HotSpot runs one C1 and one C2 thread either way).
                "-XX:-UseDynamicNumberOfCompilerThreads"));
        // -Dbench.serverOpts=-XX:+UnlockDiagnosticVMOptions,-XX:+DumpPerfMapAtExit: e.g. for perf record to name JIT frames.
        for (String o : System.getProperty("bench.serverOpts", "").trim().split(",")) {
            if (!o.isEmpty()) {
                opts.add(o);
            }
        }
        if (jfr) {
            opts.add("-XX:+UnlockDiagnosticVMOptions");
            opts.add("-XX:+DebugNonSafepoints");
            // -Dbench.jfrSettings=<file.jfc>: e.g. profile.jfc with method sampling every 1 ms for short windows.
            opts.add("-XX:StartFlightRecording=filename=" + logs.resolve(name + ".jfr") + ",settings="
                    + System.getProperty("bench.jfrSettings", "profile") + ",dumponexit=true");
        }
        List<String> main = new ArrayList<>(List.of(k.serverArg()));
        main.addAll(args);
        Process p = Jvm.start(javaCommand, "dev.rtkit.bench.server.BenchServer", opts, main,
                logs.resolve(name + "-server.log"));
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        // Flight Recorder announces itself on stdout first.
        while (line != null && !line.startsWith("PORT ")) {
            line = out.readLine();
        }
        if (line == null) {
            String exit = p.waitFor(5, TimeUnit.SECONDS) ? "exited with code " + p.exitValue() : "closed its output";
            p.destroyForcibly();
            throw new IOException(name + " server did not start (" + exit + "): see " + logs.resolve(name + "-server.log"));
        }
        ServerProcess server = new ServerProcess(k, name, Jvm.version(javaCommand), p, Integer.parseInt(line.substring(5).trim()),
                client);
        // Keep draining stdout so the server never blocks on a full pipe.
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // Discarded.
                }
            } catch (IOException e) {
                // Server gone.
            }
        }, name + "-stdout");
        drain.setDaemon(true);
        drain.start();
        return server;
    }

    /** {@link #start(Kind, String, boolean, List, Path, boolean, HttpClient)} on a thread of its own, so several start at once. */
    static CompletableFuture<ServerProcess> startAsync(Kind k, String name, boolean metrics, List<String> args, Path logs,
            boolean jfr, HttpClient client) {
        CompletableFuture<ServerProcess> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(start(k, name, metrics, args, logs, jfr, client));
            } catch (Exception e) {
                f.completeExceptionally(e);
            }
        }, "start-" + name);
        t.setDaemon(true);
        t.start();
        return f;
    }

    /** The servers once all started; when one did not, the others are stopped and its failure thrown. */
    static List<ServerProcess> all(List<CompletableFuture<ServerProcess>> starting) throws Exception {
        try {
            return starting.stream().map(CompletableFuture::join).toList();
        } catch (CompletionException e) {
            for (CompletableFuture<ServerProcess> f : starting) {
                try {
                    f.join().close();
                } catch (CompletionException failed) {
                    // This one did not start: nothing to stop.
                }
            }
            throw e.getCause() instanceof Exception x ? x : e;
        }
    }

    /** Base URL of the transports: {@code …/rt} for rtkit, {@code …/base} for the baseline, and so on. */
    String baseUrl() {
        return "http://127.0.0.1:" + port + kind.basePath;
    }

    /** rtkit's publish URL; the baseline's in the same shape; the peers' {@code POST /publish/{topic}} servlets. */
    String publishUrl(String topic) {
        return (kind.isPeer() ? "http://127.0.0.1:" + port : baseUrl()) + "/publish/" + topic;
    }

    long pid() {
        return process.pid();
    }

    /** Work measured by the server's CPU while it runs. */
    interface Work {
        void run() throws Exception;
    }

    /** The server's CPU while {@code work} runs, in cores (CPU seconds over wall seconds). */
    double coresDuring(Work work) throws Exception {
        long c0 = stats(false).cpuNanos();
        long t0 = System.nanoTime();
        work.run();
        return (stats(false).cpuNanos() - c0) / (double) (System.nanoTime() - t0);
    }

    Stats stats(boolean gc) throws Exception {
        ContentResponse r = client.newRequest("http://127.0.0.1:" + port + "/bench/stats" + (gc ? "?gc=true" : ""))
                .timeout(30, TimeUnit.SECONDS).send();
        Matcher m = FIELD.matcher(r.getContentAsString());
        long[] v = new long[9];
        String[] names = {"cpuNanos", "heap", "direct", "connections", "pooledHeap", "pooledDirect", "meters", "compilerNanos",
            "streams"};
        while (m.find()) {
            for (int i = 0; i < names.length; i++) {
                if (names[i].equals(m.group(1))) {
                    v[i] = Long.parseLong(m.group(2));
                }
            }
        }
        return new Stats(v[0] - v[7], v[7], v[1] - v[4], v[2] - v[5], v[3], v[6], v[8]);
    }

    /** Bytes the server process has written with write(2)/writev(2) (socket writes included): /proc/pid/io wchar. */
    long bytesWritten() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + process.pid() + "/io"))) {
                if (l.startsWith("wchar:")) {
                    return Long.parseLong(l.substring(6).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or not allowed: the figure is then missing.
        }
        return -1;
    }

    /** Waits until the server holds at most {@code n} connections (clients closed), up to the deadline. */
    long awaitConnectionsAtMost(long n, long timeoutMillis) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        long c;
        while ((c = stats(false).connections()) > n && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return c;
    }

    /** Waits until the server holds at least {@code n} connections, up to the deadline. */
    /** Waits until {@code figure} of the server's stats is at least {@code n}, up to the deadline; returns it. */
    long awaitAtLeast(java.util.function.ToLongFunction<Stats> figure, long n, long timeoutMillis) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        long c;
        while ((c = figure.applyAsLong(stats(false))) < n && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return c;
    }

    /** Ends the JVM at once (shutdown hook). */
    void kill() {
        process.destroyForcibly();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
