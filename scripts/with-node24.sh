#!/usr/bin/env bash
# Runs a command under Node >= 24. When the machine's node is older (Node 20 is end-of-life but
# still common), Node 24 is installed once from the npm registry (package node-<os>-<arch>) into
# a cache folder, and put first on PATH for the command.
#   scripts/with-node24.sh npm ci          run one command
#   eval "$(scripts/with-node24.sh --env)" use it for the rest of this shell
set -euo pipefail

version=${NODE24_VERSION:-24.21.0}
cache_root=${PUSH_PIPELINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/push-pipeline}

current_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$current_major" -lt 24 ]; then
  case "$(uname -s)" in
    Linux) os=linux ;;
    Darwin) os=darwin ;;
    *) echo "with-node24: no npm package of Node for $(uname -s); install Node 24 yourself" >&2; exit 1 ;;
  esac
  case "$(uname -m)" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "with-node24: no npm package of Node for $(uname -m); install Node 24 yourself" >&2; exit 1 ;;
  esac
  pkg="node-$os-$arch"
  dir="$cache_root/node-$version-$os-$arch"
  bin="$dir/node_modules/$pkg/bin"
  if [ ! -x "$bin/node" ]; then
    echo "with-node24: installing Node $version ($pkg from the npm registry) into $dir" >&2
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund \
      --loglevel=error "$pkg@$version" >&2
  fi
  export PATH="$bin:$PATH"
fi

if [ "${1:-}" = "--env" ]; then
  echo "export PATH=\"$PATH\""
  exit 0
fi
[ $# -gt 0 ] || { node --version; exit 0; }
exec "$@"
