package dev.rtkit.redis;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real three-master Redis Cluster (no replicas) on free ports, made with {@code redis-cli --cluster create}. */
final class RedisCluster implements AutoCloseable {
    private final List<RedisServer> nodes = new ArrayList<>();

    private RedisCluster() {
    }

    static RedisCluster start() throws Exception {
        RedisCluster cluster = new RedisCluster();
        try {
            List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            for (int i = 0; i < 3; i++) {
                RedisServer node = RedisServer.start(false, null, List.of("--cluster-enabled", "yes",
                        "--cluster-port", String.valueOf(RedisServer.freePortForCluster()),
                        "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000"));
                cluster.nodes.add(node);
                create.add("127.0.0.1:" + node.port());
            }
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            run(create);
            try {
                // redis-cli is the only way to ask for cluster_state:ok.
                Awaitility.await("the cluster to become ready").atMost(Duration.ofSeconds(20))
                        .pollInterval(Duration.ofMillis(100)).until(cluster::ready);
            } catch (ConditionTimeoutException e) {
                throw new IOException("the cluster did not become ready", e);
            }
            return cluster;
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
    }

    /** {@code redis-cluster://127.0.0.1:port} of the first node, the value of the init-param {@code log}. */
    String uri() {
        return "redis-cluster://127.0.0.1:" + nodes.get(0).port();
    }

    private boolean ready() throws Exception {
        for (RedisServer node : nodes) {
            String info = run(List.of("redis-cli", "-p", String.valueOf(node.port()), "cluster", "info"));
            if (!info.contains("cluster_state:ok")) {
                return false;
            }
        }
        return true;
    }

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(command + " failed: " + out);
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        for (RedisServer node : nodes) {
            node.close();
        }
    }
}
