/**
 * Incremental decoders for the three stream framings the status layer reads. Each takes text
 * chunks that may split anywhere (a chunk boundary can fall inside a JSON string or between `\r`
 * and `\n`) and returns the complete messages found so far.
 *
 * - Argo CD without `Accept: text/event-stream`: newline-delimited JSON, one object per line;
 *   a mid-stream error is one object with no trailing newline (grpc-gateway v1.16
 *   ForwardResponseStream).
 * - Argo CD with `Accept: text/event-stream`: `data: <json> \n\n\n` per message and `:` comment
 *   lines as keep-alive (argoproj/pkg grpc/http forwarders).
 * - `kubectl get --watch -o json --output-watch-events`: indented JSON objects one after another
 *   (kubectl's JSON printer), so no line framing at all.
 */

/** Lines longer than this are refused rather than buffered forever. */
export const MAX_MESSAGE_CHARS = 64 * 1024 * 1024;

export class FramingError extends Error {}

export class NdjsonDecoder {
  private buffer = '';

  push(chunk: string): string[] {
    this.buffer += chunk;
    const out: string[] = [];
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl).trim();
      this.buffer = this.buffer.slice(nl + 1);
      if (line) out.push(line);
    }
    if (this.buffer.length > MAX_MESSAGE_CHARS) throw new FramingError('stream message too large');
    return out;
  }

  /** What is left after the stream ended: a final unterminated message, or ''. */
  end(): string {
    const rest = this.buffer.trim();
    this.buffer = '';
    return rest;
  }
}

export type SseMessage = { kind: 'data'; data: string } | { kind: 'comment' };

export class SseDecoder {
  private buffer = '';
  private data: string[] = [];

  push(chunk: string): SseMessage[] {
    this.buffer += chunk;
    const out: SseMessage[] = [];
    for (;;) {
      const nl = this.buffer.indexOf('\n');
      if (nl < 0) break;
      let line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 1);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      if (line === '') {
        // A blank line dispatches the event being built; Argo CD's extra delimiter line is a
        // blank line with nothing pending, which dispatches nothing.
        if (this.data.length > 0) out.push({ kind: 'data', data: this.data.join('\n') });
        this.data = [];
      } else if (line.startsWith(':')) {
        out.push({ kind: 'comment' });
      } else {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) value = value.slice(1);
        if (field === 'data') this.data.push(value);
        // `event`, `id`, `retry`: Argo CD sends none; ignored like unknown fields.
      }
    }
    if (this.buffer.length + this.data.reduce((n, d) => n + d.length, 0) > MAX_MESSAGE_CHARS) {
      throw new FramingError('stream message too large');
    }
    return out;
  }

  /** Data of an event that was never terminated by a blank line, or ''. */
  end(): string {
    const rest = [...this.data, ...(this.buffer.startsWith('data:') ? [this.buffer.slice(5).trimStart()] : [])].join('\n');
    this.buffer = '';
    this.data = [];
    return rest.trim();
  }
}

/** Splits a stream of concatenated JSON objects/arrays (whitespace between them allowed). */
export class JsonValueSplitter {
  private buffer = '';
  private depth = 0;
  private inString = false;
  private escaped = false;
  private scanned = 0;
  private start = -1;

  push(chunk: string): string[] {
    this.buffer += chunk;
    const out: string[] = [];
    const b = this.buffer;
    let i = this.scanned;
    for (; i < b.length; i++) {
      const c = b.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 0x5c /* \ */) this.escaped = true;
        else if (c === 0x22 /* " */) this.inString = false;
        continue;
      }
      if (c === 0x22) {
        this.inString = true;
      } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
        if (this.depth === 0) this.start = i;
        this.depth++;
      } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
        this.depth--;
        if (this.depth === 0 && this.start >= 0) {
          out.push(b.slice(this.start, i + 1));
          this.start = -1;
        } else if (this.depth < 0) {
          throw new FramingError('unbalanced JSON in stream');
        }
      } else if (this.depth === 0 && c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
        throw new FramingError(`unexpected character ${JSON.stringify(b[i])} between JSON values`);
      }
    }
    // Keep only the unfinished value.
    if (this.depth === 0) {
      this.buffer = '';
      this.scanned = 0;
    } else {
      this.buffer = b.slice(this.start);
      this.scanned = this.buffer.length;
      this.start = 0;
    }
    if (this.buffer.length > MAX_MESSAGE_CHARS) throw new FramingError('stream message too large');
    return out;
  }

  /** True when the stream stopped inside a value. */
  get pending(): boolean {
    return this.depth > 0;
  }
}
