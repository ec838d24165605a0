import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { run } from '../../../src/cli/main';
import type { Problem } from '../../../src/core/problems';
import { RepositoryModel } from '../../../src/core/model/repositoryModel';
import { Linter } from '../../../src/core/rules';
import { applyPlan, ApplyError, categories, checkAppName, conventions, isPlanErrors, nodeWriter, planAddApp, type AddAppPlan } from '../../../src/core/scaffold';
import { EXAMPLE_REPO, SEED_CORPUS, appset, makeRepo } from '../../support/repo';
import { LEGACY_REPO, assertOnlyPlaceholders, copyRepo, failingWriter, listing, requireSeed, yamlOf } from './helpers';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(args, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

const problemKey = (p: { file: string; rule: string; message: string }) => `${p.file} ${p.rule} ${p.message}`;

function majority<T>(xs: T[]): T {
  const counts = new Map<string, { v: T; n: number }>();
  for (const x of xs) {
    const k = JSON.stringify(x);
    const c = counts.get(k) ?? { v: x, n: 0 };
    c.n++;
    counts.set(k, c);
  }
  return [...counts.values()].sort((a, b) => b.n - a.n)[0]!.v;
}

/** For each pair of keys in `keys`, most neighbours that have both put them in this order. */
function assertOrderLikeNeighbours(keys: string[], neighbours: string[][], what: string): void {
  for (let i = 0; i < keys.length; i++) {
    for (let j = i + 1; j < keys.length; j++) {
      const both = neighbours.filter((n) => n.includes(keys[i]!) && n.includes(keys[j]!));
      if (both.length === 0) continue;
      const agree = both.filter((n) => n.indexOf(keys[i]!) < n.indexOf(keys[j]!)).length;
      assert.ok(agree * 2 >= both.length, `${what}: ${keys[i]} before ${keys[j]}, but ${both.length - agree} of ${both.length} neighbours put it after`);
    }
  }
}

interface RepoCase {
  title: string;
  source: () => string;
  /** Category label, an app it already has, and the Application name prefix the appset adds. */
  category: string;
  existing: string;
  prefix: string;
  needsSeed?: boolean;
  /** Makes `${category} + name` clash with an Application of another appset; returns the name. */
  setupClash: (root: string, folder: string) => string;
}

/** An extra appset naming apps by basename, with a directory whose name is `<prefix><name>`. */
function addBasenameAppSet(root: string, appsetsDir: string, prefix: string): string {
  const base = `${path.posix.dirname(appsetsDir)}/extra`;
  fs.writeFileSync(
    path.join(root, appsetsDir, 'appset-extra.yaml'),
    appset('extra', `  goTemplate: true\n  generators:\n    - git:\n        repoURL: https://example.org/r\n        revision: HEAD\n        directories:\n          - path: ${base}/*\n  template:\n    metadata:\n      name: "{{.path.basename}}"\n    spec:\n      project: default\n      source: {repoURL: https://example.org/r, targetRevision: HEAD, path: "{{.path.path}}"}\n      destination: {server: https://kubernetes.default.svc, namespace: extra}\n`),
  );
  fs.mkdirSync(path.join(root, base, `${prefix}clash`), { recursive: true });
  fs.writeFileSync(path.join(root, base, `${prefix}clash`, 'kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: extra\nresources: []\n');
  return 'clash';
}

const CASES: RepoCase[] = [
  {
    title: 'the seed corpus',
    source: () => SEED_CORPUS,
    category: 'selfhosted',
    existing: 'echo-server',
    prefix: 'selfhosted-',
    needsSeed: true,
    setupClash: (root) => addBasenameAppSet(root, 'pitower/kubernetes/argocd', 'selfhosted-'),
  },
  {
    title: 'the example repository',
    source: () => EXAMPLE_REPO,
    category: 'selfhosted',
    existing: 'linkding',
    prefix: 'selfhosted-',
    setupClash: (root) => addBasenameAppSet(root, 'homelab/kubernetes/argocd', 'selfhosted-'),
  },
  {
    title: 'a repository with legacy {{path.basename}} appsets',
    source: () => LEGACY_REPO,
    category: 'web',
    existing: 'blog',
    prefix: 'web-',
    setupClash: () => 'forum', // misc/web-forum is generated as `web-forum` by the misc appset
  },
];

describe('scaffold: Add App', () => {
  describe('on a copy of the seed corpus', () => {
    let repo: { root: string; cleanup: () => void } | undefined;
    beforeEach(function () {
      requireSeed(this);
      repo = copyRepo(SEED_CORPUS);
    });
    afterEach(() => repo?.cleanup());

    it('add-app media my-app: the claim its values name is written like the neighbours\' and listed, the image is left to fill in', async () => {
      const root = repo!.root;
      const before = new Set(new Linter(new RepositoryModel(root)).run().map(problemKey));
      const r = await cli(['add-app', 'media', 'my-app', root]);
      assert.equal(r.code, 0, r.err);
      const dir = path.join(root, 'pitower/kubernetes/apps/media/my-app');
      assert.deepEqual(fs.readdirSync(dir).sort(), ['kustomization.yaml', 'pvc.yaml', 'values.yaml']);
      const values = fs.readFileSync(path.join(dir, 'values.yaml'), 'utf8');
      const claims = [...values.matchAll(/existingClaim: (\S+)/g)].map((m) => m[1]);
      assert.ok(claims.length > 0, 'the values claim a volume, like the neighbours\'');
      const pvcs = fs.readFileSync(path.join(dir, 'pvc.yaml'), 'utf8').split(/^---\n/m).filter((d) => d.trim() !== '').map((d) => parseYaml(d) as { kind: string; metadata: { name: string }; spec: { storageClassName: string; resources: { requests: { storage: string } } } });
      assert.deepEqual(pvcs.map((p) => `${p.kind} ${p.metadata.name}`), claims.map((c) => `PersistentVolumeClaim ${c}`));
      assert.equal(pvcs[0]!.spec.storageClassName, 'ceph-block', 'the storage class most neighbours use');
      assert.equal(pvcs[0]!.spec.resources.requests.storage, '1Gi', 'the size most neighbours give their first claim');
      assert.deepEqual(yamlOf(path.join(dir, 'kustomization.yaml'))['resources'], ['pvc.yaml']);
      assert.match(r.out, /pvc\.yaml: the PersistentVolumeClaim "my-app-config" the values claim/);
      // No invented image: the neighbours' ghcr.io/home-operations/<app> is a placeholder here.
      assert.match(values, /repository: <image repository>/);
      assertOnlyPlaceholders(root, 'pitower/kubernetes/apps/media/my-app', new Linter(new RepositoryModel(root)).run().filter((p) => !before.has(problemKey(p))), { some: true });
    });

    it('add-app media my-app --with externalsecret.yaml: a file the neighbours list, shaped like theirs and listed; `home-ops lint` then reports the placeholders only', async () => {
      const root = repo!.root;
      const lintJson = async () => {
        let out = '';
        const code = await run(['lint', root, '--format', 'json'], { out: (s) => (out += s), err: () => undefined });
        return { code, problems: JSON.parse(out) as Problem[] };
      };
      const before = new Set((await lintJson()).problems.map(problemKey));
      const offered = await cli(['add-app', 'media', 'my-app', root, '--dry-run']);
      assert.match(offered.out, /The apps of media also list externalsecret\.yaml \(2 of 7\): not written/);
      assert.equal((await cli(['add-app', 'media', 'my-app', root, '--with', 'nope.yaml'])).code, 1);
      const r = await cli(['add-app', 'media', 'my-app', root, '--with', 'externalsecret.yaml']);
      assert.equal(r.code, 0, r.err);
      const dir = path.join(root, 'pitower/kubernetes/apps/media/my-app');
      const secret = fs.readFileSync(path.join(dir, 'externalsecret.yaml'), 'utf8');
      assert.match(secret, /^---\n# yaml-language-server: \$schema=\S+externalsecret\S+\napiVersion: external-secrets\.io\/v1\nkind: ExternalSecret\nmetadata:\n {2}name: my-app\n/);
      assert.match(secret, /name: infisical\n/, 'what the neighbours share is kept');
      assert.match(secret, /key: <remoteRef key>\n/, 'what differs is a placeholder');
      assert.deepEqual(yamlOf(path.join(dir, 'kustomization.yaml'))['resources'], ['pvc.yaml', 'externalsecret.yaml']);
      const after = await lintJson();
      assert.equal(after.code, 0, 'placeholders are warnings: lint passes');
      assertOnlyPlaceholders(root, 'pitower/kubernetes/apps/media/my-app', after.problems.filter((p) => !before.has(problemKey(p))), { some: true });
    });

    it('add-app selfhosted my-app: the engine lists selfhosted-my-app in namespace selfhosted, lint finds nothing new, the kustomization follows its neighbours', async () => {
      const root = repo!.root;
      const before = new Set(new Linter(new RepositoryModel(root)).run().map(problemKey));
      const r = await cli(['add-app', 'selfhosted', 'my-app', root]);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /Application selfhosted-my-app in namespace selfhosted/);

      const model = new RepositoryModel(root);
      const app = model.apps().find((a) => a.name === 'selfhosted-my-app');
      assert.ok(app, 'the engine generates selfhosted-my-app');
      assert.equal(app.namespace, 'selfhosted');
      assert.equal(app.path, 'pitower/kubernetes/apps/selfhosted/my-app');
      assertOnlyPlaceholders(root, 'pitower/kubernetes/apps/selfhosted/my-app', new Linter(model).run().filter((p) => !before.has(problemKey(p))), { some: true });

      const dir = path.join(root, 'pitower/kubernetes/apps/selfhosted');
      const neighbours = fs.readdirSync(dir).filter((d) => d !== 'my-app' && fs.existsSync(path.join(dir, d, 'kustomization.yaml')));
      assert.ok(neighbours.length >= 10);
      const texts = neighbours.map((d) => fs.readFileSync(path.join(dir, d, 'kustomization.yaml'), 'utf8'));
      const data = neighbours.map((d) => yamlOf(path.join(dir, d, 'kustomization.yaml')));
      const charts = data.map((d) => (d['helmCharts'] as Array<Record<string, string>>)[0]!);
      const text = fs.readFileSync(path.join(dir, 'my-app/kustomization.yaml'), 'utf8');
      const mine = yamlOf(path.join(dir, 'my-app/kustomization.yaml'));
      const chart = (mine['helmCharts'] as Array<Record<string, string>>)[0]!;
      assert.equal(chart['name'], majority(charts.map((c) => c['name'])));
      assert.equal(chart['repo'], majority(charts.map((c) => c['repo'])));
      assert.equal(chart['version'], majority(charts.map((c) => c['version'])));
      assert.equal(chart['version'], '4.6.2');
      assert.equal(chart['releaseName'], 'my-app');
      assert.equal(chart['valuesFile'], majority(charts.map((c) => c['valuesFile'])));
      assert.equal(chart['namespace'], 'selfhosted');
      assert.equal(mine['namespace'], 'selfhosted');
      assert.equal(text.startsWith('---\n'), majority(texts.map((t) => t.startsWith('---\n'))));
      const modeline = (t: string) => /^# yaml-language-server: \$schema=\S+$/m.exec(t)?.[0] ?? null;
      assert.equal(modeline(text), majority(texts.map(modeline)));
      assert.notEqual(modeline(text), null, 'most selfhosted kustomizations carry a modeline');
      assertOrderLikeNeighbours(Object.keys(mine), data.map((d) => Object.keys(d)), 'kustomization keys');
      assertOrderLikeNeighbours(Object.keys(chart), charts.map((c) => Object.keys(c)), 'helmCharts entry keys');

      const values = fs.readFileSync(path.join(dir, 'my-app/values.yaml'), 'utf8');
      const v = yamlOf(path.join(dir, 'my-app/values.yaml')) as Record<string, Record<string, Record<string, unknown>>>;
      const container = (v['controllers']!['my-app'] as Record<string, Record<string, Record<string, Record<string, string>>>>)['containers']!['app']!;
      assert.equal(container['image']!['repository'], '<image repository>');
      assert.equal(container['image']!['tag'], '<image tag>');
      assert.ok((v['service']!['app'] as Record<string, unknown>)['ports'], 'service.app.ports like the neighbours');
      assert.ok(v['route'], 'most neighbours have a route');
      assert.doesNotMatch(values, /echo-server|whoami|miniflux/, 'no neighbour name leaks into the skeleton');
    });

    it('conventions: app-template 4.6.2 from the bjw-s OCI repository, by majority in the category', () => {
      const model = new RepositoryModel(repo!.root);
      const cat = categories(model).find((c) => c.label === 'selfhosted')!;
      const conv = conventions(model, cat);
      assert.deepEqual({ repo: conv.chart?.repo, name: conv.chart?.name, version: conv.chart?.version, from: conv.chart?.from }, { repo: 'oci://ghcr.io/bjw-s-labs/helm', name: 'app-template', version: '4.6.2', from: 'category' });
      assert.equal(conv.kustomization.docStart.value, true);
      assert.match(conv.kustomization.modeline?.value ?? '', /^# yaml-language-server: \$schema=/);
      assert.deepEqual(conv.kustomization.namespace, { rule: 'destination' });
      assert.equal(conv.namespaceTemplate, '{{index .path.segments 3}}');
    });

    it('plans the cursor on the first placeholder of values.yaml', () => {
      const model = new RepositoryModel(repo!.root);
      const plan = planAddApp(model, { category: 'selfhosted', name: 'my-app' }) as AddAppPlan;
      assert.ok(!isPlanErrors(plan));
      const values = plan.files.find((f) => f.path.endsWith('/values.yaml'))!;
      assert.equal(plan.cursor.file, values.path);
      const line = values.content.split('\n')[plan.cursor.line]!;
      assert.equal(line.slice(plan.cursor.character, plan.cursor.character + 18), '<image repository>');
    });

    it('--chart and --plain choose what to deploy; --dry-run writes nothing', async () => {
      const root = repo!.root;
      const before = listing(root);
      const r = await cli(['add-app', 'media', 'podinfo', root, '--chart', 'oci://ghcr.io/stefanprodan/charts/podinfo@6.7.1', '--dry-run']);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /==> pitower\/kubernetes\/apps\/media\/podinfo\/kustomization.yaml \(new\) <==/);
      assert.match(r.out, /- name: podinfo\n {4}repo: oci:\/\/ghcr.io\/stefanprodan\/charts\n {4}version: 6.7.1/);
      const plain = await cli(['add-app', 'media', 'static', root, '--plain', '--dry-run']);
      assert.equal(plain.code, 0, plain.err);
      assert.match(plain.out, /resources: \[\]/);
      assert.doesNotMatch(plain.out, /helmCharts/);
      assert.deepEqual(listing(root), before);
      assert.equal((await cli(['add-app', 'media', 'x', root, '--chart', 'nonsense'])).code, 2);
    });
  });

  for (const c of CASES) {
    describe(`refuses with a clear reason and touches nothing, on ${c.title}`, () => {
      let repo: { root: string; cleanup: () => void } | undefined;
      beforeEach(function () {
        if (c.needsSeed) requireSeed(this);
        repo = copyRepo(c.source());
      });
      afterEach(() => repo?.cleanup());

      const refused = async (args: string[], reason: RegExp) => {
        const root = repo!.root;
        const before = listing(root);
        const r = await cli([...args.slice(0, 3), root, ...args.slice(3)]);
        assert.equal(r.code, 1, `expected a refusal, got: ${r.out}${r.err}`);
        assert.match(r.err, reason);
        assert.deepEqual(listing(root), before, 'no file touched');
      };

      it('an existing directory', () => refused(['add-app', c.category, c.existing], new RegExp(`/${c.existing} already exists\\.`)));
      it('an invalid name', () => refused(['add-app', c.category, 'My_App'], /"My_App" is not a valid app name: use lower-case letters, digits and "-"/));
      it("a name that would clash with another appset's Application", () => {
        const name = c.setupClash(repo!.root, '');
        return refused(['add-app', c.category, name], new RegExp(`${c.prefix}${name} would clash with the Application generated by ApplicationSet \\w+ from \\S+${c.prefix}${name}`));
      });
      it('a name too long once the appset renders it', () => {
        const name = 'a'.repeat(63 - c.prefix.length + 1);
        return refused(['add-app', c.category, name], new RegExp(`"${c.prefix}${name}" \\(64 characters\\); Argo CD puts the name in a label, which allows 63`));
      });
      it('a read-only category folder', () => {
        const root = repo!.root;
        const model = new RepositoryModel(root);
        const cat = categories(model).find((x) => x.label === c.category)!;
        const abs = path.join(root, cat.folder);
        fs.chmodSync(abs, 0o555);
        const before = listing(root);
        const real = nodeWriter(root);
        const isRoot = process.getuid?.() === 0;
        if (isRoot) {
          // root writes through permission bits, and the writer says so honestly; a writer that
          // reports the folder read-only (as a read-only mount would) stands in for the refusal.
          assert.equal(real.cannotWrite(cat.folder), undefined);
        } else {
          assert.match(real.cannotWrite(cat.folder) ?? '', /is not writable \(EACCES\)/);
        }
        const writer = isRoot ? failingWriter(real, { notWritable: cat.folder }) : real;
        const plan = planAddApp(model, { category: cat, name: 'new-app' }, writer);
        assert.ok(isPlanErrors(plan), 'refused');
        assert.match(plan.errors.join('\n'), new RegExp(`${cat.folder.replace(/[/.]/g, '\\$&')} is not writable`));
        assert.deepEqual(listing(root), before, 'no file touched');
      });
    });
  }

  it('works on the example repository and on the legacy one, with the engine listing the new Application', async () => {
    for (const [src, category, expected, ns] of [
      [EXAMPLE_REPO, 'media', 'media-new-app', 'media'],
      [LEGACY_REPO, 'web', 'web-new-app', 'web'],
    ] as const) {
      const repo = copyRepo(src);
      try {
        const before = new Set(new Linter(new RepositoryModel(repo.root)).run().map(problemKey));
        const r = await cli(['add-app', category, 'new-app', repo.root]);
        assert.equal(r.code, 0, r.err);
        const model = new RepositoryModel(repo.root);
        const app = model.apps().find((a) => a.name === expected);
        assert.ok(app, `${expected} is generated`);
        assert.equal(app.namespace, ns);
        assertOnlyPlaceholders(repo.root, app.path as string, new Linter(model).run().filter((p) => !before.has(problemKey(p))));
      } finally {
        repo.cleanup();
      }
    }
  });

  it('legacy repository: plain kustomize like the neighbours, and an excluded directory is refused', () => {
    const model = new RepositoryModel(LEGACY_REPO);
    const plan = planAddApp(model, { category: 'web', name: 'notes' });
    assert.ok(!isPlanErrors(plan));
    assert.equal(plan.application.name, 'web-notes');
    assert.equal(plan.source.kind, 'plain');
    assert.equal(plan.files[0]!.content, 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: web\nresources: []\n');
    const excluded = checkAppName(model, categories(model).find((c) => c.label === 'web')!, 'tmp-x');
    assert.deepEqual(excluded.errors, ['clusters/home/apps/web/tmp-x is excluded by the pattern "clusters/home/apps/web/tmp-*" of ApplicationSet web: Argo CD would generate no Application for it.']);
  });

  it('checkAppName gives the generated name while typing', () => {
    const model = new RepositoryModel(EXAMPLE_REPO);
    const cat = categories(model).find((c) => c.label === 'observability')!;
    assert.equal(cat.folder, 'homelab/kubernetes/apps/observability');
    for (const name of ['g', 'gr', 'grafana']) {
      const r = checkAppName(model, cat, name);
      assert.deepEqual(r.errors, []);
      assert.equal(r.application?.name, `observability-${name}`);
      assert.equal(r.application?.namespace, 'observability');
    }
    assert.match(checkAppName(model, cat, 'graf-').errors[0] ?? '', /not a valid app name/);
    assert.match(checkAppName(model, cat, '').errors[0] ?? '', /Enter a name/);
  });

  it('applyPlan: a writer failing on the second file leaves nothing behind', () => {
    const repo = copyRepo(EXAMPLE_REPO);
    try {
      const model = new RepositoryModel(repo.root);
      const plan = planAddApp(model, { category: 'media', name: 'sonarr' });
      assert.ok(!isPlanErrors(plan));
      assert.equal(plan.files.length, 2);
      const before = listing(repo.root);
      assert.throws(() => applyPlan(plan, failingWriter(nodeWriter(repo.root), { failOnCreate: 2 })), (e: unknown) => e instanceof ApplyError && /ENOSPC.*Nothing was left behind/.test(e.message));
      assert.deepEqual(listing(repo.root), before);
      // and it never overwrites: a file appearing after planning stops the whole plan
      fs.mkdirSync(path.join(repo.root, plan.directory));
      fs.writeFileSync(path.join(repo.root, plan.files[1]!.path), 'mine\n');
      assert.throws(() => applyPlan(plan, nodeWriter(repo.root)), /values.yaml already exists; nothing was written/);
      assert.equal(fs.readFileSync(path.join(repo.root, plan.files[1]!.path), 'utf8'), 'mine\n');
      assert.equal(fs.existsSync(path.join(repo.root, plan.files[0]!.path)), false);
    } finally {
      repo.cleanup();
    }
  });

  it('one appset over apps/<cluster>/*/*: categories are its first-level folders', () => {
    const k = (ns: string, n: string) => `---\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: ${ns}\nhelmCharts:\n- name: podinfo\n  repo: https://stefanprodan.github.io/podinfo\n  version: 6.7.1\n  releaseName: ${n}\n  valuesFile: values.yaml\n`;
    const repo = makeRepo({
      'argocd/apps.yaml': appset('apps', `  goTemplate: true\n  goTemplateOptions: ["missingkey=error"]\n  generators:\n    - git:\n        repoURL: https://example.org/r\n        revision: HEAD\n        directories:\n          - path: kubernetes/apps/pitower/*/*\n  template:\n    metadata:\n      name: "{{index .path.segments 3}}-{{.path.basename}}"\n    spec:\n      project: default\n      source: {repoURL: https://example.org/r, targetRevision: HEAD, path: "{{.path.path}}"}\n      destination: {server: https://kubernetes.default.svc, namespace: "{{index .path.segments 3}}"}\n`),
      'kubernetes/apps/pitower/media/jellyfin/kustomization.yaml': k('media', 'jellyfin'),
      'kubernetes/apps/pitower/media/jellyfin/values.yaml': 'image:\n  tag: "10"\nreplicaCount: 1\n',
      'kubernetes/apps/pitower/media/sonarr/kustomization.yaml': k('media', 'sonarr'),
      'kubernetes/apps/pitower/media/sonarr/values.yaml': 'image:\n  tag: "4"\nreplicaCount: 1\n',
      'kubernetes/apps/pitower/tools/echo/kustomization.yaml': k('tools', 'echo'),
      'kubernetes/apps/pitower/tools/echo/values.yaml': 'replicaCount: 2\n',
    });
    try {
      const model = new RepositoryModel(repo.root);
      const cats = categories(model);
      assert.deepEqual(cats.map((c) => [c.label, c.folder, c.pattern]), [
        ['media', 'kubernetes/apps/pitower/media', 'kubernetes/apps/pitower/media/*'],
        ['tools', 'kubernetes/apps/pitower/tools', 'kubernetes/apps/pitower/tools/*'],
      ]);
      const plan = planAddApp(model, { category: 'media', name: 'radarr' });
      assert.ok(!isPlanErrors(plan));
      assert.equal(plan.application.name, 'media-radarr');
      assert.equal(plan.files[0]!.content, '---\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: media\nhelmCharts:\n- name: podinfo\n  repo: https://stefanprodan.github.io/podinfo\n  version: 6.7.1\n  releaseName: radarr\n  valuesFile: values.yaml\n');
      assert.equal(plan.files[1]!.content, 'image:\n  tag: <image tag>\nreplicaCount: 1\n');
    } finally {
      repo.cleanup();
    }
  });
});
