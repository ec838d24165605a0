#!/usr/bin/env bash
# Grammar tests: syntaxes/argocd-gotemplate.injection.tmLanguage.json injected into VS Code's own
# YAML grammar, checked with vscode-tmgrammar-test against test/grammar/*.test.yaml.
#
#   bash test/grammar/run.sh [--no-install] [--base-grammar <yaml.tmLanguage.json>]... [test files...]
#
# VS Code's YAML grammar (MIT) is not copied into this repository: it is read from the code-server
# install that scripts/vscode/install.sh provides (the same one the integration tests use; a
# second run of that script takes well under a second). --no-install only looks for it.
#
# Environment:
#   HOME_OPS_YAML_EXTENSION_DIR   VS Code's `extensions/yaml` folder to use instead
#   HOME_OPS_EXTRA_YAML_GRAMMARS  colon-separated source.yaml grammars to test against as well,
#                                 e.g. Red Hat YAML's <extension>/syntaxes/yaml.tmLanguage.json
#
# Closing line: `grammar: N passed, M failed` (one test per scope assertion, plus the check that
# the grammar's function names match the template engine's).
set -euo pipefail
cd "$(dirname "$0")/../.."

INSTALL=1
ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-install) INSTALL=0 ;;
    --base-grammar) ARGS+=("$1" "${2:?--base-grammar needs a file}"); shift ;;
    -h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) ARGS+=("$1") ;;
  esac
  shift
done

fail() {
  printf 'grammar tests: %s\n' "$*" >&2
  exit 2
}

YAML_IN_CODE_SERVER=node_modules/code-server/lib/vscode/extensions/yaml
if [ -n "${HOME_OPS_YAML_EXTENSION_DIR:-}" ]; then
  YAML_EXT=$HOME_OPS_YAML_EXTENSION_DIR
elif [ "$INSTALL" = 1 ]; then
  if ! VSCODE_DIR=$(bash scripts/vscode/install.sh --print-dir); then
    fail "scripts/vscode/install.sh failed (see above), so VS Code's YAML grammar is not available.
  Fix the install, or point HOME_OPS_YAML_EXTENSION_DIR at a VS Code 'extensions/yaml' folder."
  fi
  YAML_EXT=$VSCODE_DIR/$YAML_IN_CODE_SERVER
else
  # Where install.sh puts it by default (same variables, same version).
  version=$(sed -n 's/^CODE_SERVER_VERSION=\([0-9.]*\).*/\1/p' scripts/vscode/install.sh)
  cache=${HOME_OPS_CACHE:-${HOME:?HOME is not set}/.cache/home-ops}
  YAML_EXT=${HOME_OPS_VSCODE_DIR:-$cache/code-server-$version}/$YAML_IN_CODE_SERVER
fi
if [ ! -f "$YAML_EXT/package.json" ] || [ ! -d "$YAML_EXT/syntaxes" ]; then
  fail "VS Code's YAML grammar is not at $YAML_EXT.
  It comes with code-server: run 'bash scripts/vscode/install.sh' (or 'npm run vscode:install'),
  or point HOME_OPS_YAML_EXTENSION_DIR at a VS Code 'extensions/yaml' folder."
fi

if [ -n "${HOME_OPS_EXTRA_YAML_GRAMMARS:-}" ]; then
  IFS=: read -r -a extra <<<"$HOME_OPS_EXTRA_YAML_GRAMMARS"
  for g in "${extra[@]}"; do [ -n "$g" ] && ARGS+=(--base-grammar "$g"); done
fi

exec node test/grammar/run-grammar-tests.mjs --yaml-extension "$YAML_EXT" ${ARGS[@]+"${ARGS[@]}"}
