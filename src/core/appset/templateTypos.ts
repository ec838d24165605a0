/**
 * "Did you mean" for template mistakes: a parameter the generator does not produce
 * (`.path.basenam`, from `map has no entry for key`) and a function the function map does not
 * have (`toLowr`, from `function … not defined`). The replacement is the closest name that is
 * there — a key of the map the template reached, or one of Argo CD's functions — at the exact
 * place of the misspelt name in the template text.
 */
import { ARGOCD_FUNCTION_NAMES, BUILTINS, GoTemplateError, type GoMap, type GoValue } from '../template';
import { spansExactly, type Problem } from '../problems';
import { didYouMean } from '../spelling';
import type { YamlDoc, YamlPath } from '../yaml/parse';

export interface TemplateTypoFix {
  /** Offset and length of the misspelt name in the template text. */
  offset: number;
  length: number;
  /** The name to write instead. */
  newText: string;
}

const FUNCTION_NAMES: readonly string[] = [...new Set([...ARGOCD_FUNCTION_NAMES, ...BUILTINS.keys()])];

function isGoMap(v: GoValue | undefined): v is GoMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);
}

/** The fix for a Go template error in `text`, rendered with `params`; undefined when no name is close. */
export function templateTypoFix(text: string, error: GoTemplateError, params: GoMap): TemplateTypoFix | undefined {
  const fn = /function "([^"]+)" not defined/.exec(error.message);
  if (fn) {
    const name = fn[1] as string;
    if (text.slice(error.offset, error.offset + name.length) !== name) return undefined;
    const guess = didYouMean(name, FUNCTION_NAMES);
    return guess === undefined ? undefined : { offset: error.offset, length: name.length, newText: guess };
  }
  const missing = /at <(\.[^<>\s]*)>: map has no entry for key "([^"]+)"/.exec(error.message);
  if (missing) return missingKeyFix(text, error.offset, missing[1] as string, missing[2] as string, params);
  return undefined;
}

/**
 * A field chain from the top (`.path.basenam`): the chain is found in the text where the error
 * points (Go points at its last field), and walked through the parameters to the map that lacks
 * the key. Inside `range` or `with` the dot is something else: the walk then fails and no fix is
 * offered rather than a wrong one.
 */
function missingKeyFix(text: string, errorOffset: number, chain: string, key: string, params: GoMap): TemplateTypoFix | undefined {
  const start = text.lastIndexOf(chain, errorOffset);
  if (start < 0) return undefined;
  const fields = chain.slice(1).split('.');
  let map: GoMap = params;
  let offset = start + 1;
  for (const field of fields) {
    if (field === key && !(key in map)) {
      const guess = didYouMean(key, Object.keys(map));
      return guess === undefined ? undefined : { offset, length: key.length, newText: guess };
    }
    const next = map[field];
    if (!isGoMap(next)) return undefined;
    map = next;
    offset += field.length + 1;
  }
  return undefined;
}

/**
 * The quick fix for a template error at `path` of `doc`: the misspelt name replaced in the file,
 * only where the name maps one to one onto the file's text (no escape inside it).
 */
export function typoFixData(file: string, doc: YamlDoc, path: YamlPath, text: string, error: GoTemplateError, params: GoMap): NonNullable<Problem['fixes']>[number] | undefined {
  const fix = templateTypoFix(text, error, params);
  if (!fix) return undefined;
  const range = doc.rangeInString(path, fix.offset, fix.length);
  if (!range || !spansExactly(range, fix.length)) return undefined;
  return { title: `Change "${text.slice(fix.offset, fix.offset + fix.length)}" to "${fix.newText}"`, edits: [{ file, range, newText: fix.newText }] };
}
