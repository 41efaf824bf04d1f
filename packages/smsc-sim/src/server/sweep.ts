// The simulator's one coarse tick (every TICK_MS): work deferred to a later sweep (response delays, resumes) —
// no timer per request — then the per-sweep callback (delivery, metrics, groups, waiters).
import type { Logger } from '../util/logger.js';
import { MinHeap } from '../util/min-heap.js';

/** How often the one sweep runs (due transitions, outbox, deferred work, expiry of open concatenation groups). */
export const TICK_MS = 20;

export class Sweep {
  private readonly deferred = new MinHeap<{ at: number; run: () => void }>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly log: Logger) {}

  start(each: (now: number) => void): void {
    this.timer = setInterval(() => {
      const now = Date.now();
      this.runDue(now);
      each(now);
    }, TICK_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Runs fn after about ms (on the sweep, TICK_MS granularity); at once when ms <= 0. */
  defer(ms: number, fn: () => void): void {
    if (ms <= 0) fn();
    else this.deferred.push({ at: Date.now() + ms, run: fn });
  }

  private runDue(now: number): void {
    for (let d = this.deferred.peek(); d && d.at <= now; d = this.deferred.peek()) {
      this.deferred.pop();
      try { d.run(); } catch (e) { this.log.error({ err: (e as Error).stack }, 'deferred work failed'); }
    }
  }
}
