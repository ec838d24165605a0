#!/usr/bin/env bash
# Installs the pinned helm and kustomize the render tests and the bench run, with `go install`
# into Home-Ops' own cache (never into the system), so a fresh machine with Go needs nothing else.
#
#   scripts/tools/install.sh                 install when absent (idempotent: a stamp records the pins)
#   scripts/tools/install.sh --optional      the same where Go is present; without Go (or when the
#                                            build fails) say so and exit 0, so `npm run test:unit`
#                                            runs and the suites that need the tools skip loudly.
#                                            In CI (CI set) nothing is optional: it fails as above.
#   scripts/tools/install.sh --print-bin-dir print the bin dir (for PATH) and exit
#   scripts/tools/install.sh --force         reinstall
#
# Pins: the newest releases whose go.mod accepts this machine's Go (GOTOOLCHAIN=local, go1.26):
# helm v3.22.0 needs go 1.26.0; kustomize v5.8.3 needs go 1.27, so kustomize stays on v5.8.1,
# which is also the kustomize/api (v0.21.1) that Argo CD 3.5 builds with.
set -euo pipefail

HELM_VERSION=v3.22.0
KUSTOMIZE_VERSION=v5.8.1

CACHE="${HOME_OPS_CACHE:-$HOME/.cache/home-ops}"
BIN="$CACHE/tools/bin"
STAMP="$BIN/.home-ops-tools"
WANT="helm=$HELM_VERSION kustomize=$KUSTOMIZE_VERSION"

force=0
optional=0
case "${1:-}" in
  --print-bin-dir) echo "$BIN"; exit 0 ;;
  --force) force=1 ;;
  --optional) optional=1 ;;
  "") ;;
  *) echo "usage: $0 [--optional|--print-bin-dir|--force]" >&2; exit 2 ;;
esac
# The same rule as the tests (test/support/shared.ts): in CI a missing tool is a failure.
if [[ -n "${CI:-}" && "${CI}" != "false" && "${CI}" != "0" ]]; then optional=0; fi

# Without the tools the unit tests still run: the suites that need helm or kustomize say, one
# line each, that they were skipped.
give_up() {
  if [[ $optional == 1 ]]; then
    echo "install.sh: $1 — helm and kustomize are not installed; the unit suites that need them will be skipped" >&2
    exit 0
  fi
  echo "install.sh: $1" >&2
  exit "${2:-1}"
}

if [[ $force == 0 && -x "$BIN/helm" && -x "$BIN/kustomize" && -f "$STAMP" && "$(cat "$STAMP")" == "$WANT" ]]; then
  echo "helm and kustomize already installed in $BIN ($WANT)"
  "$BIN/helm" version --short
  "$BIN/kustomize" version
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  give_up "Go is needed to build helm and kustomize (https://go.dev/dl/), or put helm and kustomize on PATH yourself"
fi

mkdir -p "$BIN"
start=$(date +%s)
echo "building helm $HELM_VERSION and kustomize $KUSTOMIZE_VERSION with $(go version | cut -d' ' -f3) into $BIN"
# The -X flags give helm the version string its release builds carry (`helm version --short`
# otherwise says v3.22+unreleased); kustomize reads its version from the module build info.
GOBIN="$BIN" CGO_ENABLED=0 go install -trimpath \
  -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION -X helm.sh/helm/v3/internal/version.metadata=" \
  "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" &
helm_pid=$!
GOBIN="$BIN" CGO_ENABLED=0 go install -trimpath -ldflags "-s -w" "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION" &
kustomize_pid=$!
status=0
wait "$helm_pid" || status=$?
wait "$kustomize_pid" || status=$?
if [[ $status != 0 ]]; then
  give_up "go install failed (exit $status)" "$status"
fi
echo "$WANT" >"$STAMP"
"$BIN/helm" version --short
"$BIN/kustomize" version
echo "installed in $(( $(date +%s) - start )) s; add to PATH with: export PATH=\"$BIN:\$PATH\" (or: eval \"\$(scripts/tools/env.sh)\")"
