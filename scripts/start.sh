#!/usr/bin/env bash
# `npm start`: build the extension, then open it in real VS Code (code-server, installed offline
# by scripts/vscode/install.sh) on the bundled example repository, or on the folder given.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build
exec bash scripts/vscode/start.sh "${1:-examples/homelab}"
