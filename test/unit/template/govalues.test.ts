import assert from 'node:assert/strict';
import {
  GoInt,
  goBytesToString,
  goStringToBytes,
  normalizeGoString,
  renderGoTemplate,
  renderGoTemplateBytes,
} from '../../../src/core/template';

const render = (t: string, data: Record<string, unknown> = {}): string => renderGoTemplate(t, data as never);

describe('Go values beyond JSON data', () => {
  it('keeps int64 exact beyond 2^53 and wraps like Go', () => {
    assert.equal(render('{{9223372036854775807}}'), '9223372036854775807');
    assert.equal(render('{{add 9223372036854775807 1}}'), '-9223372036854775808');
    assert.equal(render('{{printf "%x" -9223372036854775808}}'), '-8000000000000000');
    assert.equal(new GoInt(2n ** 64n + 5n, 'int64').toString(), '5');
    assert.equal(new GoInt(-1, 'uint8').value, -1, 'small numbers stay on the fast path unchanged');
  });

  it('prints complex constants as complex128', () => {
    assert.equal(render('{{1i}} {{1+2i}} {{printf "%T" 0i}}'), '(0+1i) (1+2i) complex128');
  });

  it('calls methods of *semver.Version and checks constraints', () => {
    assert.equal(render('{{$v := semver "v1.2.3-rc.1+b"}}{{$v.Major}} {{$v.Prerelease}} {{$v.Metadata}} {{$v.Original}} {{$v}}'), '1 rc.1 b v1.2.3-rc.1+b 1.2.3-rc.1+b');
    assert.equal(render('{{(semver "1.2.3").Compare (semver "1.3.0")}}'), '-1');
    assert.equal(render('{{semverCompare "^1.2 || ~0.9" "0.9.5"}}'), 'true');
    assert.equal(render('{{semverCompare ">1.0.0" "1.0.1-rc.1"}}'), 'false');
    assert.throws(() => render('{{semver "x.y"}}'), /Invalid Semantic Version/);
  });

  it('parses and joins URLs as net/url', () => {
    assert.equal(render('{{(urlParse "https://u:p@h.io:8443/a%20b?q#f").hostname}}'), 'h.io');
    assert.equal(render('{{(urlParse "https://u:p@h.io:8443/a%20b?q#f").path}}'), '/a b');
    assert.equal(render('{{urlJoin (dict "scheme" "https" "host" "x.io" "path" "/a b")}}'), 'https://x.io/a%20b');
  });

  it('formats and parses times with Go layouts', () => {
    assert.equal(render('{{toDate "2006-01-02" "2024-02-29"}}'), '2024-02-29 00:00:00 +0000 UTC');
    assert.equal(render('{{toDate "2006-01-02" "2024-02-29" | dateModify "36h" | date "Mon Jan _2 3:04PM 2006"}}'), 'Fri Mar  1 12:00PM 2024');
    assert.equal(render('{{dateInZone "2006-01-02 15:04 -07:00" 1700000000 "Asia/Kolkata"}}'), '2023-11-15 03:43 +05:30');
    assert.equal(render('{{toDate "2006-01-02" "nope" | date "2006"}}'), '0001');
    assert.throws(() => render('{{mustToDate "2006-01-02" "2024-02-30"}}'), /day out of range/);
  });

  it('derives passwords and round-trips AES like sprig', () => {
    assert.equal(render('{{derivePassword 1 "long" "password" "user" "example.com"}}'), 'ZedaFaxcZaso9*');
    assert.equal(render('{{encryptAES "k" "secret ✓" | decryptAES "k"}}'), 'secret ✓');
  });

  it('carries bytes that are not UTF-8 exactly', () => {
    const s = goBytesToString(Uint8Array.from([0x68, 0xc3, 0xff, 0xe2, 0x82, 0xac]));
    assert.equal(s, 'h\udcc3\udcff€');
    assert.deepEqual([...goStringToBytes(s)], [0x68, 0xc3, 0xff, 0xe2, 0x82, 0xac]);
    assert.equal(normalizeGoString('\udce2\udc82' + '\udcac'), '€');
    assert.equal(render('{{len ("/w==" | b64dec)}} {{"/w==" | b64dec | printf "%q"}}'), '1 "\\xff"');
    assert.equal(render('{{substr 0 2 "héllo"}}'), 'h\ufffd', 'text output shows a bad byte as U+FFFD');
    assert.deepEqual([...renderGoTemplateBytes('{{substr 0 2 "héllo"}}', {})], [0x68, 0xc3]);
  });
});
