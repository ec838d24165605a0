/**
 * Argo CD's `Render.Replace` for the engine: Go templates (goTemplate: true) or the legacy
 * fasttemplate syntax. Parsed Go templates are cached by the template module, since a
 * repository's appsets render the same few strings once per generated app.
 */
import { parseGoTemplateOptions, renderFastTemplate, renderGoTemplate, type GoMap } from '../template';

export interface AppSetRenderer {
  /** Renders `text`; throws an Error (a GoTemplateError for Go templates) saying what failed. */
  render(text: string, params: GoMap, forceMissingKeyError?: boolean): string;
}

/** Builds the renderer for one ApplicationSet's goTemplate settings; throws on a bad option. */
export function appSetRenderer(goTemplate: boolean, options: readonly string[]): AppSetRenderer {
  if (!goTemplate) {
    return { render: (text, params) => (text.includes('{{') ? renderFastTemplate(text, params) : text) };
  }
  const parsed = parseGoTemplateOptions(options);
  if (parsed.error !== undefined) {
    // Go's Template.Option panics here, which stops Argo CD's controller from rendering the appset.
    throw new Error(`goTemplateOptions: ${parsed.error} (Go's text/template accepts missingkey=default, invalid, zero or error).`);
  }
  const missingKey = parsed.missingKey;
  return {
    render: (text, params, forceMissingKeyError = false) =>
      // Plain text renders to itself; skipping the parse matters on big repositories.
      text.includes('{{') ? renderGoTemplate(text, params, { missingKey: forceMissingKeyError ? 'error' : missingKey }) : text,
  };
}
