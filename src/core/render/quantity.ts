/**
 * Whether the API server parses a text as a quantity (`512Mi`, `0.5`, `1e3`): a port of
 * k8s.io/apimachinery v0.37.2 pkg/api/resource `ParseQuantity` (quantity.go, suffix.go), down
 * to its leniencies (`Mi` alone is 0, `1.` and `.5` are numbers) — a regular expression would
 * call some of those wrong. Returns the server's error message, or undefined when it parses.
 */
const FORMAT_WRONG = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const SUFFIX_WRONG = "unable to parse quantity's suffix";
const NUMERIC_WRONG = 'unable to parse numeric part of quantity';

const DECIMAL_SUFFIXES: Readonly<Record<string, number>> = { '': 0, n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

interface Parts {
  value: string;
  num: string;
  denom: string;
  suffix: string;
}

/** parseQuantityString: sign, leading zeros, numerator, `.` and denominator, suffix. */
function parts(str: string): Parts | undefined {
  const end = str.length;
  let pos = 0;
  if (str[0] === '-' || str[0] === '+') pos++;
  while (pos < end && str[pos] === '0') pos++;
  if (pos >= end) return { value: '0', num: '0', denom: '', suffix: '' };
  const numStart = pos;
  while (pos < end && isDigit(str[pos])) pos++;
  if (pos >= end) return { value: str, num: str.slice(numStart), denom: '', suffix: '' };
  const num = str.slice(numStart, pos) || '0';
  let denom = '';
  if (str[pos] === '.') {
    pos++;
    const denomStart = pos;
    while (pos < end && isDigit(str[pos])) pos++;
    if (pos >= end) return { value: str, num, denom: str.slice(denomStart), suffix: '' };
    denom = str.slice(denomStart, pos);
  }
  const value = str.slice(0, pos);
  const suffixStart = pos;
  while (pos < end && 'eEinumkKMGTP'.includes(str[pos] as string)) pos++;
  if (pos >= end) return { value, num, denom, suffix: str.slice(suffixStart) };
  if (str[pos] === '-' || str[pos] === '+') pos++;
  while (pos < end && isDigit(str[pos])) pos++;
  // A character other than a digit after the suffix's letters and sign.
  return pos >= end ? { value, num, denom, suffix: str.slice(suffixStart) } : undefined;
}

export function quantityError(str: string): string | undefined {
  if (str === '') return FORMAT_WRONG;
  if (str === '0') return undefined;
  const p = parts(str);
  if (!p) return FORMAT_WRONG;
  let exponent: number;
  let binary = false;
  if (p.suffix in DECIMAL_SUFFIXES) exponent = DECIMAL_SUFFIXES[p.suffix] as number;
  else if (p.suffix in BINARY_SUFFIXES) {
    exponent = BINARY_SUFFIXES[p.suffix] as number;
    binary = true;
  } else if (/^[eE][+-]?\d+$/.test(p.suffix) && Math.abs(Number(p.suffix.slice(1))) <= Number.MAX_SAFE_INTEGER) exponent = Number(p.suffix.slice(1));
  else return SUFFIX_WRONG;
  // The fast path (an int64 amount) parses num+denom as digits; the slow one reads `value` as a decimal.
  const precision = binary ? (exponent >= 0 && p.denom === '' ? 15 - p.num.length - Math.trunc((exponent * 3) / 10) - 1 : -1) : 18 - (p.num.length + p.denom.length);
  const scale = (binary ? 0 : exponent) - p.denom.length;
  if (precision >= 0 && scale >= -9) return undefined;
  return /^[+-]?(?:\d+\.?\d*|\.\d+)$/.test(p.value) ? undefined : NUMERIC_WRONG;
}
