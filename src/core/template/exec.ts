/**
 * The executor of Go's text/template (`text/template/exec.go`): walks a parse tree against
 * template data and produces the output string, with Go's argument checking, missing-key
 * handling and error messages. Values move through it as `RV`s (see builtins.ts).
 */
import { GoTemplateError } from './errors';
import { formatValue, sortedKeys, quote } from './fmt';
import {
  BUILTINS,
  CallError,
  type ExecFunc,
  Iface,
  INVALID,
  type ParamType,
  type RV,
  canBeNil,
  concrete,
  inSlot,
  isTrue,
  rvTypeName,
  zeroOf,
} from './builtins';
import {
  type AnyNode,
  type ArgNode,
  type ChainNode,
  type CommandNode,
  type FieldNode,
  type IdentifierNode,
  type ListNode,
  type Node,
  type NumberNode,
  type ParseResult,
  type PipeNode,
  type RangeNode,
  type TemplateNode,
  type VariableNode,
  errorContext,
  nodeString,
} from './parse';
import { GO_METHOD, GoInt, GoObject, type GoFuncDef, type GoFuncMap, type GoMethod, type GoValue, elemTypeOf, goTypeName, isGoMap, normalizeGoString } from './value';
import { GoComplex } from './fmt';

export type MissingKey = 'default' | 'invalid' | 'zero' | 'error';

/** Marks "no value piped in" (Go's `missingVal`), distinct from the zero Value. */
const MISSING: unique symbol = Symbol('missing');
type Final = RV | typeof MISSING;

const NORMAL = 0;
const BREAK = 1;
const CONTINUE = 2;
type Status = typeof NORMAL | typeof BREAK | typeof CONTINUE;

const MAX_EXEC_DEPTH = 100000;

/**
 * Bounds on one execution. Go (and so Argo CD) has none, but the editor renders every template
 * for every match on each pause in typing and must not hang on `{{range until 100000000}}`.
 * Real ApplicationSet templates render a field in well under a thousand steps and a few KB, so
 * these limits (about half a second of work, 1 MiB of text) are far above any real use.
 */
export const MAX_EXEC_STEPS = 1_000_000;
export const MAX_EXEC_OUTPUT = 1024 * 1024;

class ExecAbort {
  constructor(readonly error: GoTemplateError) {}
}

const wrapped = new WeakMap<GoFuncDef, ExecFunc>();

function wrapFunc(d: GoFuncDef): ExecFunc {
  let f = wrapped.get(d);
  if (!f) {
    const fn = d.fn;
    const call = (args: RV[]): RV => {
      const plain = new Array<GoValue>(args.length);
      for (let i = 0; i < args.length; i++) {
        const a = args[i] as RV;
        plain[i] = a instanceof Iface ? a.v : a === INVALID ? null : a;
      }
      return fn(...plain);
    };
    f = d.variadic ? { params: d.params, variadic: d.variadic, builtin: false, call } : { params: d.params, builtin: false, call };
    wrapped.set(d, f);
  }
  return f;
}

/** A method value: the receiver is bound, the executor checks arguments as for a function. */
function methodFunc(m: GoMethod): ExecFunc {
  const fn = m.fn;
  const call = (args: RV[]): RV => fn(...args.map((a) => (a instanceof Iface ? a.v : a === INVALID ? null : a)));
  return m.variadic ? { params: m.params, variadic: m.variadic, builtin: false, call } : { params: m.params, builtin: false, call };
}

function isIntKind(t: ParamType): boolean {
  return t === 'int' || t === 'int8' || t === 'int16' || t === 'int32' || t === 'int64';
}

function isUintKind(t: ParamType): boolean {
  return t === 'uint' || t === 'uint8' || t === 'uint16' || t === 'uint32' || t === 'uint64';
}

interface Variable {
  name: string;
  value: RV;
}

export interface ExecOptions {
  missingKey: MissingKey;
  funcs: GoFuncMap;
  /**
   * Keep bytes that are not valid UTF-8 as value.ts's escape code units instead of U+FFFD, for
   * callers that convert the output to Go's exact bytes with `goStringToBytes`.
   */
  rawBytes?: boolean;
}

class State {
  out = '';
  private node: AnyNode | undefined;
  private vars: Variable[];
  private tmplName: string;
  private depth = 0;
  private steps = 0;

  constructor(
    private readonly tmpl: ParseResult,
    private readonly opts: ExecOptions,
    dot: RV,
  ) {
    this.vars = [{ name: '$', value: dot }];
    this.tmplName = tmpl.name;
  }

  private at(node: AnyNode): void {
    this.node = node;
  }

  errorf(msg: string): never {
    const node = this.node;
    if (!node) {
      throw new ExecAbort(new GoTemplateError('exec', `template: ${this.tmplName}: ${msg}`, 0, 0));
    }
    const { location, context } = errorContext(this.tmpl, node);
    const text = this.tmpl.text;
    const offset = Math.min(node.pos, text.length);
    const length = Math.max(0, Math.min(context.length, text.length - offset));
    throw new ExecAbort(
      new GoTemplateError('exec', `template: ${location}: executing ${quote(this.tmplName)} at <${context}>: ${msg}`, offset, length),
    );
  }

  // -- variables

  private push(name: string, value: RV): void {
    this.vars.push({ name, value });
  }

  private setVar(name: string, value: RV): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i] as Variable;
      if (v.name === name) {
        v.value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  private setTopVar(n: number, value: RV): void {
    (this.vars[this.vars.length - n] as Variable).value = value;
  }

  private varValue(name: string): RV {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i] as Variable;
      if (v.name === name) return v.value;
    }
    this.errorf(`undefined variable: ${name}`);
  }

  // -- walking

  walk(dot: RV, node: Node): Status {
    this.at(node);
    if (++this.steps > MAX_EXEC_STEPS) this.errorf(`Home-Ops stops a template after ${MAX_EXEC_STEPS} steps (Argo CD has no such limit, but no real template comes near it)`);
    switch (node.type) {
      case 'action': {
        const val = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) {
          this.at(node);
          this.out += val === INVALID ? '<no value>' : formatValue(val as GoValue);
          this.checkOutput();
        }
        return NORMAL;
      }
      case 'text':
        this.out += node.text;
        this.checkOutput();
        return NORMAL;
      case 'list':
        return this.walkList(dot, node);
      case 'break':
        return BREAK;
      case 'continue':
        return CONTINUE;
      case 'comment':
        return NORMAL;
      case 'if':
      case 'with':
        return this.walkIfOrWith(node.type, dot, node.pipe, node.list, node.elseList);
      case 'range':
        return this.walkRange(dot, node);
      case 'template':
        return this.walkTemplate(dot, node);
    }
  }

  private checkOutput(): void {
    if (this.out.length > MAX_EXEC_OUTPUT) this.errorf(`Home-Ops stops a template whose output exceeds ${MAX_EXEC_OUTPUT} characters (Argo CD has no such limit, but no real template comes near it)`);
  }

  private walkList(dot: RV, list: ListNode): Status {
    for (const n of list.nodes) {
      const s = this.walk(dot, n);
      if (s !== NORMAL) return s;
    }
    return NORMAL;
  }

  private walkIfOrWith(typ: 'if' | 'with', dot: RV, pipe: PipeNode, list: ListNode, elseList: ListNode | undefined): Status {
    const mark = this.vars.length;
    try {
      const val = this.evalPipeline(dot, pipe);
      if (isTrue(val)) return this.walk(typ === 'with' ? val : dot, list);
      if (elseList) return this.walk(dot, elseList);
      return NORMAL;
    } finally {
      this.vars.length = mark;
    }
  }

  private walkRange(dot: RV, r: RangeNode): Status {
    this.at(r);
    const outer = this.vars.length;
    try {
      const val = this.evalPipeline(dot, r.pipe);
      const mark = this.vars.length;
      const decl = r.pipe.decl;
      // Returns true when the range must stop ({{break}}).
      const oneIteration = (index: RV, elem: RV): boolean => {
        if (decl.length > 0) {
          if (r.pipe.isAssign) this.setVar((decl[0] as VariableNode).ident[0] as string, decl.length > 1 ? index : elem);
          else this.setTopVar(1, elem);
        }
        if (decl.length > 1) {
          if (r.pipe.isAssign) this.setVar((decl[1] as VariableNode).ident[0] as string, elem);
          else this.setTopVar(2, index);
        }
        const s = this.walk(elem, r.list);
        this.vars.length = mark;
        return s === BREAK;
      };
      const c = val === INVALID ? INVALID : concrete(val);
      if (c instanceof GoInt) {
        if (decl.length > 1) this.errorf(`can't use ${formatValue(c)} to iterate over more than one variable`);
        if (c.value > 0) {
          for (let i = 0; i < c.value; i++) if (oneIteration(INVALID, new GoInt(i, c.kind))) break;
          return NORMAL;
        }
      } else if (Array.isArray(c)) {
        if (c.length > 0) {
          const et = elemTypeOf(c);
          for (let i = 0; i < c.length; i++) if (oneIteration(new GoInt(i), inSlot(c[i] as GoValue, et))) break;
          return NORMAL;
        }
      } else if (c !== INVALID && isGoMap(c)) {
        const keys = sortedKeys(c);
        if (keys.length > 0) {
          const et = elemTypeOf(c);
          for (const k of keys) if (oneIteration(k, inSlot(c[k] as GoValue, et))) break;
          return NORMAL;
        }
      } else if (c !== INVALID) {
        this.errorf(`range can't iterate over ${formatValue(c)}`);
      }
      if (r.elseList) return this.walk(dot, r.elseList);
      return NORMAL;
    } finally {
      this.vars.length = outer;
    }
  }

  private walkTemplate(dot: RV, t: TemplateNode): Status {
    this.at(t);
    const tree = this.tmpl.trees.get(t.name);
    if (!tree) this.errorf(`template ${quote(t.name)} not defined`);
    if (this.depth === MAX_EXEC_DEPTH) this.errorf(`exceeded maximum template depth (${MAX_EXEC_DEPTH})`);
    const newDot = this.evalPipeline(dot, t.pipe);
    const saved = { vars: this.vars, name: this.tmplName };
    this.vars = [{ name: '$', value: newDot }];
    this.tmplName = t.name;
    this.depth++;
    try {
      this.walk(newDot, tree.root);
    } finally {
      this.depth--;
      this.vars = saved.vars;
      this.tmplName = saved.name;
    }
    return NORMAL;
  }

  // -- evaluation

  evalPipeline(dot: RV, pipe: PipeNode | undefined): RV {
    if (!pipe) return INVALID;
    this.at(pipe);
    let value: Final = MISSING;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value);
      if (value instanceof Iface) value = value.v;
      else if (value === null) value = INVALID;
    }
    const result = value as RV;
    for (const v of pipe.decl) {
      if (pipe.isAssign) this.setVar(v.ident[0] as string, result);
      else this.push(v.ident[0] as string, result);
    }
    return result;
  }

  private notAFunction(args: ArgNode[] | undefined, final: Final): void {
    if ((args && args.length > 1) || final !== MISSING) {
      this.errorf(`can't give argument to non-function ${args ? nodeString(args[0] as ArgNode) : ''}`);
    }
  }

  private evalCommand(dot: RV, cmd: CommandNode, final: Final): RV {
    const first = cmd.args[0] as ArgNode;
    switch (first.type) {
      case 'field':
        return this.evalFieldNode(dot, first, cmd.args, final);
      case 'chain':
        return this.evalChainNode(dot, first, cmd.args, final);
      case 'identifier':
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case 'variable':
        return this.evalVariableNode(first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case 'bool':
        return first.value;
      case 'dot':
        return dot;
      case 'nil':
        this.errorf('nil is not a command');
      case 'number':
        return this.idealConstant(first);
      case 'string':
        return first.text;
    }
  }

  private idealConstant(n: NumberNode): RV {
    this.at(n);
    if (n.isComplex) return new GoComplex(n.real, n.imag);
    if (n.isFloat && !isHexInt(n.text) && !n.text.startsWith("'") && /[.eEpP]/.test(n.text)) return n.float64;
    if (n.isInt) return new GoInt(n.int64, 'int');
    if (n.isUint) this.errorf(`${n.text} overflows int`);
    return INVALID;
  }

  private evalFieldNode(dot: RV, field: FieldNode, args: ArgNode[] | undefined, final: Final): RV {
    this.at(field);
    return this.evalFieldChain(dot, dot, field, field.ident, args, final);
  }

  private evalChainNode(dot: RV, chain: ChainNode, args: ArgNode[] | undefined, final: Final): RV {
    this.at(chain);
    if (chain.node.type === 'nil') this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const pipe = this.evalArg(dot, undefined, chain.node);
    return this.evalFieldChain(dot, pipe, chain, chain.field, args, final);
  }

  private evalVariableNode(v: VariableNode, args: ArgNode[] | undefined, final: Final): RV {
    this.at(v);
    const value = this.varValue(v.ident[0] as string);
    if (v.ident.length === 1) {
      this.notAFunction(args, final);
      return value;
    }
    // Go evaluates a variable's fields with the variable's value as dot.
    return this.evalFieldChain(value, value, v, v.ident.slice(1), args, final);
  }

  private evalFieldChain(dot: RV, receiver0: RV, node: AnyNode, ident: string[], args: ArgNode[] | undefined, final: Final): RV {
    let receiver = receiver0;
    const n = ident.length;
    for (let i = 0; i < n - 1; i++) receiver = this.evalField(dot, node, ident[i] as string, undefined, MISSING, receiver);
    return this.evalField(dot, node, ident[n - 1] as string, args, final, receiver);
  }

  private evalField(dot: RV, node: AnyNode, fieldName: string, args: ArgNode[] | undefined, final: Final, receiver: RV): RV {
    if (receiver === INVALID) {
      if (this.opts.missingKey === 'error') this.errorf(`nil data; no entry for key ${quote(fieldName)}`);
      return INVALID;
    }
    if (receiver === null) this.errorf(`nil pointer evaluating interface {}.${fieldName}`);
    const r = receiver instanceof Iface ? receiver.v : receiver;
    if (r instanceof GoObject) {
      const m = r[GO_METHOD](fieldName);
      if (m) return this.evalCall(dot, methodFunc(m), node, fieldName, args, final);
      this.errorf(`can't evaluate field ${fieldName} in type ${r.goType}`);
    }
    if (isGoMap(r)) {
      if ((args && args.length > 1) || final !== MISSING) this.errorf(`${fieldName} is not a method but has arguments`);
      const et = elemTypeOf(r);
      if (Object.hasOwn(r, fieldName)) return inSlot(r[fieldName] as GoValue, et);
      switch (this.opts.missingKey) {
        case 'zero':
          return zeroOf(et);
        case 'error':
          this.errorf(`map has no entry for key ${quote(fieldName)}`);
          default:
          return INVALID;
      }
    }
    this.errorf(`can't evaluate field ${fieldName} in type ${rvTypeName(receiver)}`);
  }

  private findFunction(name: string): ExecFunc | undefined {
    const user = this.opts.funcs.get(name);
    if (user) return wrapFunc(user);
    return BUILTINS.get(name);
  }

  private evalFunction(dot: RV, node: IdentifierNode, cmd: AnyNode, args: ArgNode[] | undefined, final: Final): RV {
    this.at(node);
    const name = node.ident;
    const fn = this.findFunction(name);
    if (!fn) this.errorf(`${quote(name)} is not a defined function`);
    return this.evalCall(dot, fn, cmd, name, args, final);
  }

  private evalCall(dot: RV, fn: ExecFunc, node: AnyNode, name: string, allArgs: ArgNode[] | undefined, final: Final): RV {
    const args = allArgs ? allArgs.slice(1) : [];
    const params = fn.params;
    const nParams = params.length + (fn.variadic ? 1 : 0);
    let numIn = args.length;
    if (final !== MISSING) numIn++;
    let numFixed = args.length;
    if (fn.variadic) {
      numFixed = params.length;
      if (numIn < numFixed) this.errorf(`wrong number of args for ${name}: want at least ${params.length} got ${args.length}`);
    } else if (numIn !== params.length) {
      this.errorf(`wrong number of args for ${name}: want ${params.length} got ${numIn}`);
    }

    if (fn.builtin && (name === 'and' || name === 'or')) {
      let v: RV = INVALID;
      for (const arg of args) {
        v = this.evalArg(dot, 'reflect.Value', arg);
        if (isTrue(v) === (name === 'or')) return v;
      }
      if (final !== MISSING) v = this.validateType(final, 'reflect.Value');
      return v;
    }

    const argv: RV[] = new Array<RV>(numIn);
    let i = 0;
    for (; i < numFixed && i < args.length; i++) argv[i] = this.evalArg(dot, params[i] as ParamType, args[i] as ArgNode);
    if (fn.variadic) {
      for (; i < args.length; i++) argv[i] = this.evalArg(dot, fn.variadic, args[i] as ArgNode);
    }
    if (final !== MISSING) {
      let t: ParamType;
      if (fn.variadic) t = numIn - 1 < numFixed ? (params[numIn - 1] as ParamType) : fn.variadic;
      else t = params[nParams - 1] as ParamType;
      argv[i] = this.validateType(final, t);
    }

    if (fn.builtin && name === 'call') {
      const callee = args.length === 0 ? calleeString(final) : nodeString(args[0] as ArgNode);
      argv.unshift(callee);
    }

    let result: RV;
    try {
      result = fn.call(argv);
    } catch (e) {
      if (e instanceof ExecAbort) throw e;
      this.at(node);
      this.errorf(`error calling ${name}: ${errorMessage(e)}`);
    }
    return result;
  }

  private validateType(value: RV, typ: ParamType | undefined): RV {
    if (value === INVALID) {
      if (typ === undefined) return INVALID;
      if (canBeNil(typ)) return zeroOf(typ);
      this.errorf(`invalid value; expected ${typ}`);
    }
    if (typ === undefined || typ === 'reflect.Value' || typ === 'interface {}') return value;
    if (value === null) this.errorf(`wrong type for value; expected ${typ}; got interface {}`);
    const v = value instanceof Iface ? value.v : value;
    const vt = goTypeName(v);
    if (vt !== typ) this.errorf(`wrong type for value; expected ${typ}; got ${vt}`);
    return v;
  }

  private evalArg(dot: RV, typ: ParamType | undefined, n: ArgNode): RV {
    this.at(n);
    switch (n.type) {
      case 'dot':
        return this.validateType(dot, typ);
      case 'nil':
        if (typ !== undefined && canBeNil(typ)) return zeroOf(typ);
        this.errorf(`cannot assign nil to ${typ ?? '<nil>'}`);
      case 'field':
        return this.validateType(this.evalFieldNode(dot, n, [n], MISSING), typ);
      case 'variable':
        return this.validateType(this.evalVariableNode(n, undefined, MISSING), typ);
      case 'pipe':
        return this.validateType(this.evalPipeline(dot, n), typ);
      case 'identifier':
        return this.validateType(this.evalFunction(dot, n, n, undefined, MISSING), typ);
      case 'chain':
        return this.validateType(this.evalChainNode(dot, n, undefined, MISSING), typ);
    }
    if (typ === undefined) this.errorf(`can't handle ${nodeString(n)} for arg of type <nil>`);
    if (typ === 'bool') {
      if (n.type === 'bool') return n.value;
      this.errorf(`expected bool; found ${nodeString(n)}`);
    }
    if (typ === 'float64' || typ === 'float32') {
      if (n.type === 'number' && n.isFloat) return n.float64;
      this.errorf(`expected float; found ${nodeString(n)}`);
    }
    if (isIntKind(typ)) {
      if (n.type === 'number' && n.isInt) return new GoInt(n.int64, typ as GoInt['kind']);
      this.errorf(`expected integer; found ${nodeString(n)}`);
    }
    if (isUintKind(typ)) {
      if (n.type === 'number' && n.isUint) return new GoInt(n.uint64, typ as GoInt['kind']);
      this.errorf(`expected unsigned integer; found ${nodeString(n)}`);
    }
    if (typ === 'interface {}' || typ === 'reflect.Value') return this.evalEmptyInterface(dot, n);
    if (typ === 'string') {
      if (n.type === 'string') return n.text;
      this.errorf(`expected string; found ${nodeString(n)}`);
    }
    this.errorf(`can't handle ${nodeString(n)} for arg of type ${typ}`);
  }

  private evalEmptyInterface(dot: RV, n: ArgNode): RV {
    this.at(n);
    switch (n.type) {
      case 'bool':
        return n.value;
      case 'dot':
        return dot;
      case 'field':
        return this.evalFieldNode(dot, n, undefined, MISSING);
      case 'identifier':
        return this.evalFunction(dot, n, n, undefined, MISSING);
      case 'number':
        return this.idealConstant(n);
      case 'string':
        return n.text;
      case 'variable':
        return this.evalVariableNode(n, undefined, MISSING);
      case 'pipe':
        return this.evalPipeline(dot, n);
    }
    this.errorf(`can't handle assignment of ${nodeString(n)} to empty interface argument`);
  }
}

function isHexInt(s: string): boolean {
  return s.length > 2 && s[0] === '0' && (s[1] === 'x' || s[1] === 'X') && !/[pP]/.test(s);
}

function calleeString(v: Final): string {
  if (typeof v === 'string') return v;
  if (v === MISSING || v === INVALID) return '<invalid Value>';
  const c = v instanceof Iface ? v.v : v;
  return `<${c === null ? 'interface {}' : goTypeName(c)} Value>`;
}

function errorMessage(e: unknown): string {
  if (e instanceof CallError) return e.message;
  if (e instanceof GoTemplateError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

/** Runs a parsed template against `data`. Throws GoTemplateError. */
export function execute(tmpl: ParseResult, data: GoValue, opts: ExecOptions): string {
  const dot: RV = data === null ? INVALID : data;
  const state = new State(tmpl, opts, dot);
  const main = tmpl.trees.get(tmpl.name);
  try {
    if (main) state.walk(dot, main.root);
    else state.errorf(`${quote(tmpl.name)} is an incomplete or empty template`);
  } catch (e) {
    if (e instanceof ExecAbort) throw e.error;
    if (e instanceof RangeError) {
      // Go stops at a template depth of 100000; JavaScript's stack ends sooner.
      throw new GoTemplateError('exec', `template: ${tmpl.name}: exceeded maximum template depth (${MAX_EXEC_DEPTH})`, 0, 0);
    }
    throw e;
  }
  return opts.rawBytes ? state.out : wellFormed(state.out);
}

const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * The output as text: each byte that is not valid UTF-8 becomes U+FFFD, which is what Go's bytes
 * turn into in any UTF-8 text (a YAML or JSON document, an editor, encoding/json's own encoder).
 */
function wellFormed(s0: string): string {
  if (!SURROGATE.test(s0)) return s0;
  const s = normalizeGoString(s0);
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      out += s[i] + (s[i + 1] as string);
      i++;
    } else out += c >= 0xd800 && c <= 0xdfff ? '\uFFFD' : s[i];
  }
  return out;
}
