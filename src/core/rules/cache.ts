/**
 * What rules keep: `ctx.store` between lint runs, `ctx.run` for one run. Each use site creates
 * its CacheSlot once (at module level) with the type of what it keeps, so what is read back has
 * the type it was stored with, and two sites cannot collide on a key by accident (a slot is
 * known by identity; its name is for debugging).
 */
export class CacheSlot<T> {
  /** Carries T at the type level only; nothing is stored on the slot. */
  declare private readonly valueType: T;
  constructor(readonly name: string) {}
}

export class RuleCache {
  private readonly slots = new Map<CacheSlot<unknown>, Map<string, unknown>>();

  /** The value kept in `slot` (under `key`, for slots that keep one value per file or document). */
  get<T>(slot: CacheSlot<T>, key = ''): T | undefined {
    // The only cast: set() took a T for this slot.
    return this.slots.get(slot)?.get(key) as T | undefined;
  }

  set<T>(slot: CacheSlot<T>, value: T, key = ''): T {
    let entries = this.slots.get(slot);
    if (!entries) this.slots.set(slot, (entries = new Map()));
    entries.set(key, value);
    return value;
  }
}
