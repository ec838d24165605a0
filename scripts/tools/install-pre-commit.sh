#!/usr/bin/env bash
# Installs the pinned pre-commit (PyPI) into a virtual environment in Home-Ops' cache, for the test
# that runs this repository's pre-commit hook through the real tool (test/unit/package).
#
#   scripts/tools/install-pre-commit.sh              install when absent (idempotent)
#   scripts/tools/install-pre-commit.sh --print-bin  print the pre-commit executable's path and exit
#
# Optional: without python3 (and its venv module) or PyPI it says so and exits 0, and the test is
# skipped with a line saying why — except in CI (CI=true), where the test fails instead.
set -euo pipefail

PRE_COMMIT_VERSION=4.7.0

CACHE="${HOME_OPS_CACHE:-$HOME/.cache/home-ops}"
VENV="$CACHE/tools/pre-commit-$PRE_COMMIT_VERSION"
BIN="$VENV/bin/pre-commit"

case "${1:-}" in
  --print-bin) echo "$BIN"; exit 0 ;;
  "") ;;
  *) echo "usage: $0 [--print-bin]" >&2; exit 2 ;;
esac

if [[ -x "$BIN" ]] && "$BIN" --version 2>/dev/null | grep -qx "pre-commit $PRE_COMMIT_VERSION"; then
  echo "pre-commit $PRE_COMMIT_VERSION already installed in $VENV"
  exit 0
fi

skip() {
  echo "install-pre-commit.sh: $1; the pre-commit hook test will be skipped (and fail in CI)" >&2
  rm -rf "$VENV"
  exit 0
}

command -v python3 >/dev/null 2>&1 || skip "python3 not found"
mkdir -p "$CACHE/tools"
rm -rf "$VENV"
python3 -m venv "$VENV" || skip "python3 -m venv failed (Debian: apt-get install python3-venv)"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "pre-commit==$PRE_COMMIT_VERSION" || skip "pip install pre-commit==$PRE_COMMIT_VERSION failed"
"$BIN" --version
