/**
 * Argo CD's `Render.Replace` for the engine: Go templates (goTemplate: true) or the legacy
 * fasttemplate syntax. A repository's appsets render the same few template strings thousands of
 * times (once per generated app), so parsed Go templates are cached by text and options.
 */
import { executeGoTemplate, parseGoTemplate, renderFastTemplate, type GoTemplateOptions, type ParsedGoTemplate } from '../template';
import type { GoMap } from '../template/value';

type MissingKey = NonNullable<GoTemplateOptions['missingKey']>;

export interface AppSetRenderer {
  /** Renders `text`; throws an Error whose message says what failed. */
  render(text: string, params: GoMap, forceMissingKeyError?: boolean): string;
}

/** Argo CD applies each `goTemplateOptions` entry with Go's `Template.Option`. */
export function parseMissingKeyOptions(options: readonly string[]): MissingKey {
  let missingKey: MissingKey = 'default';
  for (const opt of options) {
    const m = /^missingkey=(default|invalid|zero|error)$/.exec(opt);
    if (!m) {
      throw new Error(`Unrecognized goTemplateOptions entry "${opt}": Go's text/template knows only missingkey=default, missingkey=invalid, missingkey=zero and missingkey=error.`);
    }
    missingKey = m[1] as MissingKey;
  }
  return missingKey;
}

export class TemplateRenderer {
  private readonly cache = new Map<string, ParsedGoTemplate | Error>();

  forAppSet(goTemplate: boolean, options: readonly string[]): AppSetRenderer {
    if (!goTemplate) {
      return { render: (text, params) => (text.includes('{{') ? renderFastTemplate(text, params) : text) };
    }
    const missingKey = parseMissingKeyOptions(options);
    return {
      render: (text, params, forceMissingKeyError = false) => {
        // Plain text renders to itself; skipping the parse matters on big repositories.
        if (!text.includes('{{')) return text;
        const parsed = this.parse(text);
        return executeGoTemplate(parsed, params, { missingKey: forceMissingKeyError ? 'error' : missingKey });
      },
    };
  }

  private parse(text: string): ParsedGoTemplate {
    let hit = this.cache.get(text);
    if (hit === undefined) {
      try {
        hit = parseGoTemplate(text);
      } catch (e) {
        hit = e as Error;
      }
      this.cache.set(text, hit);
    }
    if (hit instanceof Error) throw hit;
    return hit;
  }
}
