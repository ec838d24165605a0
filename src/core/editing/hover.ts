/**
 * Hover text: what the schema says about a key; for a git generator path, what it matches in
 * the working tree; for an ApplicationSet template string, what it renders to for the first
 * match; for a kustomization path, whether it exists. Everything comes from the repository
 * model the server keeps current; nothing here evaluates the repository again.
 */
import * as nodePath from 'node:path';
import { isScalar } from '../yaml/ast';
import { friendlyTemplateMessage, templateSettings } from '../appset/evaluate';
import { appSetRenderer } from '../appset/renderer';
import { matchingDirectories, sortWalkOrder } from '../generators/gitDirectories';
import { asArray, asRecord } from '../generators/spec';
import { BadPatternError, goPathMatch } from '../glob/goPathMatch';
import { gitPathspecMatch } from '../glob/gitPathspec';
import type { RepositoryModel } from '../model/repositoryModel';
import { joinRelative, kustomizationReferences } from '../kustomize/references';
import { describe, type ManifestKind, type SchemaNodeInfo } from '../schema';
import { GoTemplateError } from '../template';
import type { YamlPath } from '../yaml/parse';
import type { EditingInput } from './completion';
import { isTemplatePath, nodeAt, type NodeAt } from './document';
import { kustomizationIn } from '../yaml/classify';
import { valuesHover } from './valuesHelp';

export interface HoverText {
  /** Markdown. */
  markdown: string;
  start: number;
  end: number;
}

/** How many matches a generator path hover names before "…". */
const NAMED_MATCHES = 5;

export function hover(input: EditingInput): HoverText | undefined {
  const values = valuesHover(input);
  if (values) return values;
  const at = nodeAt(input.file, input.text, input.offset);
  if (!at?.document.kind) return undefined;
  const kind = at.document.kind;
  const parts: string[] = [];
  if (at.role === 'value' && isScalar(at.node)) {
    const value = at.node.value;
    if (kind === 'ApplicationSet' && typeof value === 'string') {
      const git = gitItemAt(at.path);
      if (git && input.model) parts.push(generatorPathHover(input.model, at, git, value));
      else if (value.includes('{{') && isTemplatePath(at.path)) {
        const rendered = renderingHover(input, at, value);
        if (rendered) parts.push(rendered);
      }
    }
    if ((kind === 'Kustomization' || kind === 'Component') && typeof value === 'string' && input.model) {
      const ref = kustomizationReferences(at.document.value).find((r) => samePath(r.path, at.path));
      if (ref) parts.push(referenceHover(input.model, input.file, ref.value, ref.expect));
    }
  }
  const schema = schemaHover(kind, at);
  if (schema) parts.push(schema);
  if (parts.length === 0) return undefined;
  return { markdown: parts.join('\n\n---\n\n'), start: at.start, end: at.end };
}

function samePath(a: YamlPath, b: YamlPath): boolean {
  return a.length === b.length && a.every((x, i) => String(x) === String(b[i]));
}

// ---- schema --------------------------------------------------------------------------

function schemaHover(kind: ManifestKind, at: NodeAt): string | undefined {
  // A list item has no key of its own: describe the list's items.
  const info = describe(kind, [...at.path]);
  if (!info || info.freeForm) return undefined;
  const key = [...at.path].reverse().find((s) => typeof s === 'string');
  const lines: string[] = [];
  const type = info.type === undefined ? '' : ` \`${Array.isArray(info.type) ? info.type.join(' | ') : info.type}\``;
  if (at.role === 'key') lines.push(`**${key ?? ''}**${type}`);
  if (info.deprecated || info.deprecationMessage) lines.push(`**Deprecated.** ${info.deprecationMessage ?? ''}`.trim());
  const description = info.markdownDescription ?? info.description;
  if (description) lines.push(description);
  if (info.enum) {
    const value = at.role === 'value' && isScalar(at.node) ? at.node.value : undefined;
    const i = value === undefined ? -1 : info.enum.findIndex((e) => e === value);
    if (i >= 0 && info.enumDescriptions?.[i]) lines.push(`\`${String(value)}\`: ${info.enumDescriptions[i]}`);
    else if (at.role === 'key') lines.push(enumList(info));
  }
  if (info.default !== undefined && at.role === 'key') lines.push(`Default: \`${JSON.stringify(info.default)}\``);
  return lines.length > (at.role === 'key' ? 1 : 0) ? lines.join('\n\n') : undefined;
}

function enumList(info: SchemaNodeInfo): string {
  return `Values: ${(info.enum ?? [])
    .map((v, i) => {
      const d = info.enumDescriptions?.[i];
      return `\`${JSON.stringify(v)}\`${d ? ` (${d.replace(/\.$/, '')})` : ''}`;
    })
    .join(', ')}`;
}

// ---- git generator paths -------------------------------------------------------------

interface GitItemAt {
  kind: 'directories' | 'files';
  /** Path of the `directories`/`files` list. */
  listPath: YamlPath;
  index: number;
}

function gitItemAt(path: YamlPath): GitItemAt | undefined {
  const n = path.length;
  if (n < 5 || path[n - 1] !== 'path' || typeof path[n - 2] !== 'number' || path[n - 4] !== 'git' || path[0] !== 'spec' || path[1] !== 'generators') return undefined;
  const kind = path[n - 3];
  if (kind !== 'directories' && kind !== 'files') return undefined;
  return { kind, listPath: path.slice(0, n - 2), index: path[n - 2] as number };
}

function valueAt(value: unknown, path: YamlPath): unknown {
  let cur = value;
  for (const step of path) {
    if (Array.isArray(cur) && typeof step === 'number') cur = cur[step];
    else cur = asRecord(cur)?.[String(step)];
  }
  return cur;
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}

function generatorPathHover(model: RepositoryModel, at: NodeAt, git: GitItemAt, pattern: string): string {
  if (pattern.includes('{{')) return 'This pattern is rendered with the parameters of the generator before it (matrix), so it is matched once per parameter set.';
  const entries = asArray(valueAt(at.document.value, git.listPath)).map(asRecord);
  const exclude = entries[git.index]?.['exclude'] === true;
  if (git.kind === 'files') {
    const files = [...model.tree.files].filter((f) => gitPathspecMatch(pattern, f)).sort();
    if (files.length === 0) return `Matches no file in the repository (git pathspec, relative to the repository root).`;
    return `${exclude ? 'Excludes' : 'Matches'} ${files.length} ${plural(files.length, 'file', 'files')}: ${names(files)}`;
  }
  let dirs: string[];
  try {
    dirs = sortWalkOrder(matchingDirectories(model.tree, pattern));
  } catch (e) {
    if (e instanceof BadPatternError) return `Invalid pattern (Go path.Match syntax): Argo CD skips it.`;
    throw e;
  }
  if (dirs.length === 0) return 'Matches no directory. Go path.Match: `*` stays within one folder; hidden folders never match.';
  if (exclude) return `Excludes ${dirs.length} ${plural(dirs.length, 'directory', 'directories')}: ${names(dirs)}`;
  const excludes = entries.filter((e) => e?.['exclude'] === true).map((e) => e?.['path']).filter((p): p is string => typeof p === 'string');
  const excluded = dirs.filter((d) =>
    excludes.some((p) => {
      try {
        return goPathMatch(p, d);
      } catch {
        return false;
      }
    }),
  );
  const note = excluded.length ? ` (${excluded.length} of them excluded by an \`exclude\` entry)` : '';
  return `Matches ${dirs.length} ${plural(dirs.length, 'directory', 'directories')}${note}: ${names(dirs)}`;
}

function names(list: string[]): string {
  const shown = list.slice(0, NAMED_MATCHES).join(', ');
  return list.length > NAMED_MATCHES ? `${shown}, … (${list.length - NAMED_MATCHES} more)` : shown;
}

// ---- template strings ----------------------------------------------------------------

function renderingHover(input: EditingInput, at: NodeAt, text: string): string | undefined {
  const key = { file: input.file, docIndex: at.document.index };
  const first = input.model?.firstParams(key);
  if (!first) return input.model?.evaluation(key) ? 'The generators produce no parameter set, so there is nothing to render this with.' : undefined;
  const { goTemplate, options } = templateSettings(at.document.value);
  const more = first.apps > 1 ? ` (first of ${first.apps} matches)` : '';
  let rendered: string;
  try {
    rendered = appSetRenderer(goTemplate, options).render(text, first.params);
  } catch (e) {
    const message = e instanceof GoTemplateError ? friendlyTemplateMessage(e) : (e as Error).message;
    return `For ${first.match}${more}, this fails: ${message}`;
  }
  if (rendered.includes('\n') || rendered.includes('`')) return `For ${first.match}${more}:\n\n\`\`\`yaml\n${rendered.replace(/```/g, '`\u200b``')}\n\`\`\``;
  return `For ${first.match}${more}: \`${rendered}\``;
}

// ---- kustomization paths -------------------------------------------------------------

function referenceHover(model: RepositoryModel, file: string, value: string, expect: 'file' | 'dir' | 'file-or-dir'): string {
  const dir = nodePath.posix.dirname(file) === '.' ? '' : nodePath.posix.dirname(file);
  // Resolved as the kustomize-missing-path rule resolves it (Go's filepath.Join, symbolic links).
  const target = joinRelative(dir, value);
  if (nodePath.posix.isAbsolute(value) || target === '..' || target.startsWith('../')) return `\`${value}\` is outside the repository.`;
  const tree = model.tree;
  const found = tree.lookup(target);
  const via = found.real !== target ? ` (through a symbolic link: \`${found.real}\`)` : '';
  if (found.escapesThrough !== undefined) return `\`${target}\` leads outside the repository through the symbolic link \`${found.escapesThrough}\`.`;
  if (found.unscanned && found.kind !== 'absent') return `\`${target}\` exists on disk, in a folder Home-Ops does not scan.`;
  if (found.kind === 'file') return `\`${target}\` exists (file)${via}.`;
  if (found.kind === 'dir') {
    const hasKustomization = kustomizationIn(tree.files, found.real) !== undefined;
    return expect === 'file' ? `\`${target}\` is a folder, not a file.` : `\`${target}\` exists (folder${hasKustomization ? ' with a kustomization' : ', without a kustomization.yaml'})${via}.`;
  }
  if (found.onDisk === 'ignored') return `\`${target}\` is on disk, but .gitignore ignores it${tree.presenceFromGitIndex() ? ' and Git does not track it' : ''}.`;
  return `\`${target}\` does not exist in the repository (as Git has it).`;
}
