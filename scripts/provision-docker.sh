#!/usr/bin/env bash
# Makes a Docker engine answer `docker info`, for the container tests and docker compose.
# - An engine already answers (a laptop, a hosted CI runner): nothing is done.
# - Otherwise, as root on Debian/Ubuntu: Debian's docker.io (dockerd + containerd + iptables) is
#   installed if missing, and dockerd is started in the background (log: $DOCKERD_LOG).
# - Anything else: exits non-zero and says what to do; never skips silently.
# Idempotent: a second run finds the engine answering and returns at once.
set -euo pipefail

log=${DOCKERD_LOG:-/var/log/push-pipeline-dockerd.log}
wait_seconds=${DOCKERD_WAIT_SECONDS:-60}

say() { echo "provision-docker: $*" >&2; }
fail() {
  say "$*"
  exit 1
}
engine_answers() { docker info >/dev/null 2>&1; }

if command -v docker >/dev/null 2>&1 && engine_answers; then
  say "a Docker engine answers already ($(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?')); nothing to do"
  exit 0
fi

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  fail "no Docker engine answers 'docker info', and this script can install one only as root on a Debian-like system. Start Docker yourself (e.g. Docker Desktop, or 'sudo systemctl start docker'), then re-run."
fi

if ! command -v dockerd >/dev/null 2>&1; then
  say "installing Debian's docker.io (dockerd, containerd, iptables)"
  export DEBIAN_FRONTEND=noninteractive
  # Fresh lists: a machine's may be missing or name package versions the mirror no longer has.
  apt-get update -qq
  # The machine may already carry a newer docker client (/usr/local/bin/docker); docker.io's own
  # client lands in /usr/bin and either one talks to this engine (API version negotiation).
  apt-get install -y -qq --no-install-recommends docker.io >/dev/null ||
    fail "apt-get install docker.io failed; see the output above"
fi

dockerd_pid=''
log_start=1
start_dockerd() {
  mkdir -p "$(dirname "$log")"
  log_start=$(($(wc -l <"$log" 2>/dev/null || echo 0) + 1))
  say "starting dockerd in the background (log: $log)"
  # setsid: the engine outlives this script and ignores the terminal's Ctrl+C, like a service.
  # Started from a script (not a process group leader), setsid does not fork, so $! is dockerd.
  setsid nohup dockerd >>"$log" 2>&1 </dev/null &
  dockerd_pid=$!
}
dockerd_running() {
  if [ -n "$dockerd_pid" ]; then kill -0 "$dockerd_pid" 2>/dev/null; else pgrep -x dockerd >/dev/null 2>&1; fi
}

# Another dockerd may be starting (a parallel run): wait for it rather than start a second one.
pgrep -x dockerd >/dev/null 2>&1 || start_dockerd
# Seen here: a dockerd started within a second or two of the previous one being killed exits at
# once, silently (its containerd is still going away); a second start a moment later works.
starts_left=2

show_log() { tail -n "+$log_start" "$log" 2>/dev/null | tail -n 25 >&2 || true; }
for _ in $(seq 1 "$wait_seconds"); do
  if engine_answers; then
    say "Docker engine $(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?') answers"
    exit 0
  fi
  if ! dockerd_running; then
    if [ "$starts_left" -gt 0 ]; then
      starts_left=$((starts_left - 1))
      say "dockerd exited at once; starting it again"
      sleep 2
      start_dockerd
      continue
    fi
    show_log
    fail "dockerd exited; its log is above (full log: $log)"
  fi
  sleep 1
done
show_log
fail "dockerd did not answer within ${wait_seconds}s; its log is above (full log: $log)"
