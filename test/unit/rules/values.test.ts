/**
 * Values files checked against their chart's values.schema.json (values-schema), the notice that
 * a chart is not available (values-chart-unavailable, in open files only) and the optional
 * unknown-key hint for charts without a schema. Charts come from test/fixtures/charts: written
 * for these tests, shaped like app-template (draft-07, $refs, closed mappings), an umbrella with
 * aliases, and one without a schema; every expectation here was checked against helm v3.22
 * (`helm template` refuses exactly these values, and renders the ones said to pass).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ChartStore } from '../../../src/core/charts';
import { RepositoryModel } from '../../../src/core/model/repositoryModel';
import type { Problem } from '../../../src/core/problems';
import { Linter, type RuleId, type SeveritySetting } from '../../../src/core/rules';
import { CHART_FIXTURES, fixtureStore, folderFiles } from '../../support/chartArchive';
import { makeRepo, type RepoFiles, type TempRepo } from '../../support/repo';

const OCI = 'oci://ghcr.io/bjw-s-labs/helm';
const HTTP = 'https://charts.example.test';

const KUSTOMIZATION = (extra = '', chart = `  - name: app-template\n    repo: ${OCI}\n    version: 4.6.2\n    releaseName: sonarr\n    valuesFile: values.yaml\n`) =>
  `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nhelmCharts:\n${chart}${extra}`;

const GOOD_VALUES = `controllers:
  sonarr:
    containers:
      app:
        image:
          repository: ghcr.io/home-operations/sonarr
          tag: 4.0.14
service:
  app:
    controller: sonarr
    ports:
      http:
        port: 8989
`;

let repo: TempRepo | undefined;
afterEach(() => {
  repo?.cleanup();
  repo = undefined;
});

function lint(files: RepoFiles, options: { store?: ChartStore; overlays?: Map<string, string>; severities?: Partial<Record<RuleId, SeveritySetting>> } = {}): { problems: Problem[]; model: RepositoryModel } {
  repo = makeRepo(files);
  const model = new RepositoryModel(repo.root, { ...(options.store ? { charts: options.store } : {}), ...(options.overlays ? { overlays: options.overlays } : {}) });
  const problems = new Linter(model).run({ ...(options.severities ? { severities: options.severities } : {}) });
  return { problems, model };
}

const of = (problems: Problem[], rule: string) => problems.filter((p) => p.rule === rule);
const at = (p: Problem) => `${p.file}:${p.range.start.line + 1}:${p.range.start.character + 1}-${p.range.end.character + 1}`;

describe('values-schema: values files against their chart', () => {
  const store = () => fixtureStore([{ repo: OCI, dir: 'app-template', version: '4.6.2' }]);

  it('a kustomize helmCharts values file: wrong type, value not in the enum, unknown key, missing required key, each at its place', () => {
    const values = `controlers: {}
controllers:
  sonarr:
    type: deploymnt
    containers:
      app:
        image:
          repository: ghcr.io/home-operations/sonarr
service:
  app:
    ports:
      http:
        port: "8989"
`;
    const { problems } = lint({ 'apps/sonarr/kustomization.yaml': KUSTOMIZATION(), 'apps/sonarr/values.yaml': values }, { store: store() });
    const found = of(problems, 'values-schema');
    assert.deepEqual(found.map(at).sort(), ['apps/sonarr/values.yaml:1:1-11', 'apps/sonarr/values.yaml:13:15-21', 'apps/sonarr/values.yaml:4:11-20', 'apps/sonarr/values.yaml:7:9-14'].sort());
    const byLine = new Map(found.map((p) => [p.range.start.line + 1, p]));
    assert.match(byLine.get(1)?.message ?? '', /Unknown field `controlers`.*did you mean `controllers`/);
    assert.match(byLine.get(4)?.message ?? '', /must be one of deployment, statefulset.*did you mean `deployment`/);
    assert.match(byLine.get(7)?.message ?? '', /`image.tag` is required/);
    assert.match(byLine.get(13)?.message ?? '', /`port` must be an integer, not a string/);
    assert.ok(found.every((p) => p.severity === 'error' && /chart app-template 4\.6\.2/.test(p.message)));
  });

  it('values the schema accepts give nothing; the chart is asked of the cache by repository, name and exact version', () => {
    const s = store();
    const { problems } = lint({ 'apps/sonarr/kustomization.yaml': KUSTOMIZATION(), 'apps/sonarr/values.yaml': GOOD_VALUES }, { store: s });
    assert.deepEqual(of(problems, 'values-schema'), []);
    assert.ok(s.asked.includes(`${OCI}|app-template|4.6.2`));
  });

  it('without the chart nothing is checked, and the notice appears only in a file open in the editor', () => {
    const files = { 'apps/sonarr/kustomization.yaml': KUSTOMIZATION(), 'apps/sonarr/values.yaml': 'controllers: {sonarr: {type: nope}}\n' };
    const closed = lint(files);
    assert.deepEqual(closed.problems.filter((p) => p.rule.startsWith('values-')), []);
    repo?.cleanup();
    const open = lint(files, { overlays: new Map([['apps/sonarr/values.yaml', files['apps/sonarr/values.yaml']]]) });
    const notes = of(open.problems, 'values-chart-unavailable');
    assert.deepEqual(notes.map(at), ['apps/sonarr/values.yaml:1:1-1']);
    assert.equal(notes[0]?.severity, 'info');
    assert.match(notes[0]?.message ?? '', /oci:\/\/ghcr\.io\/bjw-s-labs\/helm\/app-template 4\.6\.2 is not in the chart cache.*home-ops charts pull/);
  });

  it("kustomize's own layout: a chart already pulled into charts/<name>-<version>/<name> is the one it uses (even Git-ignored)", () => {
    const files: RepoFiles = { '.gitignore': 'charts/\n', 'apps/sonarr/kustomization.yaml': KUSTOMIZATION(), 'apps/sonarr/values.yaml': 'controllers:\n  sonarr:\n    replicas: two\n' };
    for (const [rel, bytes] of folderFiles(path.join(CHART_FIXTURES, 'app-template'))) files[`apps/sonarr/charts/app-template-4.6.2/app-template/${rel}`] = bytes;
    const { problems } = lint(files);
    assert.deepEqual(of(problems, 'values-schema').map(at), ['apps/sonarr/values.yaml:3:15-18']);
    assert.match(of(problems, 'values-schema')[0]?.message ?? '', /`replicas` must be an integer or empty, not a string/);
  });

  it('a local chart without repo is chartHome/<name>, helmGlobals.chartHome included', () => {
    const files: RepoFiles = {
      'apps/x/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nhelmGlobals:\n  chartHome: ../../vendor\nhelmCharts:\n  - name: app-template\n    valuesFile: values.yaml\n`,
      'apps/x/values.yaml': 'defaultPodOptions:\n  restartPolicy: Sometimes\n',
    };
    for (const [rel, bytes] of folderFiles(path.join(CHART_FIXTURES, 'app-template'))) files[`vendor/app-template/${rel}`] = bytes;
    const { problems } = lint(files);
    assert.deepEqual(of(problems, 'values-schema').map(at), ['apps/x/values.yaml:2:18-27']);
  });

  it('helm checks the merged values: a later additionalValuesFiles entry that fixes a value leaves nothing; one that breaks it is reported there', () => {
    const chart = `  - name: app-template\n    repo: ${OCI}\n    version: 4.6.2\n    valuesFile: values.yaml\n    additionalValuesFiles:\n      - override.yaml\n`;
    const fixed = lint({ 'a/kustomization.yaml': KUSTOMIZATION('', chart), 'a/values.yaml': 'controllers: {main: {replicas: two}}\n', 'a/override.yaml': 'controllers: {main: {replicas: 2}}\n' }, { store: store() });
    assert.deepEqual(of(fixed.problems, 'values-schema'), []);
    repo?.cleanup();
    const broken = lint({ 'a/kustomization.yaml': KUSTOMIZATION('', chart), 'a/values.yaml': 'controllers: {main: {replicas: 2}}\n', 'a/override.yaml': 'controllers:\n  main:\n    replicas: "2"\n' }, { store: store() });
    assert.deepEqual(of(broken.problems, 'values-schema').map(at), ['a/override.yaml:3:15-18']);
  });

  it('valuesInline is checked in the kustomization, and overrides the values file by default (valuesMerge: override)', () => {
    const chart = `  - name: app-template\n    repo: ${OCI}\n    version: 4.6.2\n    valuesFile: values.yaml\n    valuesInline:\n      controllers:\n        main:\n          type: cron\n`;
    const { problems } = lint({ 'a/kustomization.yaml': KUSTOMIZATION('', chart), 'a/values.yaml': 'controllers: {main: {type: job}}\n' }, { store: store() });
    assert.deepEqual(of(problems, 'values-schema').map(at), ['a/kustomization.yaml:11:17-21']);
  });

  it('a null removes a chart default (helm coalescing): nothing to check there', () => {
    const { problems } = lint({ 'a/kustomization.yaml': KUSTOMIZATION(), 'a/values.yaml': 'defaultPodOptions: null\n' }, { store: store() });
    assert.deepEqual(of(problems, 'values-schema'), []);
  });

  it('an umbrella chart app: subchart values under each alias against that subchart’s schema, global allowed, a disabled dependency not checked, a dependency from the cache', () => {
    const files: RepoFiles = {
      '.git/config': '[remote "origin"]\n\turl = https://github.com/me/home-ops.git\n',
      'argocd/umbrella.yaml': `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: umbrella, namespace: argocd}\nspec:\n  project: default\n  source: {repoURL: https://github.com/me/home-ops.git, path: charts/umbrella, targetRevision: HEAD}\n  destination: {server: https://kubernetes.default.svc, namespace: web}\n`,
    };
    for (const dir of ['umbrella', 'app-template']) for (const [rel, bytes] of folderFiles(path.join(CHART_FIXTURES, dir))) files[`charts/${dir}/${rel}`] = bytes;
    const umbrellaValues = fs.readFileSync(path.join(CHART_FIXTURES, 'umbrella/values.yaml'), 'utf8');
    files['charts/umbrella/values.yaml'] = umbrellaValues.replace('size: small', 'size: huge').replace('            tag: "1.0"', '            tag: "1.0"\n      replicas: two');
    const s = fixtureStore([{ repo: HTTP, dir: 'plain', version: '1.2.0' }]);
    const { problems } = lint(files, { store: s });
    assert.deepEqual(of(problems, 'values-schema').map(at).sort(), ['charts/umbrella/values.yaml:12:17-20', 'charts/umbrella/values.yaml:21:9-13'].sort());
    assert.match(problems.find((p) => p.range.start.line === 20)?.message ?? '', /`size` must be one of small, medium, large.*chart umbrella/);
    assert.ok(s.asked.includes(`${HTTP}|plain|1.2.0`), 'the remote dependency is asked of the cache at its Chart.lock version');
    repo?.cleanup();
    files['charts/umbrella/values.yaml'] = (files['charts/umbrella/values.yaml'] as string).replace('  enabled: true', '  enabled: false');
    const disabled = lint(files, { store: s });
    assert.deepEqual(of(disabled.problems, 'values-schema').map(at), ['charts/umbrella/values.yaml:12:17-20']);
  });

  it('Argo CD: a chart of a Helm repository with $values files of this repository, and valuesObject in an Application', () => {
    const app = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: web, namespace: argocd}
spec:
  project: default
  sources:
    - repoURL: ghcr.io/bjw-s-labs/helm
      chart: app-template
      targetRevision: 4.6.2
      helm:
        valueFiles: [$values/apps/web/values.yaml]
        valuesObject:
          controllers:
            web:
              enabled: "yes"
    - repoURL: https://github.com/me/home-ops.git
      targetRevision: HEAD
      ref: values
  destination: {server: https://kubernetes.default.svc, namespace: web}
`;
    const { problems } = lint({ '.git/config': '[remote "origin"]\n\turl = https://github.com/me/home-ops.git\n', 'argocd/web.yaml': app, 'apps/web/values.yaml': 'service:\n  web:\n    ports:\n      http: {port: 80, protocol: SCTP}\n' }, { store: store() });
    assert.deepEqual(of(problems, 'values-schema').map(at).sort(), ['apps/web/values.yaml:4:34-38', 'argocd/web.yaml:15:24-29'].sort());
  });

  it("Argo CD's helm.values (YAML in a string) is checked too, at the value inside a block scalar, else at its key, with the path inside it", () => {
    const app = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: web, namespace: argocd}
spec:
  project: default
  source:
    repoURL: ghcr.io/bjw-s-labs/helm
    chart: app-template
    targetRevision: 4.6.2
    helm:
      values: |
        controllers:
          web:
            replicas: many
  destination: {server: https://kubernetes.default.svc, namespace: web}
`;
    const { problems } = lint({ 'argocd/web.yaml': app }, { store: store() });
    const found = of(problems, 'values-schema');
    assert.deepEqual(found.map(at), ['argocd/web.yaml:14:23-27']);
    assert.match(found[0]?.message ?? '', /`replicas` must be an integer or empty, not a string \(at `controllers\.web\.replicas` of these values\)/);
    repo?.cleanup();
    // A string with escapes: its offsets are not the file's, so the key it is.
    const quoted = app.replace(/values: \|\n(?: {8}.*\n)+/, 'values: "controllers:\\n  web:\\n    replicas: many\\n"\n');
    const atKey = of(lint({ 'argocd/web.yaml': quoted }, { store: store() }).problems, 'values-schema');
    assert.deepEqual(atKey.map(at), ['argocd/web.yaml:11:7-13']);
  });

  describe('inline values of an ApplicationSet template, as each generated Application renders them', () => {
    const appset = (helm: string, elements = '[{name: alpha, kind: deployment}, {name: beta, kind: deploymnt}, {name: gamma, kind: deployment}, {name: delta, kind: deployment}]') => `apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: web, namespace: argocd}
spec:
  goTemplate: true
  generators:
    - list:
        elements: ${elements}
  template:
    metadata: {name: '{{.name}}'}
    spec:
      project: default
      source:
        repoURL: ghcr.io/bjw-s-labs/helm
        chart: app-template
        targetRevision: 4.6.2
        helm:
${helm}
      destination: {server: https://kubernetes.default.svc, namespace: '{{.name}}'}
`;

    it('valuesObject: a mistake all share is one report naming them, a templated value is checked per app and names the app it fails for', () => {
      const helm = `          valuesObject:
            controllers:
              main:
                type: '{{.kind}}'
                enabled: "yes"`;
      const { problems } = lint({ 'argocd/web.yaml': appset(helm) }, { store: store() });
      const found = of(problems, 'values-schema');
      assert.deepEqual(found.map(at).sort(), ['argocd/web.yaml:21:23-34', 'argocd/web.yaml:22:26-31'].sort());
      const byLine = new Map(found.map((p) => [p.range.start.line + 1, p.message]));
      assert.match(byLine.get(21) ?? '', /^For beta: .*must be one of deployment/);
      assert.match(byLine.get(22) ?? '', /^For alpha, beta, delta and 1 more: /);
    });

    it('values the chart accepts for every generated app give nothing; the chart missing is one notice at the template in an open file', () => {
      const helm = `          valuesObject:
            controllers:
              main:
                type: '{{.kind}}'`;
      const good = appset(helm, '[{name: alpha, kind: deployment}, {name: beta, kind: statefulset}]');
      assert.deepEqual(of(lint({ 'argocd/web.yaml': good }, { store: store() }).problems, 'values-schema'), []);
      repo?.cleanup();
      const open = lint({ 'argocd/web.yaml': good }, { overlays: new Map([['argocd/web.yaml', good]]) });
      assert.deepEqual(of(open.problems, 'values-chart-unavailable').map(at), ['argocd/web.yaml:15:16-28']);
    });

    it('helm.values in the template: at the value inside the block scalar when it is plain YAML, else at the key, naming the apps', () => {
      const plain = `          values: |
            controllers:
              main:
                replicas: many`;
      const found = of(lint({ 'argocd/web.yaml': appset(plain) }, { store: store() }).problems, 'values-schema');
      assert.deepEqual(found.map(at), ['argocd/web.yaml:21:27-31']);
      assert.match(found[0]?.message ?? '', /^For alpha, beta, delta and 1 more: `replicas` must be an integer/);
      repo?.cleanup();
      // `type: {{.kind}}` is not YAML until rendered: the rendered values are checked, reported at the key.
      const templated = `          values: |
            controllers:
              main:
                type: {{.kind}}`;
      const atKey = of(lint({ 'argocd/web.yaml': appset(templated) }, { store: store() }).problems, 'values-schema');
      assert.deepEqual(atKey.map(at), ['argocd/web.yaml:18:11-17']);
      assert.match(atKey[0]?.message ?? '', /^For beta: /);
    });

    it("values a generator's own template brings are not checked (no single place wrote them)", () => {
      const files = {
        'argocd/web.yaml': appset('          valueFiles: []').replace(
          '        elements: [',
          "        template:\n          metadata: {}\n          spec:\n            project: default\n            source:\n              repoURL: ghcr.io/bjw-s-labs/helm\n              helm:\n                valuesObject: {controllers: {main: {enabled: 'yes'}}}\n            destination: {}\n        elements: [",
        ),
      };
      const { problems, model } = lint(files, { store: store() });
      // The generated Applications do have the wrong values: only where to say it is missing.
      assert.deepEqual(model.apps().map((a) => JSON.stringify(a.manifest['spec']).includes('"enabled":"yes"')), [true, true, true, true]);
      assert.deepEqual(of(problems, 'values-schema'), []);
    });
  });

  it('the notice in an open kustomization is at the chart reference', () => {
    const files = { 'apps/sonarr/kustomization.yaml': KUSTOMIZATION(), 'apps/sonarr/values.yaml': GOOD_VALUES };
    const { problems } = lint(files, { overlays: new Map([['apps/sonarr/kustomization.yaml', files['apps/sonarr/kustomization.yaml']]]) });
    assert.deepEqual(of(problems, 'values-chart-unavailable').map(at), ['apps/sonarr/kustomization.yaml:4:11-23']);
  });

  it('a schema without $schema is read as helm reads it: JSON Schema 2020-12 ($ref siblings apply); draft-07 when it says so', () => {
    const chart = (schema: object): RepoFiles => ({
      'a/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nhelmCharts:\n  - name: c\n    valuesFile: values.yaml\n`,
      'a/values.yaml': 'x: abcd\n',
      'a/charts/c/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n',
      'a/charts/c/values.schema.json': JSON.stringify(schema),
    });
    const latest = lint(chart({ properties: { x: { $ref: '#/$defs/s', maxLength: 2 } }, $defs: { s: { type: 'string' } } }));
    assert.deepEqual(of(latest.problems, 'values-schema').map(at), ['a/values.yaml:1:4-8']);
    repo?.cleanup();
    const draft7 = lint(chart({ $schema: 'http://json-schema.org/draft-07/schema#', properties: { x: { $ref: '#/definitions/s', maxLength: 2 } }, definitions: { s: { type: 'string' } } }));
    assert.deepEqual(of(draft7.problems, 'values-schema'), []);
  });

  it('a schema pattern that backtracks exponentially in JavaScript is not run (helm runs RE2): the lint ends, the rest is checked', () => {
    const files: RepoFiles = {
      'a/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nhelmCharts:\n  - name: c\n    valuesFile: values.yaml\n`,
      'a/values.yaml': `x: "${'a'.repeat(40)}!"\nz: 1\n`,
      'a/charts/c/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 0.1.0\n',
      'a/charts/c/values.schema.json': JSON.stringify({ properties: { x: { type: 'string', pattern: '^(a+)+$' }, z: { type: 'string' } } }),
    };
    const { problems } = lint(files);
    assert.deepEqual(of(problems, 'values-schema').map(at), ['a/values.yaml:2:4-5']);
  });

  it('values-unknown-key (off by default) flags a key the defaults of a chart without schema lack; `global` and open mappings are fine', () => {
    const files: RepoFiles = {
      'a/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nhelmCharts:\n  - name: plain\n    repo: ${HTTP}\n    version: 1.2.0\n    valuesFile: values.yaml\n`,
      'a/values.yaml': 'replicaCont: 2\nglobal: {x: 1}\npodAnnotations: {a: b}\nimage: {tag: "2", digest: sha}\n',
    };
    const s = fixtureStore([{ repo: HTTP, dir: 'plain', version: '1.2.0' }]);
    assert.deepEqual(lint(files, { store: s }).problems.filter((p) => p.rule.startsWith('values-')), []);
    repo?.cleanup();
    const on = lint(files, { store: s, severities: { 'values-unknown-key': 'warning' } });
    assert.deepEqual(of(on.problems, 'values-unknown-key').map(at), ['a/values.yaml:1:1-12', 'a/values.yaml:4:19-25']);
  });
});
