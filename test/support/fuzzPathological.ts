/**
 * Pathological inputs for the robustness tests: each is a small repository (path → content) that
 * stresses one bound of the engine (alias expansion, nesting depth, file size, template size and
 * execution, file-system oddities). Contents are built lazily: some are 10 MB.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { makeRng } from './fuzzMutate';
import type { TempRepo } from './repo';

export interface PathologicalCase {
  name: string;
  /** The file the case is about (opened in the language server, checked in the lint output). */
  file: string;
  /** The file's text for the editor (undefined: not a text document, e.g. a folder or a link). */
  text?: () => string;
  /** Extra repository content: files, symlinks (`{ symlink }`), folders (`{ dir: true }`), FIFOs (`{ fifo: true }`), Unix sockets (`{ socket: true }`). */
  extra?: Record<string, string | Buffer | { symlink: string } | { dir: true } | { fifo: true } | { socket: true }>;
  /** The file's bytes on disk when they differ from `text` (binary files). */
  bytes?: () => Buffer;
  /** Too large to send over LSP in a reasonable time on a 2-core CI machine? (still sent: 10 MB is fine). */
  large?: boolean;
}

const HEADER = (kind: string, name: string) => `apiVersion: argoproj.io/v1alpha1\nkind: ${kind}\nmetadata:\n  name: ${name}\n  namespace: argocd\n`;

/** An ApplicationSet whose template metadata.name is `name` (a YAML single-quoted scalar). */
export function appsetWithName(name: string, extraSpec = ''): string {
  return (
    HEADER('ApplicationSet', 'patho') +
    `spec:\n  goTemplate: true\n  goTemplateOptions: ["missingkey=error"]\n  generators:\n    - list:\n        elements:\n          - name: one\n${extraSpec}` +
    `  template:\n    metadata:\n      name: '${name.replace(/'/g, "''")}'\n    spec:\n      project: default\n      source: {repoURL: https://example.com/r.git, path: apps/one}\n      destination: {server: https://kubernetes.default.svc, namespace: x}\n`
  );
}

/** Nine levels of nine aliases each: 9^9 (387 million) "lol"s when fully expanded. */
export function billionLaughs(kind = 'ApplicationSet'): string {
  const lines = [HEADER(kind, 'laughs').trimEnd(), 'spec:', '  a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i <= 9; i++) lines.push(`  a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(',')}]`);
  lines.push('  generators:', '    - list:', '        elements: *a9', '  template: {metadata: {name: x}, spec: {project: default}}');
  return `${lines.join('\n')}\n`;
}

export function deepFlowSeq(depth: number): string {
  return `${HEADER('ApplicationSet', 'deep')}spec:\n  generators: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
}

export function deepBlockMap(depth: number): string {
  const parts: string[] = [HEADER('ApplicationSet', 'deep'), 'spec:\n'];
  // Two spaces per level: block nesting costs quadratic indentation (1,000 levels: 1 MB).
  for (let i = 1; i <= depth; i++) parts.push(`${' '.repeat(2 * i)}k${i}:\n`);
  parts.push(`${' '.repeat(2 * depth + 2)}leaf: true\n`);
  return parts.join('');
}

export function deepFlowMap(depth: number): string {
  return `${HEADER('ApplicationSet', 'deep')}spec:\n  generators: ${'{a: '.repeat(depth)}1${'}'.repeat(depth)}\n`;
}

/** An ApplicationSet whose template spec nests `depth` block mappings (about depth² bytes). */
export function deepNestedValues(depth: number): string {
  const parts: string[] = [appsetWithName('v-{{.name}}').replace('      destination:', '      helm:\n        valuesObject:\n__VALUES__      destination:')];
  const values: string[] = [];
  for (let i = 0; i < depth; i++) values.push(`${' '.repeat(10 + 2 * i)}k${i}:\n`);
  values.push(`${' '.repeat(10 + 2 * depth)}leaf: '{{.name}}'\n`);
  return (parts[0] as string).replace('__VALUES__', values.join(''));
}

/** An ApplicationSet with `n` list elements (`a0`…) and `extra` lines under the list generator (`elementsYaml`) or the spec (`templatePatch`). */
export function manyElements(n: number, extra: string): string {
  const elements = Array.from({ length: n }, (_, i) => `          - name: a${i}\n`).join('');
  const base = appsetWithName('m-{{.name}}').replace('          - name: one\n', elements || '          - name: one\n');
  return extra.startsWith('  templatePatch') ? base.replace('  template:\n', `${extra}  template:\n`) : base.replace('        elements:\n', `${extra}        elements:\n`);
}

/** A valid ApplicationSet of about `bytes` bytes: a list generator with many elements. */
export function hugeValidAppSet(bytes: number): string {
  const head = HEADER('ApplicationSet', 'huge') + 'spec:\n  goTemplate: true\n  goTemplateOptions: ["missingkey=error"]\n  generators:\n    - list:\n        elements:\n';
  const tail = "  template:\n    metadata:\n      name: 'huge-{{.name}}'\n    spec:\n      project: default\n      source: {repoURL: https://example.com/r.git, path: 'apps/{{.name}}'}\n      destination: {server: https://kubernetes.default.svc, namespace: x}\n";
  const parts: string[] = [head];
  let size = head.length + tail.length;
  for (let i = 0; size < bytes; i++) {
    const line = `          - name: app-${i}\n            description: "${'x'.repeat(40)}"\n`;
    parts.push(line);
    size += line.length;
  }
  parts.push(tail);
  return parts.join('');
}

/** Random printable-ish bytes (valid UTF-8 text, no NUL) named like an ApplicationSet. */
export function randomText(bytes: number, seed: number): string {
  const rng = makeRng(seed);
  const alphabet = 'abcdefghijklmnopqrstuvwxyz:- \n\t{}[]&*!|>\'"%@`#,?.0123456789';
  const parts: string[] = ['kind: ApplicationSet\napiVersion: argoproj.io/v1alpha1\n'];
  let chunk = '';
  for (let i = 0; i < bytes; i++) {
    chunk += alphabet[rng.int(alphabet.length)];
    if (chunk.length === 65536) {
      parts.push(chunk);
      chunk = '';
    }
  }
  parts.push(chunk);
  return parts.join('');
}

export function randomBytes(bytes: number, seed: number): Buffer {
  const rng = makeRng(seed);
  const b = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) b[i] = rng.int(256);
  return b;
}

export const PATHOLOGICAL: PathologicalCase[] = [
  { name: 'billion laughs (nested aliases) in an ApplicationSet', file: 'argocd/laughs.yaml', text: () => billionLaughs() },
  { name: 'billion laughs in a kustomization', file: 'apps/laughs/kustomization.yaml', text: () => billionLaughs('Kustomization').replace(/^apiVersion: .*$/m, 'apiVersion: kustomize.config.k8s.io/v1beta1').replace('  generators:', 'resources: *a9\nx:\n  generators:') },
  {
    name: 'billion laughs in a files-generator config',
    file: 'argocd/files-gen.yaml',
    text: () => appsetWithName('f-{{.name}}').replace('    - list:\n        elements:\n          - name: one\n', '    - git:\n        repoURL: https://example.com/r.git\n        revision: HEAD\n        files:\n          - path: config/*.yaml\n'),
    extra: { 'config/laughs.yaml': billionLaughs('Config') },
  },
  { name: 'alias inside its own anchor (cyclic value)', file: 'argocd/cyclic.yaml', text: () => appsetWithName('c-{{.name}}').replace('spec:\n', 'spec: &s\n  self: [*s]\n') },
  { name: 'alias inside its own anchor in a kustomization', file: 'apps/cyclic/kustomization.yaml', text: () => 'resources: &r\n  - *r\npatches: &p {x: *p}\n' },
  {
    name: 'alias inside its own anchor in a files-generator config',
    file: 'argocd/files-cyclic.yaml',
    text: () => appsetWithName('f-{{.name}}').replace('    - list:\n        elements:\n          - name: one\n', '    - git:\n        repoURL: https://example.com/r.git\n        revision: HEAD\n        files:\n          - path: cyclic/*.yaml\n'),
    extra: { 'cyclic/config.yaml': 'name: &n\n  deeper: *n\n' },
  },
  { name: 'alias inside its own anchor in elementsYaml', file: 'argocd/elements-cyclic.yaml', text: () => appsetWithName('e-{{.name}}').replace('    - list:\n        elements:\n          - name: one\n', "    - list:\n        elementsYaml: '- &e {name: one, self: *e}'\n") },
  { name: 'alias inside its own anchor in templatePatch and fromYaml', file: 'argocd/patch-cyclic.yaml', text: () => appsetWithName('p-{{ (fromYaml "a: &a [*a]").a }}').replace('  template:\n', "  templatePatch: |\n    spec: &s\n      x: *s\n  template:\n") },
  { name: '10,000 nested flow sequences', file: 'argocd/deep-seq.yaml', text: () => deepFlowSeq(10000) },
  { name: '10,000 nested flow mappings', file: 'argocd/deep-flowmap.yaml', text: () => deepFlowMap(10000) },
  { name: '1,000 nested block mappings', file: 'argocd/deep-map.yaml', text: () => deepBlockMap(1000) },
  { name: '10,000 nested compact block sequences', file: 'argocd/deep-compact.yaml', text: () => `${HEADER('ApplicationSet', 'deep')}spec:\n  generators:\n    ${'- '.repeat(10000)}x\n` },
  { name: '10,000 nested flow sequences in a kustomization', file: 'apps/deep/kustomization.yaml', text: () => `resources: ${'['.repeat(10000)}${']'.repeat(10000)}\n` },
  { name: '10 MB valid ApplicationSet', file: 'argocd/appset-huge.yaml', text: () => hugeValidAppSet(10 * 1024 * 1024), large: true },
  { name: '10 MB random text named like an ApplicationSet', file: 'argocd/appset-random.yaml', text: () => randomText(10 * 1024 * 1024, 7), large: true },
  { name: '10 MB random bytes named like an ApplicationSet', file: 'argocd/appset-bytes.yaml', bytes: () => randomBytes(10 * 1024 * 1024, 11), text: () => randomBytes(10 * 1024 * 1024, 11).toString('utf8'), large: true },
  { name: '10 MB single-line ApplicationSet', file: 'argocd/appset-oneline.yaml', text: () => `${HEADER('ApplicationSet', 'oneline')}spec: {generators: [{list: {elements: [${'{a: b}, '.repeat(1.3 * 1024 * 1024)}]}}]}\n`, large: true },
  { name: '10 MB single-line kustomization', file: 'apps/big/kustomization.yaml', text: () => `resources: [${'a.yaml, '.repeat(1.3 * 1024 * 1024)}]\n`, large: true },
  { name: 'template with 100,000 nested parentheses', file: 'argocd/parens.yaml', text: () => appsetWithName(`x-{{${'('.repeat(100000)}.name${')'.repeat(100000)}}}`) },
  { name: 'template with 100,000 unclosed parentheses', file: 'argocd/parens-open.yaml', text: () => appsetWithName(`x-{{${'('.repeat(100000)}.name}}`) },
  { name: 'template with a 100,000-command pipeline', file: 'argocd/pipes.yaml', text: () => appsetWithName(`x-{{.name${' | lower'.repeat(100000)}}}`) },
  { name: 'template with 100,000 nested if blocks', file: 'argocd/ifs.yaml', text: () => appsetWithName(`x-${'{{if true}}'.repeat(100000)}a${'{{end}}'.repeat(100000)}`) },
  { name: 'template that ranges over until 10000000', file: 'argocd/until.yaml', text: () => appsetWithName('x-{{range until 10000000}}{{.}}{{end}}') },
  { name: 'template that ranges over until 10000000 without output', file: 'argocd/until-quiet.yaml', text: () => appsetWithName('x-{{range $i := until 10000000}}{{end}}') },
  { name: 'template whose output passes 1 MiB', file: 'argocd/until-out.yaml', text: () => appsetWithName('x-{{range until 200000}}{{.}}{{end}}') },
  { name: 'template that repeats a string 10^9 times', file: 'argocd/repeat.yaml', text: () => appsetWithName('x-{{repeat 1000000000 "abcdefghij"}}') },
  { name: 'template with nested ranges of until 10000', file: 'argocd/nested-range.yaml', text: () => appsetWithName('x-{{range until 10000}}{{range until 10000}}{{end}}{{end}}') },
  { name: 'template that recurses through define/template', file: 'argocd/recurse.yaml', text: () => appsetWithName('x-{{define "r"}}{{template "r" .}}{{end}}{{template "r" .}}') },
  { name: 'symlink loop named .yaml', file: 'argocd/loop.yaml', extra: { 'argocd/loop.yaml': { symlink: 'loop2.yaml' }, 'argocd/loop2.yaml': { symlink: 'loop.yaml' } } },
  { name: 'symlinked folder loop', file: 'apps/loop/kustomization.yaml', text: () => 'resources:\n  - self/x.yaml\n', extra: { 'apps/loop/self': { symlink: '.' } } },
  { name: 'binary file named .yaml', file: 'argocd/binary.yaml', bytes: () => Buffer.concat([Buffer.from('kind: ApplicationSet\n\0\0\0'), randomBytes(4096, 3)]), text: () => `kind: ApplicationSet\n\0\0\0${randomBytes(4096, 3).toString('latin1')}` },
  { name: 'CRLF line endings', file: 'argocd/crlf.yaml', text: () => appsetWithName('crlf-{{.name}}').replace(/\n/g, '\r\n') },
  { name: 'CR-only line endings', file: 'argocd/cr.yaml', text: () => appsetWithName('cr-{{.nam}}').replace(/\n/g, '\r') },
  { name: 'byte-order mark', file: 'argocd/bom.yaml', text: () => `\uFEFF${appsetWithName('bom-{{.nope}}')}` },
  { name: '0-byte file', file: 'argocd/empty.yaml', text: () => '' },
  { name: '0-byte kustomization', file: 'apps/empty/kustomization.yaml', text: () => '' },
  { name: 'folder named x.yaml', file: 'argocd/x.yaml', extra: { 'argocd/x.yaml': { dir: true }, 'argocd/x.yaml/inner.yaml': HEADER('AppProject', 'inner') } },
  // Reading either whole would never end (/dev/zero) or block forever (a FIFO without a writer).
  { name: 'YAML-named link to /dev/zero', file: 'argocd/zero.yaml', extra: { 'argocd/zero.yaml': { symlink: '/dev/zero' } } },
  {
    name: 'FIFO named values.yaml, a YAML-named link to it, and a kustomization listing the link',
    file: 'apps/fifo/kustomization.yaml',
    text: () => 'resources:\n  - link.yaml\n  - values.yaml\n',
    extra: { 'apps/fifo/values.yaml': { fifo: true }, 'apps/fifo/link.yaml': { symlink: 'values.yaml' } },
  },
  // Opening a socket fails (ENXIO) rather than blocking; it must still be reported, not thrown.
  {
    name: 'Unix socket named .yaml, a YAML-named link to it, and a kustomization listing both',
    file: 'apps/socket/kustomization.yaml',
    text: () => 'resources:\n  - agent.yaml\n  - link.yaml\n',
    extra: { 'apps/socket/agent.yaml': { socket: true }, 'apps/socket/link.yaml': { symlink: 'agent.yaml' } },
  },
  // Nesting that parses recursively: bounded work, one report where the limit is passed.
  { name: '1.7 MB ApplicationSet nested 1,300 levels (block mappings)', file: 'argocd/deep-values.yaml', text: () => deepNestedValues(1300), large: true },
  { name: 'templatePatch nested 60,000 levels, rendered for 35 Applications', file: 'argocd/deep-patch.yaml', text: () => manyElements(35, `  templatePatch: |\n    spec: ${'{a: '.repeat(60000)}'{{.name}}'${'}'.repeat(60000)}\n`) },
  { name: 'elementsYaml nested 3,000 levels, 35 elements', file: 'argocd/deep-elements.yaml', text: () => manyElements(0, `        elementsYaml: |\n${Array.from({ length: 35 }, (_, i) => `          - {name: e${i}, v: ${'['.repeat(3000)}${']'.repeat(3000)}}`).join('\n')}\n`) },
  {
    name: 'files-generator input nested 5,000 levels',
    file: 'argocd/files-deep.yaml',
    text: () => appsetWithName('d-{{.name}}').replace('    - list:\n        elements:\n          - name: one\n', '    - git:\n        repoURL: https://example.com/r.git\n        revision: HEAD\n        files:\n          - path: deep/*.yaml\n'),
    extra: { 'deep/config.yaml': `name: deep\nv: ${'['.repeat(5000)}${']'.repeat(5000)}\n` },
  },
  { name: 'ApplicationSet saved in Latin-1', file: 'argocd/latin1.yaml', bytes: () => Buffer.from(appsetWithName('café-{{.name}}'), 'latin1'), text: () => appsetWithName('café-{{.name}}') },
];

/** Writes a case into a (temporary) repository. */
export function writeCase(repo: TempRepo, c: PathologicalCase): void {
  for (const [rel, v] of Object.entries(c.extra ?? {})) {
    const abs = path.join(repo.root, ...rel.split('/'));
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    if (Buffer.isBuffer(v) || typeof v === 'string') fs.writeFileSync(abs, v);
    else if ('dir' in v) fs.mkdirSync(abs, { recursive: true });
    else if ('fifo' in v) execFileSync('mkfifo', [abs]);
    else if ('socket' in v) makeSocket(abs);
    else fs.symlinkSync(v.symlink, abs);
  }
  if (!c.extra?.[c.file]) repo.write(c.file, c.bytes ? c.bytes() : (c.text?.() ?? ''));
}

/**
 * A Unix socket file at `abs` that outlives its server: bound under another name, hard-linked
 * (a link to a socket is a socket), and the server closed, which removes only the first name.
 */
function makeSocket(abs: string): void {
  const bound = `${abs}.bind`;
  const server = net.createServer();
  server.listen(bound); // a pipe binds synchronously
  fs.linkSync(bound, abs);
  server.close();
  fs.rmSync(bound, { force: true });
}
