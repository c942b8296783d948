package dev.rtkit.demosite;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo launcher in its own JVM (small heap, chosen system properties), its output kept, its heap, RSS,
 * threads and descriptors measurable from outside ({@code jcmd} and {@code /proc}).
 */
final class ForkedDemo implements AutoCloseable {
    private static final Pattern URL = Pattern.compile("(https?)://127\\.0\\.0\\.1:(\\d+)/");
    /** The last line of a class histogram: {@code Total <instances> <bytes>}. */
    private static final Pattern LIVE_BYTES = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)");

    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private volatile int httpPort;
    private volatile int httpsPort;

    ForkedDemo(Path dir, List<String> jvmOptions) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), DemoSite.class.getName(),
                "--http-port", "0", "--https-port", "0", "--keystore", dir.resolve("keystore.p12").toString()));
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread pump = new Thread(this::pump, "forked-demo-output");
        pump.setDaemon(true);
        pump.start();
        try {
            ready.get(90, TimeUnit.SECONDS);
        } catch (Exception e) {
            close();
            throw new AssertionError("the demo did not start: " + output(), e);
        }
    }

    private void pump() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (lines) {
                    lines.add(line);
                }
                Matcher m = URL.matcher(line);
                if (m.find()) {
                    if (m.group(1).equals("https")) {
                        httpsPort = Integer.parseInt(m.group(2));
                    } else {
                        httpPort = Integer.parseInt(m.group(2));
                    }
                }
                if (httpPort > 0 && httpsPort > 0) {
                    ready.complete(null);
                }
            }
        } catch (IOException e) {
            ready.completeExceptionally(e);
        }
        ready.completeExceptionally(new IllegalStateException("the demo's output ended"));
    }

    int httpPort() {
        return httpPort;
    }

    int httpsPort() {
        return httpsPort;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    /** Lines logged at WARN or ERROR. */
    List<String> warnings() {
        synchronized (lines) {
            return lines.stream().filter(l -> l.contains(":WARN") || l.contains(":ERROR")).toList();
        }
    }

    /** Lines logged at ERROR, and any class-loading or memory failure whatever its level. */
    List<String> failures() {
        synchronized (lines) {
            return lines.stream().filter(l -> l.contains(":ERROR") || l.contains("NoClassDefFoundError")
                    || l.contains("OutOfMemoryError") || l.contains("Too many open files")).toList();
        }
    }

    /** Heap used, RSS, threads and open descriptors of the demo JVM, on one line. */
    Usage usage() throws Exception {
        long pid = process.pid();
        long rssKib = 0;
        int threads = 0;
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                rssKib = Long.parseLong(line.replaceAll("\\D", ""));
            } else if (line.startsWith("Threads:")) {
                threads = Integer.parseInt(line.replaceAll("\\D", ""));
            }
        }
        int fds;
        try (var s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            fds = (int) s.count();
        }
        // A class histogram collects first: its total is the live heap, not garbage waiting for a collection.
        Matcher m = LIVE_BYTES.matcher(jcmd(pid, "GC.class_histogram"));
        long heapBytes = m.find() ? Long.parseLong(m.group(1)) : -1;
        return new Usage(heapBytes >> 20, rssKib / 1024, threads, fds);
    }

    private static String jcmd(long pid, String command) throws Exception {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        jcmd.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    record Usage(long heapMib, long rssMib, int threads, int fds) {
        @Override
        public String toString() {
            return "live heap " + heapMib + " MiB, RSS " + rssMib + " MiB, threads " + threads + ", fds " + fds;
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the demo did not stop on SIGTERM");
        }
    }
}
