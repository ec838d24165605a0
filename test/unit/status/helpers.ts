/** Test helpers for the status layer: a fake clock and waiting on model events (never on sleeps). */
import { Clock, ConnectionStatus, StatusChange, StatusModel } from '../../../src/core/status/statusModel';

interface Timer {
  id: number;
  at: number;
  fn: () => void;
}

/**
 * A clock whose timers fire only when the test advances it, except short ones (≤ `autoFireMs`,
 * the coalescing interval) which fire on their own right away, so change notifications flow
 * while the backoff stays under the test's control.
 */
export class FakeClock implements Clock {
  private t = 1_000_000;
  private seq = 0;
  private timers: Timer[] = [];
  private readonly auto = new Map<number, NodeJS.Timeout>();

  constructor(private readonly autoFireMs = 100) {}

  /** Short timers waiting to fire on their own. */
  get autoPending(): number {
    return this.auto.size;
  }

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    if (ms <= this.autoFireMs) {
      const id = ++this.seq;
      this.auto.set(
        id,
        setTimeout(() => {
          this.auto.delete(id);
          fn();
        }, 0),
      );
      return id;
    }
    const timer = { id: ++this.seq, at: this.t + Math.max(0, ms), fn };
    this.timers.push(timer);
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    const a = this.auto.get(handle as number);
    if (a) {
      clearTimeout(a);
      this.auto.delete(handle as number);
    }
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  /** Timers not yet fired, soonest first, as delays from now. */
  pending(): number[] {
    return this.timers.map((t) => t.at - this.t).sort((a, b) => a - b);
  }

  /** Moves time forward, firing every timer that falls due, in order. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.t = Math.max(this.t, due.at);
      due.fn();
    }
    this.t = end;
  }
}

/** Resolves with the first state (current or coming) that satisfies `predicate`. */
export function waitForState(model: StatusModel, predicate: (s: ConnectionStatus) => boolean): Promise<ConnectionStatus> {
  if (predicate(model.status)) return Promise.resolve(model.status);
  return new Promise((resolve) => {
    const sub = model.onDidChangeState((s) => {
      if (predicate(s)) {
        sub.dispose();
        resolve(s);
      }
    });
  });
}

export const isState =
  (...states: ConnectionStatus['state'][]) =>
  (s: ConnectionStatus) =>
    states.includes(s.state);

/** Resolves with the first change notification that satisfies `predicate`. */
export function waitForChange(model: StatusModel, predicate: (c: StatusChange) => boolean = () => true): Promise<StatusChange> {
  return new Promise((resolve) => {
    const sub = model.onDidChange((c) => {
      if (predicate(c)) {
        sub.dispose();
        resolve(c);
      }
    });
  });
}

/** Resolves once `predicate` holds, checked after each change notification. */
export function waitForStore(model: StatusModel, predicate: () => boolean): Promise<void> {
  if (predicate()) return Promise.resolve();
  return new Promise((resolve) => {
    const sub = model.onDidChange(() => {
      if (predicate()) {
        sub.dispose();
        resolve();
      }
    });
  });
}

/** Everything the layer said: log lines, state messages and error messages. */
export class Transcript {
  readonly lines: string[] = [];
  log = (level: string, message: string): void => {
    this.lines.push(`${level}: ${message}`);
  };
  watch(model: StatusModel): void {
    model.onDidChangeState((s) => {
      this.lines.push(`state ${s.state}: ${s.message ?? ''}`);
      if (s.error) this.lines.push(`error ${s.error.name}: ${s.error.message} ${String(s.error.stack)}`);
    });
  }
  add(text: unknown): void {
    this.lines.push(text instanceof Error ? `${text.name}: ${text.message} ${String(text.stack)}` : String(text));
  }
  get text(): string {
    return this.lines.join('\n');
  }
}
