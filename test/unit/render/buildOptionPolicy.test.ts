import { strict as assert } from 'node:assert';
import { resolveBuildOptions, screenBuildOptions } from '../../../src/core/render';
import { splitBuildOptions } from '../../../src/core/argocd/source';

const screen = (options: string, policy?: Parameters<typeof screenBuildOptions>[1]) => screenBuildOptions(splitBuildOptions(options), policy);

describe('render: build options a repository may choose', () => {
  it('passes flags that only change how manifests are built, with their values', () => {
    const all = '--enable-helm --load-restrictor LoadRestrictionsNone --reorder=none --helm-api-versions v1 --helm-api-versions=monitoring.coreos.com/v1 --helm-kube-version 1.31.0 --helm-debug --enable-managedby-label --stack-trace';
    assert.deepEqual(screen(all), { args: splitBuildOptions(all), refused: [] });
  });

  it('refuses flags that run or reach something, with the tokens that belong to them', () => {
    const r = screen('--enable-helm --helm-command ./pwn.sh --enable-exec --enable-alpha-plugins --mount type=bind,src=/,dst=/host --network --network-name=host -e AWS_SECRET_ACCESS_KEY -eTOKEN --env=X --as-current-user -o /etc/cron.d/x --output=out.yaml');
    assert.deepEqual(r.args, ['--enable-helm']);
    assert.deepEqual(
      r.refused.map((x) => [x.flag, x.text]),
      [
        ['--helm-command', '--helm-command ./pwn.sh'],
        ['--enable-exec', '--enable-exec'],
        ['--enable-alpha-plugins', '--enable-alpha-plugins'],
        ['--mount', '--mount type=bind,src=/,dst=/host'],
        ['--network', '--network'],
        ['--network-name', '--network-name=host'],
        ['--env', '-e AWS_SECRET_ACCESS_KEY'],
        ['--env', '-eTOKEN'],
        ['--env', '--env=X'],
        ['--as-current-user', '--as-current-user'],
        ['--output', '-o /etc/cron.d/x'],
        ['--output', '--output=out.yaml'],
      ],
    );
    assert.match(r.refused[0]?.why ?? '', /runs the program it names/);
  });

  it('refuses unknown flags (a newer kustomize may add one that runs something), taking a following value with them', () => {
    const r = screen('--enable-helm --plugin-dir ./plugins --frobnicate --load-restrictor LoadRestrictionsNone');
    assert.deepEqual(r.args, ['--enable-helm', '--load-restrictor', 'LoadRestrictionsNone']);
    assert.deepEqual(r.refused.map((x) => x.text), ['--plugin-dir ./plugins', '--frobnicate']);
    assert.match(r.refused[0]?.why ?? '', /does not know what it does/);
  });

  it('a value that looks like a flag belongs to the flag before it (as pflag parses it)', () => {
    // `--helm-kube-version --helm-command` gives the kube version the text "--helm-command": nothing runs.
    // The stray "./x" stays: kustomize refuses a second folder, as it would for Argo CD.
    assert.deepEqual(screen('--helm-kube-version --helm-command ./x'), { args: ['--helm-kube-version', '--helm-command', './x'], refused: [] });
  });

  it('the user allows flags by name (long or short), or trusts the repository entirely', () => {
    assert.deepEqual(screen('--enable-helm --enable-alpha-plugins -e X', { allowed: ['--enable-alpha-plugins', '-e'] }).args, ['--enable-helm', '--enable-alpha-plugins', '-e', 'X']);
    assert.deepEqual(screen('--enable-helm --helm-command ./pwn.sh', { allowed: ['--enable-exec'] }).refused.map((x) => x.flag), ['--helm-command']);
    assert.deepEqual(screen('--enable-helm --helm-command ./pwn.sh', { trustRepository: true }), { args: ['--enable-helm', '--helm-command', './pwn.sh'], refused: [] });
  });

  it('resolveBuildOptions screens the repository\'s options and the fallback alike, and says where they came from', () => {
    const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-cm\ndata:\n  kustomize.buildOptions: "--enable-helm --helm-command ./pwn.sh"\n';
    const r = resolveBuildOptions({ files: ['argocd/cm.yaml'], readText: () => cm }, '--enable-helm');
    assert.equal(r.options, '--enable-helm');
    assert.equal(r.origin, 'argocd/cm.yaml:6');
    assert.deepEqual(r.refused.map((x) => x.text), ['--helm-command ./pwn.sh']);
    assert.equal(resolveBuildOptions({ files: ['argocd/cm.yaml'], readText: () => cm }, '', { trustRepository: true }).options, '--enable-helm --helm-command ./pwn.sh');
    // A workspace can set the fallback setting: screened the same way.
    assert.deepEqual(resolveBuildOptions({ files: [], readText: () => undefined }, '--enable-exec').refused.map((x) => x.flag), ['--enable-exec']);
  });
});
