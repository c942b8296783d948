#!/usr/bin/env bash
# rtkit against a raw-Jetty baseline, per transport.
#   bench/run.sh --quick   (about 2 minutes)  -> bench/results/quick.md + quick-*.svg
#   bench/run.sh           (full, ~10 minutes) -> bench/results/full.md + full-*.svg
#   --jfr                  also records both servers with Flight Recorder into bench/target/logs/{rtkit,baseline}.jfr
# Builds the plugin and bench jars with Maven when sources are newer (offline first), then runs java.
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
    --jfr) extra+=(--jfr) ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg (use --quick, --jfr)" >&2; exit 2 ;;
  esac
done

jar=bench/target/rtkit-bench.jar
if [ ! -f "$jar" ] || [ ! -d bench/target/lib ] || \
   [ -n "$(find pom.xml plugin/pom.xml plugin/src/main bench/pom.xml bench/src/main -newer "$jar" -print -quit)" ]; then
  echo "Building plugin and bench with Maven ..."
  mvn -B -q -o -pl bench -am package -Dmaven.test.skip=true \
    || mvn -B -q -pl bench -am package -Dmaven.test.skip=true
fi

commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git status --porcelain -- plugin/src bench/src 2>/dev/null)" ]; then
  commit="$commit+changes"
fi
# The machine allows 20,000 descriptors per process; the agents spread connections so none needs more.
ulimit -n 20000 2>/dev/null || true
out=bench/results
[ "$mode" = profile ] && out=bench/target/profile
exec java -Dbench.commit="$commit" -Drtkit.bench.metrics="${RTKIT_BENCH_METRICS:-off}" -cp "$jar:bench/target/lib/*" dev.rtkit.bench.run.Runner \
  --mode "$mode" --out "$out" --logs bench/target/logs "${extra[@]}"
