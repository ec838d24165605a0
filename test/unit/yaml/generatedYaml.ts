/**
 * Random YAML texts for the differential tests of src/core/yaml: mostly the common subset the
 * fast loader reads (block and flow collections, every scalar style, comments, documents), with
 * the YAML 1.1 words and numbers the dialects disagree on. Case `i` of a seed is always the same
 * text.
 */
import type { Rng } from '../../support/fuzzMutate';

const PLAIN = ['a', 'x y', 'http://h:80/p?q#f', 'a:b', 'a#b', '-1', '-x', '0', '007', '+3', '0o17', '0x1F', '1.5', '1.', '.5', '1e3', '-.inf', '.NaN', '~', 'null', 'Null', 'true', 'False', 'yes', 'on', '1_000', 'é', '{{.path.basename}}', '{{ index .path.segments 3 }}', 'a [b] {c}', 'a,b', 'trailing  '];
const QUOTED = ['"plain"', '"a \\"q\\" b"', '"\\t\\n\\/\\\\"', '"\\u00e9"', '""', "'single'", "'it''s'", "''", '"# not a comment"', "': colon'", '"123"', "'true'"];
const KEYS = ['a', 'b', 'name', 'spec', 'key with space', 'k-1', 'k.2', 'x/y', '"quoted"', "'single'", 'on', 'y'];

/** Random YAML in the fast loader's subset (mostly): block and flow collections, every scalar style. */
export function generateYaml(rng: Rng): string {
  const lines: string[] = [];
  const comment = () => (rng.chance(0.15) ? ` # ${rng.pick(['c', 'x: y', '- z', '#'])}` : '');
  const blank = () => {
    if (rng.chance(0.1)) lines.push(rng.pick(['', '   ', '# comment', '    # deeper comment']));
  };
  const flow = (depth: number): string => {
    if (depth > 2 || rng.chance(0.5)) return rng.chance(0.5) ? rng.pick(PLAIN.filter((p) => !/[,[\]{}#]|: /.test(p) && !p.endsWith(' '))) : rng.pick(QUOTED);
    if (rng.chance(0.5)) return `[${Array.from({ length: rng.int(4) }, () => flow(depth + 1)).join(rng.pick([', ', ',', ' , ']))}]`;
    const keys = [...new Set(Array.from({ length: rng.int(4) }, () => rng.pick(['a', 'b', 'c', '"q"'])))];
    return `{${keys.map((k) => `${k}: ${flow(depth + 1)}`).join(', ')}}`;
  };
  const blockScalar = (indent: number): void => {
    const header = rng.pick(['|', '|-', '|+', '>', '>-', '>+']);
    const last = lines.length - 1;
    lines[last] = `${lines[last]} ${header}${comment()}`;
    const inner = indent + 1 + rng.int(3);
    for (let n = 1 + rng.int(4); n > 0; n--) {
      if (rng.chance(0.25)) lines.push(rng.chance(0.7) ? '' : ' '.repeat(rng.int(inner + 1)));
      lines.push(' '.repeat(inner) + rng.pick(['text', 'a: b', '- item', '# hash', '{{ .x }}', 'two words', '"q"']) + (rng.chance(0.1) && header[0] === '|' ? `\n${' '.repeat(inner + 2)}deeper` : ''));
    }
    if (rng.chance(0.3)) lines.push('');
  };
  const node = (indent: number, depth: number, inline: boolean): void => {
    // `inline`: the node starts on the current last line (after a key or a dash).
    const choice = depth > 3 ? 0 : rng.int(5);
    if (choice === 0 || choice === 4) {
      const style = rng.int(4);
      const last = lines.length - 1;
      if (style === 0 && inline) return blockScalar(indent);
      const text = style === 1 ? rng.pick(QUOTED) : style === 2 ? flow(0) : rng.pick(PLAIN);
      if (inline) lines[last] = `${lines[last]} ${text}${comment()}`;
      else lines.push(' '.repeat(indent) + text);
      return;
    }
    if (choice === 1 || choice === 2) {
      // A block map; after a dash its first key shares the dash's line.
      const keys = [...new Set(Array.from({ length: 1 + rng.int(4), }, () => rng.pick(KEYS)))];
      const step = rng.pick([1, 2, 2, 4]);
      const col = inline ? indent : indent;
      keys.forEach((k, i) => {
        blank();
        if (i === 0 && inline) lines[lines.length - 1] = `${lines[lines.length - 1]} ${k}:`;
        else lines.push(`${' '.repeat(col)}${k}:`);
        if (rng.chance(0.15)) return; // null value
        const nested = rng.chance(0.4);
        if (nested) {
          const sameIndentSeq = rng.chance(0.3);
          seq(sameIndentSeq ? col : col + step, depth + 1, rng.chance(0.5));
        } else node(col + step, depth + 1, true);
      });
      return;
    }
    seq(indent, depth, inline);
  };
  const seq = (indent: number, depth: number, allowMapItems: boolean): void => {
    for (let n = 1 + rng.int(3); n > 0; n--) {
      blank();
      lines.push(`${' '.repeat(indent)}-`);
      if (rng.chance(0.1)) continue; // null item
      if (allowMapItems && rng.chance(0.5)) node(indent + 2, depth + 1, true);
      else if (rng.chance(0.2)) {
        // The item's node on the following lines.
        const inner = indent + 1 + rng.int(3);
        node(inner, depth + 1, false);
      } else node(indent + 2, depth + 1, true);
    }
  };
  const docs = 1 + (rng.chance(0.2) ? rng.int(3) : 0);
  for (let d = 0; d < docs; d++) {
    if (d > 0 || rng.chance(0.2)) lines.push(rng.pick(['---', '--- # doc', '---  ']));
    blank();
    const root = rng.int(3);
    if (root === 0) seq(0, 0, true);
    else node(rng.chance(0.1) ? 2 : 0, 0, false);
  }
  return lines.join('\n') + (rng.chance(0.9) ? '\n' : '');
}

