/** What `home-ops lint` prints, per `--format`. */
import type { Problem } from '../core/problems';
import { formatLocation } from '../core/problems';
import type { Rule } from '../core/rules';

export type LintFormat = 'text' | 'json' | 'sarif' | 'github';

export function formatLint(problems: readonly Problem[], format: LintFormat, rules: readonly Rule[], version: string): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(problems.map((p) => ({ file: p.file, range: p.range, severity: p.severity, rule: p.rule, message: p.message })), null, 2)}\n`;
    case 'github':
      // GitHub Actions workflow commands: 1-based positions; `notice` is GitHub's info level.
      return problems
        .map((p) => `::${p.severity === 'info' ? 'notice' : p.severity} file=${escapeGithubProperty(p.file)},line=${p.range.start.line + 1},col=${p.range.start.character + 1},endLine=${p.range.end.line + 1},endColumn=${p.range.end.character + 1},title=${p.rule}::${escapeGithub(p.message)}\n`)
        .join('');
    case 'sarif':
      return `${JSON.stringify(toSarif(problems, rules, version), null, 2)}\n`;
    default:
      return problems.map((p) => `${formatLocation(p)} ${p.severity} ${p.rule} ${p.message}\n`).join('');
  }
}

function escapeGithub(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value (`file=`): the runner splits properties at `,` and key from value at `:`. */
function escapeGithubProperty(s: string): string {
  return escapeGithub(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * A repository path as a SARIF `artifactLocation.uri`: a relative URI reference (resolved against
 * the repository root), so each segment is percent-encoded: a space, `%` or non-ASCII letter is
 * not valid in a URI, and a `#` or `?` would end the path.
 */
function sarifUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

function toSarif(problems: readonly Problem[], rules: readonly Rule[], version: string): unknown {
  const level = (s: Problem['severity']) => (s === 'info' ? 'note' : s);
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'home-ops',
            version,
            rules: rules.map((r) => ({ id: r.id, shortDescription: { text: r.description }, defaultConfiguration: { level: level(r.defaultSeverity) } })),
          },
        },
        results: problems.map((p) => ({
          ruleId: p.rule,
          level: level(p.severity),
          message: { text: p.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: sarifUri(p.file) },
                region: { startLine: p.range.start.line + 1, startColumn: p.range.start.character + 1, endLine: p.range.end.line + 1, endColumn: p.range.end.character + 1 },
              },
            },
          ],
        })),
      },
    ],
  };
}
