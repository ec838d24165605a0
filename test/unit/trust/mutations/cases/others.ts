/**
 * The three other repositories: mineblow__home-ops (legacy directory generators over Helm
 * umbrella charts and plain YAML folders), cterence__homelab-gitops (a list generator over Helm
 * umbrella charts) and acelinkio__argocd-homelab (a files generator over multi-document
 * manifest.yaml files that the generated Applications also apply).
 */
import type { MutationCase } from '../types';
import { FACTS, controller, generatorFileAccepted, helmAccepts, helmRefuses, manifestsAccepted, manifestsRefused } from './helpers';

const mineblow = 'mineblow__home-ops' as const;
const cterence = 'cterence__homelab-gitops' as const;
const acelinkio = 'acelinkio__argocd-homelab' as const;
const H = 'kubernetes/helm';
const ORCH = 'kubernetes/manifests/argocd/orchestrator';

export const OTHER_CASES: MutationCase[] = [
  // ---------------------------------------------------------------- mineblow
  {
    id: 'mineblow/metallb-values-tab',
    corpus: mineblow,
    class: 'values-syntax',
    description: 'values.yaml of the networking/metallb chart: the speaker priority class indented with a tab',
    edits: [{ replace: `${H}/networking/metallb/values.yaml`, find: '    priorityClassName: system-cluster-critical\n', with: '\tpriorityClassName: system-node-critical\n', nth: 1 }],
    expect: [{ file: `${H}/networking/metallb/values.yaml`, line: 6, rule: 'yaml-syntax', severity: 'error', text: 'priorityClassName: system-node-critical' }],
    consumer: helmRefuses(`${H}/networking/metallb/values.yaml`, 'error converting YAML to JSON'),
  },
  {
    id: 'mineblow/metallb-pool-unclosed-flow-list',
    corpus: mineblow,
    class: 'plain-manifest-syntax',
    description: 'manifests/config.yaml of networking/metallb (a plain YAML folder): the address pool rewritten as `[192.168.1.200-192.168.1.250` without `]`',
    edits: [{ replace: `${H}/networking/metallb/manifests/config.yaml`, find: '  addresses:\n  - 192.168.1.200-192.168.1.250\n', with: '  addresses: [192.168.1.200-192.168.1.250\n' }],
    expect: [{ file: `${H}/networking/metallb/manifests/config.yaml`, line: 6, rule: 'yaml-syntax', severity: 'error', text: 'addresses: [192.168.1.200-192.168.1.250' }],
    consumer: manifestsRefused(`${H}/networking/metallb/manifests/config.yaml`, "did not find expected ',' or ']'"),
  },
  {
    id: 'mineblow/prod-issuer-email-twice',
    corpus: mineblow,
    class: 'plain-manifest-duplicate-key',
    description: 'manifests/prod-issuer.yaml of security/certmanager: a new ACME `email:` added at the end of `acme` while the old one stays; Argo CD keeps the last',
    edits: [{ replace: `${H}/security/certmanager/manifests/prod-issuer.yaml`, find: '    server: https://acme-v02.api.letsencrypt.org/directory\n', with: '    server: https://acme-v02.api.letsencrypt.org/directory\n    email: acme@mineblow.com\n' }],
    expect: [{ file: `${H}/security/certmanager/manifests/prod-issuer.yaml`, line: 10, rule: 'duplicate-key-last-wins', severity: 'warning', text: 'email: acme@mineblow.com' }],
    consumer: manifestsAccepted(`${H}/security/certmanager/manifests/prod-issuer.yaml`, { has: ['"email":"acme@mineblow.com"'], lacks: ['certs@mineblow.com'] }),
  },
  {
    id: 'mineblow/manifest-helm-apps-legacy-segment-shifted',
    corpus: mineblow,
    class: 'appset-template',
    description: 'manifest-helm-apps.yaml: the name template `{{path[4]}}-manifests` instead of path[3] — path[4] is "manifests" for every chart, so all the Applications are named manifests-manifests',
    edits: [{ replace: `${ORCH}/manifest-helm-apps.yaml`, find: '      name: "{{path[3]}}-manifests"\n', with: '      name: "{{path[4]}}-manifests"\n' }],
    expect: [{ file: `${ORCH}/manifest-helm-apps.yaml`, line: 17, rule: 'duplicate-app-name', severity: 'error', text: '{{path[4]}}' }],
    consumer: controller(FACTS.duplicateName),
  },
  {
    id: 'mineblow/helm-apps-appset-key-misindented',
    corpus: mineblow,
    class: 'argocd-manifest-syntax',
    description: 'helm-apps.yaml (applied by the self-managing manifest-apps ApplicationSet): `ignoreMissingValueFiles: true` added under helm one space deeper than `valueFiles`',
    edits: [{ replace: `${ORCH}/helm-apps.yaml`, find: '            - values.yaml\n', with: '            - values.yaml\n           ignoreMissingValueFiles: true\n' }],
    expect: [{ file: `${ORCH}/helm-apps.yaml`, line: 26, rule: 'yaml-syntax', severity: 'error', text: 'ignoreMissingValueFiles: true' }],
    consumer: manifestsRefused(`${ORCH}/helm-apps.yaml`, 'did not find expected'),
  },
  {
    id: 'mineblow/new-chart-folder-without-chart-yaml',
    corpus: mineblow,
    class: 'app-folder',
    description: 'kubernetes/helm/media/jellyfin: a new app folder with values.yaml but no Chart.yaml yet; the ApplicationSet\'s source says `helm:`, so Argo CD runs helm on it, which fails',
    edits: [{ create: `${H}/media/jellyfin/values.yaml`, text: 'jellyfin:\n  image:\n    tag: 10.11.6\n' }],
    expect: [{ file: `${H}/media/jellyfin/values.yaml`, line: 1, rule: 'app-dir-empty', severity: 'error', text: 'jellyfin:' }],
    consumer: controller(FACTS.helmWithoutChart),
  },
  {
    id: 'mineblow/control-coredns-manifests-notes-file',
    corpus: mineblow,
    class: 'control',
    description: 'manifests/ of networking/coredns (a plain YAML folder): a NOTES.md beside the manifests — Argo CD reads only .yaml, .yml and .json there',
    edits: [{ create: `${H}/networking/coredns/manifests/NOTES.md`, text: '# blocklist\n\nkey: value: not yaml\n' }],
    consumer: manifestsAccepted(`${H}/networking/coredns/manifests/pvc.yaml`),
  },
  // ---------------------------------------------------------------- cterence
  {
    id: 'cterence/mosquitto-values-port-list-misindented',
    corpus: cterence,
    class: 'values-syntax',
    description: 'values.yaml of the mosquitto chart: `targetPort` of the websockets port dedented by one space',
    edits: [{ replace: 'k8s-apps/mosquitto/values.yaml', find: '          port: 9001\n          targetPort: 9001\n', with: '          port: 9001\n         targetPort: 9001\n' }],
    expect: [{ file: 'k8s-apps/mosquitto/values.yaml', line: 19, rule: 'yaml-syntax', severity: 'error', text: 'targetPort: 9001' }],
    consumer: helmRefuses('k8s-apps/mosquitto/values.yaml', 'error converting YAML to JSON'),
  },
  {
    id: 'cterence/mosquitto-values-image-twice',
    corpus: cterence,
    class: 'values-duplicate-key',
    description: 'values.yaml of the mosquitto chart: a second `image:` block under `mosquitto:` for a new tag; helm keeps the last, dropping the repository',
    edits: [{ replace: 'k8s-apps/mosquitto/values.yaml', find: '  service:\n', with: '  image:\n    tag: 2.0.23\n  service:\n' }],
    expect: [{ file: 'k8s-apps/mosquitto/values.yaml', line: 7, rule: 'duplicate-key-last-wins', severity: 'warning', text: 'image:' }],
    consumer: helmAccepts('k8s-apps/mosquitto/values.yaml', { has: ['tag: 2.0.23'], lacks: ['eclipse-mosquitto'] }),
  },
  {
    id: 'cterence/applicationset-list-element-twice',
    corpus: cterence,
    class: 'appset-template',
    description: 'argocd-apps/applicationset.yaml: `- name: loki` added to the list a second time when re-enabling the app',
    edits: [{ replace: 'argocd-apps/applicationset.yaml', find: '          - name: zigbee2mqtt\n', with: '          - name: zigbee2mqtt\n          - name: loki\n' }],
    expect: [{ file: 'argocd-apps/applicationset.yaml', line: 78, rule: 'duplicate-app-name', severity: 'error', text: 'name: "{{ .name }}"' }],
    consumer: controller(FACTS.duplicateName),
  },
  // ---------------------------------------------------------------- acelinkio
  {
    id: 'acelinkio/miniflux-manifest-third-document-tab',
    corpus: acelinkio,
    class: 'plain-manifest-syntax',
    description: 'manifest.yaml of pineapp/miniflux (read by the files generator, applied by its Application): a tab in the third document — the generator reads only the first document, the Application applies them all',
    edits: [{ replace: 'pineapp/miniflux/manifest.yaml', find: '  name: sso\n  namespace: miniflux\n', with: '  name: sso\n\tlabels: {}\n  namespace: miniflux\n' }],
    expect: [{ file: 'pineapp/miniflux/manifest.yaml', line: 35, rule: 'yaml-syntax', severity: 'error', text: 'labels: {}' }],
    consumer: manifestsRefused('pineapp/miniflux/manifest.yaml', 'found a tab character that violates indentation'),
  },
  {
    id: 'acelinkio/control-mealie-manifest-new-document',
    corpus: acelinkio,
    class: 'control',
    description: 'manifest.yaml of pineapp/mealie: a ConfigMap appended as a new document — the files generator still reads the first document only',
    edits: [{ append: 'pineapp/mealie/manifest.yaml', text: '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: mealie-extra\n  namespace: mealie\ndata:\n  TZ: Europe/Paris\n' }],
    consumer: generatorFileAccepted('pineapp/mealie/manifest.yaml', { has: ['"name":"mealie"'], lacks: ['mealie-extra'] }),
  },
];
