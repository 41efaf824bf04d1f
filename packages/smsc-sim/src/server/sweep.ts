// The simulator's one coarse tick (every TICK_MS), on core's Clock: work deferred to a later sweep (response
// delays, resumes) — no timer per request — then the per-sweep callback (delivery, metrics, groups, waiters),
// which is handed the wall-clock time (stored timestamps are epoch ms).
import { type Clock, systemClock } from '@smppkit/core';
import type { Logger } from '../util/logger.js';
import { MinHeap } from '../util/min-heap.js';

/** How often the one sweep runs (due transitions, outbox, deferred work, expiry of open concatenation groups). */
export const TICK_MS = 20;

export class Sweep {
  private readonly deferred = new MinHeap<{ at: number; run: () => void }>();
  private timer: unknown = null;

  /** @param clock the tick and the deferred work's time (a ManualClock in tests) */
  constructor(
    private readonly log: Logger,
    private readonly clock: Clock = systemClock,
  ) {}

  start(each: (now: number) => void): void {
    this.timer = this.clock.setInterval(() => {
      this.runDue(this.clock.now());
      each(Date.now());
    }, TICK_MS);
  }

  stop(): void {
    if (this.timer !== null) this.clock.clearInterval(this.timer);
    this.timer = null;
  }

  /** Runs fn after about ms (on the sweep, TICK_MS granularity); at once when ms <= 0. */
  defer(ms: number, fn: () => void): void {
    if (ms <= 0) fn();
    else this.deferred.push({ at: this.clock.now() + ms, run: fn });
  }

  private runDue(now: number): void {
    for (let d = this.deferred.peek(); d && d.at <= now; d = this.deferred.peek()) {
      this.deferred.pop();
      try {
        d.run();
      } catch (e) {
        this.log.error({ err: (e as Error).stack }, 'deferred work failed');
      }
    }
  }
}
