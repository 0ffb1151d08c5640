#!/usr/bin/env bash
# Proves the package from outside: packs it, installs the tarball into a temporary copy of
# examples/consumer with no network (npm's cache only), type-checks the example under strict settings,
# runs its tests (the package's contract suites against its own adapters) and starts it once.
# Prints one line "consumer: N passed, N failed" (its vitest tests plus the steps around them).
set -uo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
work=$(mktemp -d)
trap 'kill "${server_pid:-}" 2>/dev/null; rm -rf "$work"' EXIT
passed=0
failed=0
step() { # step NAME COMMAND...: counts one check
  local name=$1; shift
  if "$@" >"$work/$name.log" 2>&1; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "consumer: $name failed:"; tail -40 "$work/$name.log"; fi
}

npm pack --silent --pack-destination "$work" >/dev/null || { echo "consumer: npm pack failed"; echo "consumer: 0 passed, 1 failed"; exit 1; }
cp -r examples/consumer "$work/app"
mv "$work"/emptyclassroom-*.tgz "$work/app/emptyclassroom.tgz"
cd "$work/app"

node "$repo/scripts/consumer-lock.mjs" . emptyclassroom.tgz || { echo "consumer: could not write its lockfile"; echo "consumer: 0 passed, 1 failed"; exit 1; }
step install npm ci --offline --no-audit --no-fund --loglevel=error
# Only what a core consumer asked for: none of the service's libraries comes along.
step minimal-install bash -c '! ls node_modules | grep -qxE "koa|ioredis|undici|redis-memory-server|pino|zod"'
step typecheck npx tsc --noEmit
if npx vitest run --reporter=json --outputFile=vitest.json >"$work/vitest.log" 2>&1; then :; fi
if [ -s vitest.json ]; then
  read -r ok ko <<<"$(node "$repo/scripts/vitest-counts.mjs" vitest.json || true)"
  passed=$((passed + ${ok:-0})); failed=$((failed + ${ko:-1}))
  [ "${ko:-1}" -eq 0 ] || tail -60 "$work/vitest.log"
else
  failed=$((failed + 1)); echo "consumer: vitest wrote no report"; tail -40 "$work/vitest.log"
fi
step build npx tsc
start_once() {
  PORT=0 node dist/server.js >"$work/server.out" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 50); do
    url=$(grep -o 'http://localhost:[0-9]*/free-rooms' "$work/server.out" | head -1)
    if [ -n "$url" ] && curl -sf "$url?at=12:00" | grep -q '"rooms"'; then
      kill -TERM "$server_pid"; wait "$server_pid"; return 0
    fi
    sleep 0.2
  done
  cat "$work/server.out"; return 1
}
step start start_once
echo "consumer: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
