package dev.rtkit.bench.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.eclipse.jetty.client.HttpClient;

/**
 * What the scenarios of one run share: the config, the servers and agents, the scenario driver, the console, and
 * the processes a scenario starts for itself (cluster nodes, Redis), which the run's shutdown hook also ends.
 */
final class RunContext {
    final Config config;
    final Scenarios scenarios;
    final Map<Kind, ServerProcess> servers;
    final List<AgentProcess> agents;
    final Progress progress;
    final Path logs;
    final boolean jfr;
    /** Stats requests: one connection, so the server's connection count is easy to read. */
    final HttpClient client;
    /** The 1-minute load average after each measured window. */
    final List<Double> loads = new ArrayList<>();
    /** Processes started by a scenario and not yet stopped: killed if the run is stopped with a signal. */
    final List<Runnable> kills;
    private final Random random = new Random();

    RunContext(Config config, Scenarios scenarios, Map<Kind, ServerProcess> servers, List<AgentProcess> agents,
            List<Runnable> kills, Progress progress, Path logs, boolean jfr, HttpClient client) {
        this.kills = kills;
        this.config = config;
        this.scenarios = scenarios;
        this.servers = servers;
        this.agents = agents;
        this.progress = progress;
        this.logs = logs;
        this.jfr = jfr;
        this.client = client;
    }

    List<Kind> shuffled(Collection<Kind> kinds) {
        List<Kind> order = new ArrayList<>(kinds);
        Collections.shuffle(order, random);
        return order;
    }

    boolean coin() {
        return random.nextBoolean();
    }

    /** Records the load average after a measured window and returns it. */
    double recordLoad() {
        double l = load1();
        loads.add(l);
        return l;
    }

    static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).trim();
    }

    static double load1() {
        try {
            return Double.parseDouble(loadAverage().split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
