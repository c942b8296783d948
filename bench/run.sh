#!/usr/bin/env bash
# rtkit against a raw-Jetty baseline and the peers CometD 8 and Atmosphere 4, per transport, in the same run.
#   bench/run.sh --quick   (10-20 minutes)  -> bench/results/quick.md + quick-*.svg
#   bench/run.sh           (full, ~35 minutes: 3 windows per transport and server) -> bench/results/full.md + full-*.svg
#   --jfr                  also records the servers with Flight Recorder into bench/target/logs/<server>.jfr
#                          (JAVA_OPTS=-Dbench.jfrSettings=my.jfc for other settings than JFR's "profile")
#   --profile --jfr        rtkit, baseline and CometD on WebSocket and long-poll, longer windows -> bench/target/profile
#   --profile-throughput   the same for rtkit and CometD on WebSocket at 500 × 100 msg/s
#   --profile-poll         rtkit and baseline on long-poll and poll at the steady 200 × 50 msg/s, 12 s windows
#   --kinds=rtkit,cometd   only these servers (rtkit, baseline, cometd, atmosphere); rtkit is always needed
#   --scenarios=cluster,metrics   only these scenarios (steady, throughput, stalled, idle, fanout, cluster, metrics)
#                          -> <mode>-cluster-metrics.md beside the whole run's report, which it leaves alone
#   --warm=S               each unmeasured warm-up run lasts S s (full: 2): every server, every transport, at the
#                          steady shape until its CPU stops falling, then once at the throughput rate
#   cluster: 2 rtkit nodes on one redis-server (/usr/bin/redis-server, free port, AOF everysec; JAVA_OPTS=-Dbench.redisFsync=always) beside one
#   in-memory node; metrics: the throughput load on rtkit with metrics on and off, alternating, 3+ pairs
# Atmosphere 4.0.0 needs a Java 21+ runtime: the newest JDK under /usr/lib/jvm, or -Dbench.java21=… in JAVA_OPTS;
# JAVA_OPTS=-Dbench.serverJava=/path/to/java runs every server on that one.
# JAVA_OPTS=-Dbench.serverOpts=-XX:+UnlockDiagnosticVMOptions,-XX:+DumpPerfMapAtExit adds JVM options to every server (comma-separated).
# Builds the plugin, redis and bench jars with Maven when sources are newer (offline first), then runs java.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

mode=full
extra=()
for arg in "$@"; do
  case "$arg" in
    --quick) mode=quick ;;
    --full) mode=full ;;
    --smoke) mode=smoke ;;
    --profile) mode=profile ;;
    --profile-throughput) mode=profile-throughput ;;
    --profile-poll) mode=profile-poll ;;
    --jfr) extra+=(--jfr) ;;
    --kinds=*) extra+=(--kinds "${arg#--kinds=}") ;;
    --scenarios=*) extra+=(--scenarios "${arg#--scenarios=}") ;;
    --warm=*) extra+=(--warm "${arg#--warm=}") ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg (use --quick, --profile, --jfr, --kinds=…, --scenarios=…)" >&2; exit 2 ;;
  esac
done

jar=bench/target/rtkit-bench.jar
if [ ! -f "$jar" ] || [ ! -d bench/target/lib ] || \
   [ -n "$(find pom.xml plugin/pom.xml plugin/src/main redis/pom.xml redis/src/main bench/pom.xml bench/src/main -newer "$jar" -print -quit)" ]; then
  echo "Building plugin, redis and bench with Maven ..."
  # -DskipTests, not -Dmaven.test.skip: rtkit-redis needs the plugin's test-jar (its test kit) in the reactor.
  mvn -B -q -o -pl bench -am package -DskipTests \
    || mvn -B -q -pl bench -am package -DskipTests
fi

commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git status --porcelain -- plugin/src bench/src 2>/dev/null)" ]; then
  commit="$commit+changes"
fi
# The machine allows 20,000 descriptors per process; the agents spread connections so none needs more.
ulimit -n 20000 2>/dev/null || true
out=bench/results
case "$mode" in profile*) out=bench/target/profile ;; esac
exec java ${JAVA_OPTS:-} -Dbench.commit="$commit" -Drtkit.bench.metrics="${RTKIT_BENCH_METRICS:-off}" -cp "$jar:bench/target/lib/*" dev.rtkit.bench.run.Runner \
  --mode "$mode" --out "$out" --logs bench/target/logs "${extra[@]}"
