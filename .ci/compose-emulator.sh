#!/usr/bin/env bash
# The compose path end to end without LocalStack (docker-compose.emulator.yml): builds the images,
# brings the stack up under a project name of its own on free host ports, waits for the producer's
# 50 readings, checks what landed with the host's `npm run verify` (which finds the stack through
# the .env the stack writes), then tears everything down: containers, volumes, network, images,
# and puts the checkout's .env back as it was.
# Needs Docker with Compose v2 (scripts/provision-docker.sh) and Node 24 on PATH; NODE_IMAGE as
# for docker compose. Exit 0 only if every reading landed once, transformed.
set -euo pipefail
cd "$(dirname "$0")/.."

project=${COMPOSE_CI_PROJECT:-push-pipeline-ci-$$}
report=$(mktemp "${TMPDIR:-/tmp}/push-pipeline-compose-report.XXXXXX.json")
saved_env=$(mktemp "${TMPDIR:-/tmp}/push-pipeline-compose-env.XXXXXX")
had_env=false
if [ -f .env ]; then cp -p .env "$saved_env" && had_env=true; fi
say() { printf 'compose-emulator: %s\n' "$*"; }

# Free host ports (the machine may be shared: 4566 may be someone else's).
read -r LOCALSTACK_PORT EMULATOR_S3_PORT EMULATOR_CONSOLE_PORT < <(node -e '
  const net = require("node:net");
  const free = () => new Promise((ok) => { const s = net.createServer().listen(0, "127.0.0.1", () => { const { port } = s.address(); s.close(() => ok(port)); }); });
  Promise.all([free(), free(), free()]).then((ports) => console.log(ports.join(" ")));')
export LOCALSTACK_PORT EMULATOR_S3_PORT EMULATOR_CONSOLE_PORT
compose=(docker compose -p "$project" -f docker-compose.yml -f docker-compose.emulator.yml)

teardown() {
  local rc=$?
  if [ "$rc" -ne 0 ]; then
    say "failed (exit $rc); the stack's last log lines:"
    "${compose[@]}" logs --no-color --tail 40 2>&1 || true
  fi
  "${compose[@]}" down --volumes --rmi local --timeout 10 >/dev/null 2>&1 || say "teardown failed: docker compose -p $project down -v"
  if $had_env; then cp -p "$saved_env" .env; else rm -f .env; fi
  rm -f "$report" "$saved_env"
  say "torn down ($project)"
}
trap teardown EXIT

say "project $project, gateway 127.0.0.1:$LOCALSTACK_PORT, S3 127.0.0.1:$EMULATOR_S3_PORT, NODE_IMAGE=${NODE_IMAGE:-node:24-bookworm-slim}"
SECONDS=0
"${compose[@]}" build --quiet
say "images built in ${SECONDS}s"
SECONDS=0
"${compose[@]}" up --detach --quiet-pull
say "up (emulator healthy, producer started) in ${SECONDS}s"
SECONDS=0
producer_rc=0
timeout 600 "${compose[@]}" wait producer >/dev/null || producer_rc=$?
say "producer exited with code $producer_rc after ${SECONDS}s"
"${compose[@]}" logs --no-color --no-log-prefix producer | tail -n 14
[ "$producer_rc" -eq 0 ] || exit 1

"${compose[@]}" cp producer:/home/node/report.json "$report" 2>/dev/null
sent=$(node -e 'console.log(require(process.argv[1]).readings.length)' "$report")
say "the producer's report lists $sent readings"
[ "$sent" -eq 50 ] || { say "expected 50"; exit 1; }
# No flags: verify finds the bucket and the S3 endpoint in the .env the emulator wrote.
npm run --silent verify -- --report "$report"
