#!/usr/bin/env bash
# The abuse soak: every attack family of demo-site's AttackFromOutsideTest, round after round against one forked
# demo JVM (-Xmx256m) for N minutes (default 30), printing heap, RSS, threads and descriptors after every round and
# failing unless the live heap after the last round is within 32 MiB of the first.
#   bench/soak.sh [minutes]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
minutes="${1:-30}"
mvn -B -o -pl demo-site -am verify -Dtest=AttackSoak -Dsurefire.failIfNoSpecifiedTests=false \
  -Drtkit.soak.minutes="$minutes" -Dsurefire.timeout=$(( (minutes + 10) * 60 ))
grep -h '^\[soak\]\|^\[attack\]' demo-site/target/surefire-reports/dev.rtkit.demosite.AttackSoak-output.txt
