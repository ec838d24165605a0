import { strict as assert } from 'node:assert';
import { Coalescer } from '../../../src/core/tree/coalescer';
import type { Clock } from '../../../src/core/status/statusModel';

/** A clock the test moves by hand. */
function manualClock(): Clock & { advance(ms: number): void } {
  let now = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  let seq = 0;
  return {
    now: () => now,
    setTimeout: (fn, ms) => {
      timers.set(++seq, { at: now + ms, fn });
      return seq;
    },
    clearTimeout: (h) => void timers.delete(h as number),
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const next = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!next) break;
        timers.delete(next[0]);
        now = next[1].at;
        next[1].fn();
      }
      now = end;
    },
  };
}

describe('Coalescer', () => {
  it('runs a burst once per interval: 200 events a second give at most 10 refreshes', () => {
    const clock = manualClock();
    let runs = 0;
    const c = new Coalescer(() => runs++, 100, clock);
    for (let ms = 0; ms < 1000; ms += 5) {
      c.schedule();
      clock.advance(5);
    }
    clock.advance(200);
    assert.ok(runs <= 11 && runs >= 9, `${runs} runs`);
  });

  it('runs promptly after a quiet period and never after dispose', () => {
    const clock = manualClock();
    let runs = 0;
    const c = new Coalescer(() => runs++, 100, clock);
    c.schedule();
    clock.advance(0);
    assert.equal(runs, 1);
    c.schedule();
    c.dispose();
    clock.advance(1000);
    assert.equal(runs, 1);
  });
});
