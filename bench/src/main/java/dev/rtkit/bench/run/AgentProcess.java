package dev.rtkit.bench.run;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A load-generator JVM ({@link dev.rtkit.bench.load.Agent}) and its line protocol. */
final class AgentProcess implements AutoCloseable {
    final int index;
    private final Process process;
    private final PrintWriter in;
    private final BufferedReader out;

    private AgentProcess(int index, Process process) {
        this.index = index;
        this.process = process;
        this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static AgentProcess start(int index, Path logs) throws IOException {
        Process p = Jvm.start("dev.rtkit.bench.load.Agent",
                List.of("-Xms256m", "-Xmx1g", "-XX:+UseParallelGC", "-Djava.net.preferIPv4Stack=true"),
                List.of(), logs.resolve("agent-" + index + ".log"));
        AgentProcess a = new AgentProcess(index, p);
        a.read();
        return a;
    }

    long pid() {
        return process.pid();
    }

    /** Sends one command and returns the answer after {@code ok}. */
    synchronized String call(String command) throws IOException {
        in.println(command);
        return read();
    }

    private String read() throws IOException {
        String line = out.readLine();
        if (line == null) {
            throw new IOException("agent " + index + " exited");
        }
        if (!line.startsWith("ok")) {
            throw new IOException("agent " + index + ": " + line);
        }
        return line.length() > 3 ? line.substring(3) : "";
    }

    /** Ends the JVM at once (shutdown hook). */
    void kill() {
        process.destroyForcibly();
    }

    @Override
    public void close() throws InterruptedException {
        try {
            call("exit");
        } catch (IOException e) {
            // Gone already.
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
