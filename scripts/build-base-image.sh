#!/usr/bin/env bash
# Finds or builds the Node 24 base image for the Dockerfile, and prints its name as the last line
# of stdout (everything else goes to stderr), for `docker build --build-arg NODE_IMAGE=...`:
#   1. $NODE_IMAGE (default node:24-bookworm-slim) when it is present locally or can be pulled;
#   2. otherwise (no reachable registry, as on this workplace's machines) a local image,
#      $LOCAL_NODE_IMAGE (default push-pipeline/node:24-local), shaped like the official one:
#      Debian minbase from debootstrap and the machine's own apt mirror, ca-certificates, Node from
#      the npm registry (node-linux-<arch>) at /usr/local/bin/node, npm from the npm registry at
#      /usr/local/lib/node_modules/npm (the build stage runs `npm ci`), and a user `node` (uid 1000).
# Idempotent: the rootfs tarball is cached under $cache_root/base-image, keyed by release, arch,
# Node and npm versions, so a new engine only re-imports it (seconds); the image carries the key
# as a label, and an image with another key is rebuilt.
set -euo pipefail

node_image=${NODE_IMAGE:-node:24-bookworm-slim}
local_image=${LOCAL_NODE_IMAGE:-push-pipeline/node:24-local}
node_version=${NODE24_VERSION:-24.21.0}
npm_version=${NPM_VERSION:-11.19.1}
pull_timeout=${NODE_IMAGE_PULL_TIMEOUT:-60}
cache_root=${PUSH_PIPELINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/push-pipeline}

say() { echo "build-base-image: $*" >&2; }
fail() {
  say "$*"
  exit 1
}

docker info >/dev/null 2>&1 || fail "no Docker engine answers; run scripts/provision-docker.sh first"

# 1. The requested image, if the engine has it or a registry gives it.
if docker image inspect "$node_image" >/dev/null 2>&1; then
  say "using $node_image (present locally)"
  echo "$node_image"
  exit 0
fi
if [ "${NODE_IMAGE_PULL:-1}" != 0 ]; then
  # Without a reachable registry this fails in milliseconds (name resolution); the timeout only
  # bounds a slow registry.
  if timeout "$pull_timeout" docker pull -q "$node_image" >/dev/null 2>&1; then
    say "using $node_image (pulled)"
    echo "$node_image"
    exit 0
  fi
  say "$node_image is not present and cannot be pulled; using a locally built base image"
fi

# 2. The local image.
case "$(uname -m)" in
  x86_64 | amd64) arch=x64 deb_arch=amd64 ;;
  aarch64 | arm64) arch=arm64 deb_arch=arm64 ;;
  *) fail "no Node package for $(uname -m); set NODE_IMAGE to an image with Node 24" ;;
esac

# Debian's mirror and release as the host's apt uses them (a host that cannot reach
# deb.debian.org has its own mirror there); deb.debian.org/bookworm otherwise. DEBIAN_MIRROR /
# DEBIAN_RELEASE override.
host_mirror() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -r "$f" ] || continue
    awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/ && $i ~ /debian/) { print $i; exit } }' "$f"
  done
  if [ -r /etc/apt/sources.list ]; then
    awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/ && $i !~ /security/ && $i ~ /debian/) { print $i; exit } }' /etc/apt/sources.list
  fi
}
host_id=$(. /etc/os-release 2>/dev/null && echo "${ID:-}")
host_codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
if [ "$host_id" = debian ] && [ -n "$host_codename" ]; then
  release=${DEBIAN_RELEASE:-$host_codename}
  mirror=${DEBIAN_MIRROR:-$(host_mirror | head -n 1)}
fi
release=${release:-${DEBIAN_RELEASE:-bookworm}}
mirror=${mirror:-${DEBIAN_MIRROR:-http://deb.debian.org/debian}}

key="$release-$deb_arch-node$node_version-npm$npm_version-v1"
cache_dir="$cache_root/base-image"
tarball="$cache_dir/$key.tar"
mkdir -p "$cache_dir"

# One builder at a time per cache (parallel CI jobs on one machine).
exec 9>"$cache_dir/.lock"
flock 9

# Certificate authorities the host adds to Debian's (/usr/local/share/ca-certificates, e.g. the CA
# of a TLS-inspecting proxy) are added to the image too, as a layer over the cached rootfs: behind
# such a proxy `npm ci` in a build stage cannot reach the registry without them. They are part of
# the image's key, so a host with other CAs gets its own layer.
host_cas=$(find /usr/local/share/ca-certificates -type f -name '*.crt' 2>/dev/null | LC_ALL=C sort)
image_key=$key
if [ -n "$host_cas" ]; then
  # shellcheck disable=SC2086 # one path per line, no spaces in these names
  image_key="$key-ca$(cat $host_cas | sha256sum | cut -c1-12)"
fi

if [ "$(docker image inspect -f '{{ index .Config.Labels "push-pipeline.base-key" }}' "$local_image" 2>/dev/null)" = "$image_key" ]; then
  say "using $local_image (present, $image_key)"
  echo "$local_image"
  exit 0
fi

if [ ! -s "$tarball" ]; then
  [ "$(id -u)" -eq 0 ] || fail "building the base image needs root (debootstrap); or set NODE_IMAGE to an image with Node 24 that the engine has"
  started=$(date +%s)
  if ! command -v debootstrap >/dev/null 2>&1; then
    command -v apt-get >/dev/null 2>&1 || fail "debootstrap is missing and there is no apt-get to install it; set NODE_IMAGE to an image with Node 24"
    say "installing debootstrap"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
  fi

  # Node and npm from the npm registry, cached like scripts/with-node24.sh does.
  node_dir="$cache_root/node-$node_version-linux-$arch"
  node_bin="$node_dir/node_modules/node-linux-$arch/bin/node"
  if [ ! -x "$node_bin" ]; then
    say "fetching node-linux-$arch@$node_version from the npm registry"
    mkdir -p "$node_dir"
    npm install --prefix "$node_dir" --no-save --no-package-lock --no-audit --no-fund \
      --loglevel=error "node-linux-$arch@$node_version" >&2
  fi
  npm_tgz="$cache_dir/npm-$npm_version.tgz"
  if [ ! -s "$npm_tgz" ]; then
    say "fetching npm@$npm_version from the npm registry"
    (cd "$cache_dir" && npm pack --silent "npm@$npm_version" >/dev/null)
  fi

  work=$(mktemp -d /var/tmp/push-pipeline-rootfs.XXXXXX)
  rootfs="$work/rootfs"
  cleanup() {
    local m
    for m in proc sys dev/pts; do
      if mountpoint -q "$rootfs/$m" 2>/dev/null; then umount -l "$rootfs/$m" || true; fi
    done
    rm -rf --one-file-system "$work"
  }
  trap cleanup EXIT

  say "debootstrap --variant=minbase $release from $mirror (log: $work/debootstrap.log)"
  if ! debootstrap --variant=minbase --arch="$deb_arch" --include=ca-certificates \
    "$release" "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1; then
    tail -n 30 "$work/debootstrap.log" >&2
    tail -n 30 "$rootfs/debootstrap/debootstrap.log" >&2 2>/dev/null || true
    fail "debootstrap failed (above); set DEBIAN_MIRROR to a reachable Debian mirror"
  fi

  # Small, like Debian's slim images: no apt caches/lists, docs, man pages or translations, and
  # dpkg told to keep them out of later installs too.
  rm -rf "$rootfs"/var/cache/apt/* "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/log/* \
    "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* \
    "$rootfs"/usr/share/locale/* "$rootfs"/tmp/* "$rootfs"/debootstrap
  cat >"$rootfs/etc/dpkg/dpkg.cfg.d/01-slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
EOF
  echo 'APT::Keep-Downloaded-Packages "false";' >"$rootfs/etc/apt/apt.conf.d/01-slim"
  : >"$rootfs/etc/resolv.conf" # the engine provides it per container

  install -m 0755 "$node_bin" "$rootfs/usr/local/bin/node"
  mkdir -p "$rootfs/usr/local/lib/node_modules/npm"
  tar -xzf "$npm_tgz" -C "$rootfs/usr/local/lib/node_modules/npm" --strip-components=1 --no-same-owner
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
  chroot "$rootfs" /bin/sh -c 'groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node'
  chroot "$rootfs" /usr/local/bin/node --version >/dev/null || fail "node does not run in the new rootfs"

  tar --numeric-owner -C "$rootfs" -cf "$tarball.tmp" .
  mv "$tarball.tmp" "$tarball"
  cleanup
  trap - EXIT
  say "rootfs built in $(($(date +%s) - started))s: $tarball ($(du -h "$tarball" | cut -f1))"
fi

previous_id=$(docker image inspect -f '{{.Id}}' "$local_image" 2>/dev/null || true)
say "importing $tarball as $local_image"
docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change "ENV NODE_VERSION=$node_version" \
  --change "LABEL push-pipeline.base-key=$key" \
  --change 'CMD ["node"]' \
  "$tarball" "$local_image" >/dev/null

if [ -n "$host_cas" ]; then
  say "adding the host's CAs: $(echo "$host_cas" | xargs -n1 basename | tr '\n' ' ')"
  # create + cp + commit rather than `docker build`: no build context, no builder needed.
  cid=$(docker create "$local_image" update-ca-certificates)
  trap 'docker rm -f "$cid" >/dev/null 2>&1 || true' EXIT
  for f in $host_cas; do docker cp "$f" "$cid:/usr/local/share/ca-certificates/$(basename "$f")"; done
  docker start -a "$cid" >&2
  # Node keeps its own CA list: NODE_EXTRA_CA_CERTS makes node and npm trust the system's too.
  docker commit \
    --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
    --change "LABEL push-pipeline.base-key=$image_key" \
    --change 'CMD ["node"]' \
    "$cid" "$local_image" >/dev/null
fi

docker run --rm "$local_image" node -e 'process.exit(0)' ||
  fail "$local_image was made but node does not run in it; delete $tarball and retry"
# The image this one replaced, now untagged (kept if a container or another tag still uses it).
if [ -n "$previous_id" ]; then docker rmi "$previous_id" >/dev/null 2>&1 || true; fi
say "$local_image: $(docker image inspect -f '{{.Size}}' "$local_image" | awk '{ printf "%.0f MB", $1 / 1e6 }')"
echo "$local_image"
