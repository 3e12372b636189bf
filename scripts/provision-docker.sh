#!/usr/bin/env bash
# Makes a Docker engine answer `docker info` and `docker compose` (v2) work, for the container
# tests and docker compose.
# - An engine already answers and `docker compose version` works (a laptop, a hosted CI runner):
#   nothing is done.
# - Otherwise, as root on Debian/Ubuntu: Debian's docker.io (dockerd + containerd + iptables) is
#   installed if missing, and dockerd is started in the background (log: $DOCKERD_LOG); Compose v2
#   is installed from Debian trixie's docker-compose package when missing (bookworm packages only
#   Compose v1; the trixie build of 2.26.1 needs only libc6 >= 2.34, so it runs on bookworm).
# - Anything else: exits non-zero and says what to do; never skips silently.
# Idempotent: a second run finds both working and returns at once.
set -euo pipefail

log=${DOCKERD_LOG:-/var/log/push-pipeline-dockerd.log}
wait_seconds=${DOCKERD_WAIT_SECONDS:-60}

say() { echo "provision-docker: $*" >&2; }
fail() {
  say "$*"
  exit 1
}
engine_answers() { docker info >/dev/null 2>&1; }
compose_answers() { docker compose version >/dev/null 2>&1; }

# Compose v2 as the CLI plugin (`docker compose`). The one package comes from a temporary sources
# list (deb.debian.org's trixie, signed by the trixie keys that bookworm's debian-archive-keyring
# carries); the machine's own sources and package lists are left as they were.
provision_compose() {
  if compose_answers; then
    say "docker compose $(docker compose version --short 2>/dev/null || echo '?') is there"
    return 0
  fi
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    fail "'docker compose' (Compose v2) is missing, and this script can install it only as root on a Debian-like system. Install the Compose plugin (Docker's docker-compose-plugin package, or Docker Desktop), then re-run."
  fi
  local mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
  local keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  [ -r "$keyring" ] || fail "$keyring is missing (apt-get install debian-archive-keyring), needed to check the trixie package"
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/push-pipeline-compose.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  mkdir -p "$tmp/lists/partial" "$tmp/deb"
  # apt downloads as the unprivileged _apt user where it exists.
  chmod 755 "$tmp"
  if id -u _apt >/dev/null 2>&1; then chown -R _apt "$tmp/lists" "$tmp/deb"; fi
  echo "deb [signed-by=$keyring] $mirror trixie main" >"$tmp/sources.list"
  local apt_tmp=(-o "Dir::Etc::SourceList=$tmp/sources.list" -o Dir::Etc::SourceParts=/dev/null
    -o "Dir::State::Lists=$tmp/lists")
  say "installing Compose v2 from Debian trixie's docker-compose package ($mirror)"
  apt-get "${apt_tmp[@]}" update -qq || fail "apt-get update of the temporary trixie list failed; see above"
  (cd "$tmp/deb" && apt-get "${apt_tmp[@]}" download -qq docker-compose) ||
    fail "downloading trixie's docker-compose package failed; see above"
  # Installed from the file with the machine's own lists: its one dependency (libc6 >= 2.34) is
  # met by bookworm, and dpkg then knows the package (apt-get remove docker-compose removes it).
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$tmp"/deb/docker-compose_*.deb >/dev/null ||
    fail "installing $(basename "$tmp"/deb/docker-compose_*.deb) failed; see above"
  compose_answers || fail "docker compose still does not answer after installing the package"
  say "docker compose $(docker compose version --short 2>/dev/null || echo '?') installed"
}

if command -v docker >/dev/null 2>&1 && engine_answers; then
  say "a Docker engine answers already ($(docker version --format '{{.Server.Version}}' 2>/dev/null || echo '?'))"
  provision_compose
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
    provision_compose
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
