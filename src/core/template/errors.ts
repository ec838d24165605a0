/**
 * The one error type of the template engine. `message` is exactly what Go's text/template
 * returns (Argo CD wraps it into the ApplicationSet status), and `offset`/`length` locate the
 * problem in the template text (UTF-16 indices) so an editor can underline it.
 */
export class GoTemplateError extends Error {
  override readonly name = 'GoTemplateError';

  constructor(
    readonly kind: 'parse' | 'exec',
    message: string,
    /** Index into the template text where the problem is. */
    readonly offset: number,
    /** How many characters to underline (at least 1 unless the text is empty). */
    readonly length: number,
  ) {
    super(message);
  }
}

/** Go's 1-based line and 0-based byte column of `offset` in `text`, as its messages print them. */
export function goLineCol(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  let col = 0;
  for (let i = lineStart; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) col += 1;
    else if (c < 0x800) col += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      col += 4;
      i++;
    } else col += 3;
  }
  return { line, col };
}
