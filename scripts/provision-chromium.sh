#!/usr/bin/env bash
# Makes /usr/bin/chromium (Debian's chromium) available for the console's browser tests
# (npm run test:browser), driven by playwright-core.
# - Already installed: nothing is done.
# - Otherwise, as root on Debian/Ubuntu: `apt-get install chromium`.
# - Anything else: exits non-zero and says what to do; never skips silently.
set -euo pipefail

say() { echo "provision-chromium: $*" >&2; }
fail() {
  say "$*"
  exit 1
}

browser=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ -x "$browser" ]; then
  say "$("$browser" --version 2>/dev/null || echo "$browser") is installed; nothing to do"
  exit 0
fi

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  fail "$browser is missing, and this script can install it only as root on a Debian-like system. Install Chromium yourself and set CHROMIUM_PATH to its executable, then re-run."
fi

say "installing Debian's chromium"
export DEBIAN_FRONTEND=noninteractive
# Fresh lists: a machine's may be missing or name package versions the mirror no longer has.
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium >/dev/null ||
  fail "apt-get install chromium failed; see the output above"
[ -x "$browser" ] || fail "chromium was installed but $browser is not there; set CHROMIUM_PATH"
say "installed $("$browser" --version 2>/dev/null || echo chromium)"
