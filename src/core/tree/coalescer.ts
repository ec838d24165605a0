/**
 * Runs `action` at most once per `intervalMs`, however often `schedule()` is called: the first
 * call after a quiet period runs promptly, a burst collapses into one run at the end of the
 * interval. The tree view uses it so a watch stream of hundreds of events a second refreshes the
 * view at most ten times a second.
 */
import { systemClock, type Clock } from '../status/statusModel';

export class Coalescer {
  private timer: unknown;
  private last = -Infinity;
  private disposed = false;
  /** How many times `action` ran (for tests and the benchmark). */
  runs = 0;

  constructor(
    private readonly action: () => void,
    private readonly intervalMs: number,
    private readonly clock: Clock = systemClock,
  ) {}

  schedule(): void {
    if (this.timer !== undefined || this.disposed) return;
    const wait = Math.max(0, this.last + this.intervalMs - this.clock.now());
    this.timer = this.clock.setTimeout(() => this.onTimer(), wait);
  }

  /** Timers may fire a millisecond early; waiting out the rest keeps the rate limit exact. */
  private onTimer(): void {
    this.timer = undefined;
    const early = this.last + this.intervalMs - this.clock.now();
    if (early > 0) this.timer = this.clock.setTimeout(() => this.onTimer(), early);
    else this.runNow();
  }

  /** Runs now (cancelling a pending run), e.g. after a user action that must show at once. */
  runNow(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.disposed) return;
    this.last = this.clock.now();
    this.runs++;
    this.action();
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
