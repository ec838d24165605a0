// Keeps the name lists of the Go template grammar in step with the template engine: the keywords
// of src/core/template/lexer.ts, Go's builtins of src/core/template/builtins.ts and the functions
// Argo CD gives ApplicationSets (ARGOCD_FUNCTION_NAMES in src/core/template/sprig/index.ts).
// The engine's sources are read as text so this runs in plain Node, with no TypeScript step.
//
//   node test/grammar/function-names.mjs           # check; exit 1 and say what differs
//   node test/grammar/function-names.mjs --write   # rewrite the lists in the grammar
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const GRAMMAR_PATH = join(ROOT, 'syntaxes', 'argocd-gotemplate.injection.tmLanguage.json');

function read(rel) {
  return readFileSync(join(ROOT, rel), 'utf8');
}

function need(value, what) {
  if (value.length === 0) throw new Error(`function-names: found no ${what}; did the source change shape?`);
  return value;
}

/** The names each list of the grammar must hold, read from the engine's sources. */
export function expectedLists() {
  const lexer = read('src/core/template/lexer.ts');
  const kwBlock = /const KEYWORDS[^=]*=\s*new Map\(\[([\s\S]*?)\]\);/.exec(lexer)?.[1] ?? '';
  const words = need([...kwBlock.matchAll(/\['([^']+)',/g)].map((m) => m[1]), 'keywords in lexer.ts');
  const keywords = words.filter((w) => /^[a-z]+$/.test(w) && w !== 'nil');

  const builtinsSrc = read('src/core/template/builtins.ts');
  const builtins = need([...builtinsSrc.matchAll(/^\s*\['(\w+)', def\(/gm)].map((m) => m[1]), 'builtins');

  const sprigSrc = read('src/core/template/sprig/index.ts');
  const list = /ARGOCD_FUNCTION_NAMES[^=]*=\s*\(([\s\S]*?)\)\.split\(' '\)/.exec(sprigSrc)?.[1] ?? '';
  const sprig = need(
    [...list.matchAll(/'([^']*)'/g)]
      .map((m) => m[1])
      .join('')
      .split(' ')
      .filter(Boolean),
    'ARGOCD_FUNCTION_NAMES',
  );

  // text/template looks a name up in the template's FuncMap before its builtins, so a builtin
  // that sprig redefines (slice) is Argo CD's function, not Go's.
  const sprigSet = new Set(sprig);
  const constants = ['false', 'nil', 'true'];
  return {
    keyword: sorted(keywords),
    'builtin-function': sorted(builtins.filter((b) => !sprigSet.has(b))),
    'sprig-function': sorted(sprig),
    // A tag holding only one of these names is a Go action, not a fasttemplate parameter.
    'fasttemplate-tag': sorted([...keywords, ...constants, ...builtins, ...sprig]),
  };
}

function sorted(xs) {
  return [...new Set(xs)].sort();
}

// The first `(?:a|b|c)` group made only of names in a rule's `match` is its list.
const LIST_GROUP = /\(\?:([A-Za-z0-9_]+(?:\|[A-Za-z0-9_]+)+)\)/;

/** One result per list: { rule, ok, message }. */
export function checkGrammar(grammar = JSON.parse(readFileSync(GRAMMAR_PATH, 'utf8'))) {
  const results = [];
  for (const [rule, want] of Object.entries(expectedLists())) {
    const match = grammar.repository?.[rule]?.match ?? '';
    const group = LIST_GROUP.exec(match);
    if (!group) {
      results.push({ rule, ok: false, message: `repository.${rule}.match has no (?:name|name…) group` });
      continue;
    }
    const have = group[1].split('|');
    const missing = want.filter((n) => !have.includes(n));
    const extra = have.filter((n) => !want.includes(n));
    const ok = missing.length === 0 && extra.length === 0 && have.join('|') === want.join('|');
    const message = ok
      ? `${want.length} names`
      : [
          missing.length ? `missing: ${missing.join(' ')}` : '',
          extra.length ? `not in the engine: ${extra.join(' ')}` : '',
          !missing.length && !extra.length ? 'not sorted' : '',
        ]
          .filter(Boolean)
          .join('; ') + ' (run: node test/grammar/function-names.mjs --write)';
    results.push({ rule, ok, message });
  }
  return results;
}

function write() {
  const grammar = JSON.parse(readFileSync(GRAMMAR_PATH, 'utf8'));
  for (const [rule, want] of Object.entries(expectedLists())) {
    const r = grammar.repository[rule];
    if (!LIST_GROUP.test(r.match)) throw new Error(`repository.${rule}.match has no (?:name|name…) group`);
    r.match = r.match.replace(LIST_GROUP, () => `(?:${want.join('|')})`);
  }
  writeFileSync(GRAMMAR_PATH, JSON.stringify(grammar, null, 2) + '\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--write')) write();
  let bad = 0;
  for (const r of checkGrammar()) {
    console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.rule}: ${r.message}`);
    if (!r.ok) bad++;
  }
  process.exit(bad ? 1 : 0);
}
