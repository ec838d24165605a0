#!/usr/bin/env bash
# The action's first step (action.yml): installs the home-ops CLI into the runner's temporary
# folder and puts its bin folder on the job's PATH.
#
#   HOME_OPS_CLI          an npm package spec: a tarball made with `npm pack` (path or URL) or a
#                         registry spec; empty: this action's own source, packed here (`npm pack`
#                         runs the `prepare` build, scripts/package/prepare.cjs)
#   HOME_OPS_ACTION_PATH  the action's folder (github.action_path)
#   RUNNER_TEMP, GITHUB_PATH  set by the runner
set -euo pipefail

action="${HOME_OPS_ACTION_PATH:?HOME_OPS_ACTION_PATH is the action folder}"
temp="${RUNNER_TEMP:?RUNNER_TEMP is set by the runner}"
prefix="$temp/home-ops-cli"
rm -rf "$prefix"
mkdir -p "$prefix"
spec="${HOME_OPS_CLI:-}"
if [[ -z "$spec" ]]; then
  tarball=$(npm pack "$action" --pack-destination "$prefix" --silent --no-update-notifier | tail -n 1)
  spec="$prefix/$tarball"
fi
# A package of its own (no dependencies: the CLI is one bundle), outside the repository checked.
echo '{ "private": true }' >"$prefix/package.json"
npm install --prefix "$prefix" --no-audit --no-fund --no-update-notifier --loglevel=error "$spec"
bin="$prefix/node_modules/.bin"
"$bin/home-ops" --version >/dev/null
echo "$bin" >>"${GITHUB_PATH:?GITHUB_PATH is set by the runner}"
echo "home-ops $("$bin/home-ops" --version) installed in $prefix"
