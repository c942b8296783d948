package dev.rtkit.bench.run;

import java.util.List;

/**
 * The cluster scenario's set-up: a redis-server and two rtkit nodes on it ({@code log=redis://…}), each in its own
 * JVM; killed by the run's shutdown hook while they run, stopped together.
 */
final class ClusterNodes implements AutoCloseable {
    final RedisProcess redis;
    final ServerProcess a;
    final ServerProcess b;
    private final RunContext run;
    private final List<Runnable> kills;

    private ClusterNodes(RedisProcess redis, ServerProcess a, ServerProcess b, RunContext run) {
        this.redis = redis;
        this.a = a;
        this.b = b;
        this.run = run;
        this.kills = List.of(redis::kill, a::kill, b::kill);
        run.kills.addAll(kills);
    }

    static ClusterNodes start(RunContext run) throws Exception {
        RedisProcess redis = RedisProcess.start(run.logs);
        Runnable killRedis = redis::kill;
        run.kills.add(killRedis);
        run.progress.say("cluster: redis-server %s on port %d (pid %d, appendfsync %s, an fsync takes %.1f ms); starting nodes "
                + "A and B", redis.version, redis.port, redis.pid(), redis.fsync, redis.fsyncMedianMillis);
        try {
            List<ServerProcess> nodes = ServerProcess.all(List.of(
                    ServerProcess.startAsync(Kind.RTKIT, "rtkit-node-a", false, List.of(redis.uri()), run.logs, run.jfr, run.client),
                    ServerProcess.startAsync(Kind.RTKIT, "rtkit-node-b", false, List.of(redis.uri()), run.logs, run.jfr, run.client)));
            return new ClusterNodes(redis, nodes.get(0), nodes.get(1), run);
        } catch (Exception e) {
            redis.close();
            throw e;
        } finally {
            run.kills.remove(killRedis);
        }
    }

    @Override
    public void close() {
        for (AutoCloseable p : new AutoCloseable[] {a, b, redis}) {
            try {
                p.close();
            } catch (Exception e) {
                run.progress.say("  cluster: stopping failed: %s", e);
            }
        }
        run.kills.removeAll(kills);
    }
}
