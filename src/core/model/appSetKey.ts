/**
 * Where an ApplicationSet is: its file and the index of its YAML document in that file (a file
 * may hold several). The model keeps its per-ApplicationSet state in an AppSetMap, keyed by file
 * then index, so no key is ever spelled as a string and parsed back.
 */

export interface AppSetKey {
  readonly file: string;
  readonly docIndex: number;
}

export function sameAppSet(a: AppSetKey, b: AppSetKey): boolean {
  return a.file === b.file && a.docIndex === b.docIndex;
}

/** Values by ApplicationSet: file, then document index. */
export class AppSetMap<T> {
  private readonly byFile = new Map<string, Map<number, T>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(key: AppSetKey): T | undefined {
    return this.byFile.get(key.file)?.get(key.docIndex);
  }

  has(key: AppSetKey): boolean {
    return this.byFile.get(key.file)?.has(key.docIndex) ?? false;
  }

  set(key: AppSetKey, value: T): void {
    let byIndex = this.byFile.get(key.file);
    if (!byIndex) this.byFile.set(key.file, (byIndex = new Map()));
    if (!byIndex.has(key.docIndex)) this.count++;
    byIndex.set(key.docIndex, value);
  }

  delete(key: AppSetKey): void {
    const byIndex = this.byFile.get(key.file);
    if (!byIndex?.delete(key.docIndex)) return;
    this.count--;
    if (byIndex.size === 0) this.byFile.delete(key.file);
  }

  clear(): void {
    this.byFile.clear();
    this.count = 0;
  }

  *keys(): IterableIterator<AppSetKey> {
    for (const [file, byIndex] of this.byFile) for (const docIndex of byIndex.keys()) yield { file, docIndex };
  }

  *values(): IterableIterator<T> {
    for (const byIndex of this.byFile.values()) yield* byIndex.values();
  }
}
