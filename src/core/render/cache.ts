/**
 * Rendered results by input hash: in memory (most recent first, bounded) and, when a folder is
 * given, on disk so that a new VS Code window or CLI run also reopens an unchanged app at once.
 * Owned by whoever renders (the extension context, a CLI run, a test); never module state.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StatCache } from './inputs';
import type { RenderResult } from './render';

export type CachedRender = Omit<RenderResult, 'cached' | 'durationMs'> & { renderMs: number };

export class RenderCache {
  private readonly entries = new Map<string, CachedRender>();
  readonly statCache: StatCache = new Map();

  constructor(
    /** Folder for the on-disk copy; undefined: memory only. */
    private readonly dir?: string,
    private readonly maxEntries = 100,
  ) {}

  get(key: string): CachedRender | undefined {
    let hit = this.entries.get(key);
    if (!hit && this.dir) {
      try {
        hit = JSON.parse(fs.readFileSync(this.file(key), 'utf8')) as CachedRender;
      } catch {
        return undefined;
      }
    }
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(key: string, value: CachedRender): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    if (!this.dir) return;
    try {
      fs.mkdirSync(this.dir, { recursive: true });
      const tmp = `${this.file(key)}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(value));
      fs.renameSync(tmp, this.file(key));
    } catch {
      // A read-only or full disk only costs the next cold render.
    }
  }

  clear(): void {
    this.entries.clear();
    this.statCache.clear();
    if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private file(key: string): string {
    return path.join(this.dir as string, `${key}.json`);
  }
}
