#!/bin/sh
# `kustomize build` every Kustomization folder of REPO, offline: OPTS are the build options the
# repository's Argo CD configuration sets (kustomize.buildOptions), and helm is replaced by
# helm-stub (version answers v3, pull makes an empty chart, template checks the values files with
# the real helm and prints nothing), so everything but the remote charts and URLs is checked.
# REPO must be a scratch git copy with a clean work tree: charts the stub "pulls" are removed
# with `git clean` after each folder. Usage: build-all.sh REPO "OPTS"
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$1; opts=$2
export DUMMY_CHART="$here/dummychart" REAL_HELM="${REAL_HELM:-helm}"
cd "$repo" || exit 2
if [ -n "$(git status --porcelain)" ]; then echo "build-all: $repo has changes; use a scratch copy" >&2; exit 2; fi
built=$(mktemp)
trap 'rm -f "$built"' EXIT
git ls-files | grep -E '(^|/)(kustomization\.ya?ml|Kustomization)$' | sort | while read -r k; do
  dir=$(dirname "$k")
  if grep -qE '^kind:[[:space:]]*Component[[:space:]]*$' "$k"; then echo "=== $dir SKIP (Component)"; continue; fi
  # shellcheck disable=SC2086
  if msg=$(kustomize build $opts --helm-command "$here/helm-stub" "$dir" 2>&1 >"$built"); then
    echo "=== $dir OK ($(grep -c '^kind:' "$built") resources)"
  else
    echo "=== $dir FAIL"
  fi
  [ -n "$msg" ] && echo "$msg" | head -c 1500 && echo
  git clean -fdxq
done
