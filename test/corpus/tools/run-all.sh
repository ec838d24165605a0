#!/bin/sh
# Re-runs every consumer check behind test/corpus/expected/*.json on the seven corpora:
# copies each corpus into a scratch git repository (every file tracked, as upstream), then
#   appgen    -> OUT/<corpus>.apps.json   Applications generated/standalone + source checks
#   yamlcheck -> OUT/<corpus>.yaml.jsonl  every YAML/JSON file as Argo CD, helm and kustomize read it
#   build-all -> OUT/<corpus>.kustomize.txt  `kustomize build` of every Kustomization folder with the
#                build options the repository's own Argo CD configuration sets
# Needs go, git, helm and kustomize on PATH (npm run tools:install puts them in
# ~/.cache/home-ops/tools/bin). Usage: test/corpus/tools/run-all.sh [OUT]   (default /tmp/corpus-check)
set -eu
tools=$(cd "$(dirname "$0")" && pwd)
corpora=$(cd "$tools/../../../../shared/corpus" && pwd)
out=${1:-/tmp/corpus-check}
mkdir -p "$out/bin" "$out/repos"
(cd "$tools/appgen" && go build -o "$out/bin/appgen" .)
(cd "$tools/yamlcheck" && go build -o "$out/bin/yamlcheck" . && go build -o "$out/bin/argodump" ./cmd/argodump)

# corpus | regular expression of its own repoURL | kustomize build options from its Argo CD config
while IFS='|' read -r corpus self opts; do
  repo="$out/repos/$corpus"
  rm -rf "$repo" && cp -r "$corpora/$corpus" "$repo" && chmod -R u+w "$repo"
  (cd "$repo" && git init -q && git add -f -A && git -c user.name=check -c user.email=check@localhost commit -qm corpus)
  extra=""
  if [ "$corpus" = cterence__homelab-gitops ]; then
    # The workbench ApplicationSet only exists once its chart renders (default values).
    helm template workbench "$repo/k8s-apps/workbench" --namespace workbench > "$out/$corpus.workbench.yaml"
    extra="$out/$corpus.workbench.yaml"
  fi
  # shellcheck disable=SC2086
  "$out/bin/appgen" "$repo" "$self" $extra > "$out/$corpus.apps.json"
  "$out/bin/yamlcheck" "$repo" > "$out/$corpus.yaml.jsonl"
  "$tools/build-all.sh" "$repo" "$opts" > "$out/$corpus.kustomize.txt" 2>&1
  echo "$corpus: $(grep -c ' OK' "$out/$corpus.kustomize.txt") kustomizations build, $(grep -c ' FAIL' "$out/$corpus.kustomize.txt") fail; $(grep -vc '"check":"multi"' "$out/$corpus.yaml.jsonl") YAML findings"
done <<'TABLE'
seed-home-ops|swibrow/home-ops|--enable-helm --load-restrictor LoadRestrictionsNone
acelinkio__argocd-homelab|acelinkio/argocd-homelab|
cterence__homelab-gitops|cterence/homelab-gitops|
devxp-tech__gitops|devxp-tech/gitops|--enable-alpha-plugins --enable-helm --load-restrictor LoadRestrictionsNone
edgard__home-ops|edgard/home-ops|
kyleseneker__homelab|kyleseneker/homelab|
mineblow__home-ops|mineblow/home-ops|
TABLE
