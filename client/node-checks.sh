#!/usr/bin/env bash
# The client's checks that need node, run by `mvn verify` (client/pom.xml): the TypeScript declarations against a
# strict consumer, then the node unit tests. Arguments: the assembled dist directory, the project version.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  if [ "${CI:-}" = "true" ]; then
    echo "rtkit client: node and npm are required on CI (CI=true)" >&2
    exit 1
  fi
  echo "rtkit client: SKIPPED type check and node unit tests (node or npm not found)"
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
node_modules/.bin/tsc -p test/types
RTKIT_DIST="$1" RTKIT_VERSION="$2" node --test test/*.test.mjs
