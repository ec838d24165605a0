#!/usr/bin/env bash
# Prints an `export PATH=...` line that puts the pinned helm and kustomize first, e.g.
#   eval "$(scripts/tools/env.sh)" && npx mocha ... 'test/unit/render/*.test.ts'
set -euo pipefail
BIN="$("$(dirname "${BASH_SOURCE[0]}")/install.sh" --print-bin-dir)"
# shellcheck disable=SC2016 # $PATH is for the shell that evals this line
printf 'export PATH=%q:"$PATH"\n' "$BIN"
