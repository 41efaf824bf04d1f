// Time source for the session engine. Every timeout (response, window wait, enquire_link, inactivity,
// session init) is checked against now() by one coarse periodic tick per session; nothing arms a timer per PDU.
// Tests inject a ManualClock and move time forward by hand.

export interface Clock {
  /** Milliseconds on a monotonic scale (only differences are used). */
  now(): number;
  /** Calls fn every ms milliseconds until cleared. Must not keep the process alive on its own. */
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  setInterval(fn, ms) {
    const handle = setInterval(fn, ms);
    handle.unref();
    return handle;
  },
  clearInterval(handle) {
    clearInterval(handle as ReturnType<typeof setInterval>);
  },
};

interface ManualTimer {
  fn: () => void;
  ms: number;
  due: number;
}

/** A clock that only moves when told to: advance(ms) fires the intervals that fall due, in time order. */
export class ManualClock implements Clock {
  private time: number;
  private readonly timers = new Set<ManualTimer>();

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setInterval(fn: () => void, ms: number): unknown {
    if (!(ms > 0)) throw new RangeError(`interval must be > 0 ms, got ${ms}`);
    const timer: ManualTimer = { fn, ms, due: this.time + ms };
    this.timers.add(timer);
    return timer;
  }

  clearInterval(handle: unknown): void {
    this.timers.delete(handle as ManualTimer);
  }

  /** Number of live intervals (a stopped session leaves none behind). */
  get activeTimers(): number {
    return this.timers.size;
  }

  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let next: ManualTimer | undefined;
      for (const t of this.timers) if (t.due <= end && (next === undefined || t.due < next.due)) next = t;
      if (next === undefined) break;
      this.time = next.due;
      next.due += next.ms;
      next.fn();
    }
    this.time = end;
  }
}
