/**
 * The fields of a rendered object as the API server decodes them (kubeconform's strict mode,
 * from the OpenAPI document of the Kubernetes release in kubernetesSchemas.generated.ts).
 *
 * The value checked is the object as Argo CD sends it: read as sigs.k8s.io/yaml reads (go-yaml
 * v2, YAML 1.1: an unquoted `yes` is a boolean, `0755` a number), then JSON. What the server
 * does with it, and so what is reported:
 * - a value of the wrong JSON type (`replicas: "3"`, an env `value: 8080`, a label `true`): the
 *   typed decoder refuses it ("cannot unmarshal number into Go struct field EnvVar.value of type
 *   string") whatever the sync options;
 * - a field the type does not have (`spec.replicass`, `Image:` — decoding is case-sensitive):
 *   kubectl apply validates strictly by default, so the server refuses it ("strict decoding
 *   error: unknown field"); with the sync option `Validate=false` it drops the field instead;
 * - a field the OpenAPI document lists as required and the object does not have at all: the
 *   server's validation refuses it ("Required value");
 * - a quantity that does not parse (`memory: 512mb`): refused ("quantities must match the
 *   regular expression …").
 * `null` is taken as absent (Go decodes it to the zero value) and never reported; a
 * CustomResourceDefinition's schema (JSONSchemaProps) is not read (its own decoder is laxer, see
 * scripts/kubernetes-schemas.ts); enumerations
 * and formats other than quantities are not checked (the server's validation knows more than the
 * document says, and a false error costs more than a missed one).
 */
import { didYouMean } from '../spelling';
import { quantityError } from './quantity';

/**
 * A field's type, compact: `s` string, `y` bytes (a base64 string), `i` int32, `l` int64, `n` number, `b` boolean, `q`
 * quantity (number or string), `x` int-or-string, `o` any object, `*` anything, `#Name` the
 * definition Name, `[T` a list of T, `{T` a map of T.
 */
export type FieldType = string;

export interface KubernetesSchemas {
  /** The Kubernetes release, e.g. `v1.37.2`. */
  readonly release: string;
  /** `group/version/Kind` (`version/Kind` for the core group) → definition name. */
  readonly kinds: Readonly<Record<string, string>>;
  readonly definitions: Readonly<Record<string, { readonly f: Readonly<Record<string, FieldType>>; readonly r?: readonly string[] }>>;
}

export type SchemaProblemKind = 'type' | 'unknown-field' | 'required' | 'quantity';

export interface SchemaProblem {
  /** Path of the field in the object (`['spec', 'replicas']`); for a required field missing, its parent's. */
  path: ReadonlyArray<string | number>;
  /** The field the problem is about, as the API server names it (`spec.selector` when it is missing). */
  field: string;
  kind: SchemaProblemKind;
  message: string;
}

const INT32_MAX = 2147483647;
const INT32_MIN = -2147483648;
/** Go's base64.StdEncoding, which encoding/json decodes []byte with (line breaks ignored). */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** Enough to fix a file; an object that breaks more is broken more than once. */
const MAX_PROBLEMS_PER_OBJECT = 20;

/** `spec.template.spec.containers[0].image`, as kubectl names fields. */
export function fieldPath(path: ReadonlyArray<string | number>): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function jsonType(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  if (typeof v === 'string') return `a string (${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)})`;
  if (typeof v === 'number') return `a number (${v})`;
  if (typeof v === 'boolean') return `a boolean (${v})`;
  return typeof v;
}

const EXPECTED: Readonly<Record<string, string>> = {
  s: 'a string',
  y: 'a base64 string',
  i: 'an integer',
  l: 'an integer',
  n: 'a number',
  b: 'a boolean',
  q: 'a quantity (a number or a string such as "512Mi")',
  x: 'an integer or a string',
  o: 'a map',
};

/**
 * The problems of `value` (the object as JSON) against the schema of `apiVersion`/`kind`, or
 * undefined when Kubernetes `schemas.release` has no schema for it (a CRD's kind, a removed
 * version): those are renderedObjects.ts's to judge.
 */
export function schemaProblems(value: unknown, apiVersion: string, kind: string, schemas: KubernetesSchemas): SchemaProblem[] | undefined {
  const root = schemas.kinds[`${apiVersion}/${kind}`];
  if (!root) return undefined;
  const out: SchemaProblem[] = [];
  const report = (path: ReadonlyArray<string | number>, problemKind: SchemaProblemKind, message: string, field = fieldPath(path)) => {
    if (out.length < MAX_PROBLEMS_PER_OBJECT) out.push({ path, field, kind: problemKind, message });
  };

  const check = (v: unknown, type: FieldType, path: Array<string | number>, depth: number): void => {
    if (v === null || v === undefined || out.length >= MAX_PROBLEMS_PER_OBJECT || depth > 100) return;
    const where = fieldPath(path) || 'the object';
    const wrong = (expected: string) => report(path, 'type', `${where} must be ${expected}, not ${jsonType(v)}`);
    const head = type[0];
    switch (head) {
      case '*':
        return;
      case 's':
        if (typeof v !== 'string') wrong(EXPECTED['s'] as string);
        return;
      case 'y':
        if (typeof v !== 'string') wrong(EXPECTED['y'] as string);
        else if (!BASE64.test(v.replace(/[\r\n]/g, ''))) report(path, 'type', `${where} is no base64 text`);
        return;
      case 'b':
        if (typeof v !== 'boolean') wrong(EXPECTED['b'] as string);
        return;
      case 'n':
        if (typeof v !== 'number') wrong(EXPECTED['n'] as string);
        return;
      case 'i':
      case 'l':
        if (typeof v !== 'number' || !Number.isInteger(v)) wrong(EXPECTED[head] as string);
        else if (head === 'i' && (v > INT32_MAX || v < INT32_MIN)) report(path, 'type', `${where} is ${v}, more than a 32-bit integer holds`);
        return;
      case 'x':
        if (typeof v !== 'string' && (typeof v !== 'number' || !Number.isInteger(v))) wrong(EXPECTED['x'] as string);
        else if (typeof v === 'number' && (v > INT32_MAX || v < INT32_MIN)) report(path, 'type', `${where} is ${v}, more than a 32-bit integer holds`);
        return;
      case 'q':
        if (typeof v === 'number') return;
        if (typeof v !== 'string') wrong(EXPECTED['q'] as string);
        else {
          const error = quantityError(v.trim());
          if (error) report(path, 'quantity', `${where} is ${JSON.stringify(v)}, which is no quantity (${error})`);
        }
        return;
      case 'o':
        if (typeof v !== 'object' || Array.isArray(v)) wrong(EXPECTED['o'] as string);
        return;
      case '[':
        if (!Array.isArray(v)) return wrong('a list');
        v.forEach((item, i) => check(item, type.slice(1), [...path, i], depth + 1));
        return;
      case '{':
        if (typeof v !== 'object' || Array.isArray(v)) return wrong('a map');
        for (const [k, item] of Object.entries(v as Record<string, unknown>)) check(item, type.slice(1), [...path, k], depth + 1);
        return;
      case '#': {
        const def = schemas.definitions[type.slice(1)];
        if (!def) return;
        if (typeof v !== 'object' || Array.isArray(v)) return wrong('a map');
        const fields = v as Record<string, unknown>;
        for (const [k, item] of Object.entries(fields)) {
          const t = def.f[k];
          if (t !== undefined) {
            check(item, t, [...path, k], depth + 1);
            continue;
          }
          const guess = didYouMean(k, Object.keys(def.f));
          report([...path, k], 'unknown-field', `unknown field "${fieldPath([...path, k])}"${guess ? ` (did you mean "${guess}"?)` : ''}`);
        }
        for (const r of def.r ?? []) {
          if (!(r in fields)) report(path, 'required', `${fieldPath([...path, r])} is required`, fieldPath([...path, r]));
        }
        return;
      }
      default:
        return;
    }
  };
  check(value, `#${root}`, [], 0);
  return out;
}
