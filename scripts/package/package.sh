#!/usr/bin/env bash
# `npm run package`: a production build, the .vsix (allow-list in .vscodeignore, no
# node_modules: everything is bundled), and a report of its size and of activation time.
set -euo pipefail
cd "$(dirname "$0")/../.."
rm -rf dist
node esbuild.js --production
version=$(node -p "require('./package.json').version")
out="home-ops-${version}.vsix"
rm -f "$out"
npx vsce package --no-dependencies --allow-missing-repository --no-rewrite-relative-links -o "$out" >/dev/null
bytes=$(stat -c %s "$out")
echo "package: $out $(( bytes / 1024 )) KiB (target < 1536 KiB)"
unzip -l "$out" | awk 'NR>3 && $4 != "" {print "  " $1 "\t" $4}' | grep -v -- "----" | head -40
# Median of five fresh processes: the first run pays for a cold disk cache.
times=$(for _ in 1 2 3 4 5; do node scripts/package/activation.cjs; done | node -e '
  const runs = require("fs").readFileSync(0, "utf8").trim().split("\n").map(JSON.parse).sort((a, b) => a.totalMs - b.totalMs);
  const m = runs[2];
  console.log(`activation: load ${m.loadMs.toFixed(1)} ms + activate() ${m.activateMs.toFixed(1)} ms = ${m.totalMs.toFixed(1)} ms (median of 5; target < 50 ms)`);
')
echo "$times"
if [ "$bytes" -gt $(( 1536 * 1024 )) ]; then echo "package: over the 1.5 MiB target" >&2; exit 1; fi
if unzip -l "$out" | grep -q "node_modules/"; then echo "package: node_modules inside the .vsix" >&2; exit 1; fi
