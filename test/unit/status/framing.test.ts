import assert from 'node:assert/strict';
import { FramingError, JsonValueSplitter, NdjsonDecoder, SseDecoder } from '../../../src/core/status/framing';

const events = [
  { result: { type: 'ADDED', application: { metadata: { name: 'a' }, note: 'line\nbreak "quoted" {brace} ü' } } },
  { result: { type: 'MODIFIED', application: { metadata: { name: 'b' } } } },
];

/** Feeds `text` split at every position (two chunks), and byte by byte. */
function splits(text: string): string[][] {
  const out: string[][] = [[...text]];
  for (let i = 0; i <= text.length; i++) out.push([text.slice(0, i), text.slice(i)]);
  return out;
}

describe('status/framing', () => {
  it('newline-delimited JSON: messages survive any chunk split', () => {
    const text = events.map((e) => JSON.stringify(e)).join('\n') + '\n';
    for (const chunks of splits(text)) {
      const d = new NdjsonDecoder();
      const got = chunks.flatMap((c) => d.push(c)).map((l) => JSON.parse(l));
      assert.deepEqual(got, events);
      assert.equal(d.end(), '');
    }
  });

  it('newline-delimited JSON: an error chunk without newline is left for end()', () => {
    const d = new NdjsonDecoder();
    assert.deepEqual(d.push(`${JSON.stringify(events[0])}\n{"error":{"http_code":403}}`).length, 1);
    assert.deepEqual(JSON.parse(d.end()), { error: { http_code: 403 } });
  });

  it('text/event-stream: Argo CD framing `data: <json> \\n\\n\\n` and keep-alive comments, any split', () => {
    const text = events.map((e) => `data: ${JSON.stringify(e)} \n\n\n:\n`).join('') + ':\r\n';
    for (const chunks of splits(text)) {
      const d = new SseDecoder();
      const got = chunks.flatMap((c) => d.push(c));
      assert.deepEqual(
        got.filter((m) => m.kind === 'data').map((m) => JSON.parse((m as { data: string }).data)),
        events,
      );
      assert.equal(got.filter((m) => m.kind === 'comment').length, 3);
    }
  });

  it('text/event-stream: multi-line data and CRLF', () => {
    const d = new SseDecoder();
    assert.deepEqual(d.push('data: {"a":\r\ndata: 1}\r\n\r\n'), [{ kind: 'data', data: '{"a":\n1}' }]);
  });

  it('concatenated indented JSON values (kubectl --watch -o json), any split', () => {
    const text = events.map((e) => JSON.stringify(e, null, 4)).join('\n');
    for (const chunks of splits(text)) {
      const s = new JsonValueSplitter();
      assert.deepEqual(
        chunks.flatMap((c) => s.push(c)).map((v) => JSON.parse(v)),
        events,
      );
      assert.equal(s.pending, false);
    }
  });

  it('concatenated JSON: garbage between values is an error, a cut value is pending', () => {
    assert.throws(() => new JsonValueSplitter().push('{"a":1} oops'), FramingError);
    const s = new JsonValueSplitter();
    s.push('{"a":"}');
    assert.equal(s.pending, true);
  });
});
