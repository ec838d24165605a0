import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * One small argument parser for every `home-ops` command: flags (`--json`), options with a value
 * (`--format json` or `--format=json`, repeatable ones collected), and positionals; anything
 * else is a usage error with a message. Commands validate the values themselves.
 */
export interface ArgSpec {
  flags?: readonly string[];
  options?: readonly string[];
  maxPositional: number;
}

export interface ParsedArgs {
  positional: string[];
  flags: Set<string>;
  /** Option name → values in order (the last one wins for single-valued options). */
  options: Map<string, string[]>;
}

export function parseArgs(args: readonly string[], spec: ArgSpec): ParsedArgs | { error: string } {
  const out: ParsedArgs = { positional: [], flags: new Set(), options: new Map() };
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    if (spec.flags?.includes(a)) out.flags.add(a);
    else if (spec.options?.includes(name)) {
      const value = name !== a ? a.slice(eq + 1) : args[++i];
      if (value === undefined || value === '') return { error: `${name} needs a value` };
      out.options.set(name, [...(out.options.get(name) ?? []), value]);
    } else if (a.startsWith('-')) return { error: `unknown option ${a}` };
    else if (out.positional.length < spec.maxPositional) out.positional.push(a);
    else return { error: `unexpected argument ${a}` };
  }
  return out;
}

/** The last value given for an option. */
export function lastOption(p: ParsedArgs, name: string): string | undefined {
  const v = p.options.get(name);
  return v?.[v.length - 1];
}

/** The folder a command works on (default: the current one); undefined after saying why not. */
export function resolveDir(dir: string | undefined, err: (s: string) => void): string | undefined {
  const root = path.resolve(dir ?? '.');
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    err(`home-ops: ${root} is not a folder\n`);
    return undefined;
  }
  return root;
}
