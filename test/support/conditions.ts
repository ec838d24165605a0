/**
 * Condition waits for test doubles: `waitFor(predicate)` resolves once the predicate holds,
 * re-checked whenever the double calls `changed()` after a request or state change. No polling.
 */
export class Conditions {
  private readonly waiters = new Set<() => void>();

  waitFor(predicate: () => boolean): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (predicate()) {
          this.waiters.delete(check);
          resolve();
        }
      };
      this.waiters.add(check);
    });
  }

  changed(): void {
    for (const w of [...this.waiters]) w();
  }
}
