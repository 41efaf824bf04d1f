// The adaptive window and send rate (AIMD). A retryable refusal shrinks the window (ESME_RMSGQFUL) or the window
// and the rate (ESME_RTHROTTLED) multiplicatively, at most once per window's worth of submits; every acknowledgement
// grows them back additively until the configured window / the schedule's rate is reached again. The rate cap is a
// token bucket (burst rate/50) the dispatcher asks before each send. Also the throttle's statistics: decreases, the
// smallest window and rate cap, the time spent throttled.
import type { Schedule } from './schedule.js';
import type { Timeline } from './timeline.js';
import type { LoadReport } from './types.js';

export type Throttle = 'window' | 'rate';

export class Aimd {
  /** The effective window (Infinity: unlimited) and rate cap (Infinity: none); the dispatcher reads both per send. */
  cwnd: number;
  rateCap = Infinity;
  private tokens = 0;
  private tokensAt = 0;
  private lastDecreaseSeq = 0;
  private decreases = 0;
  private minWindow = Infinity;
  private minRateCap = Infinity;
  private throttledSince = -1;
  private throttledMs = 0;

  /** `cap`: the configured window (Infinity: unlimited). */
  constructor(readonly cap: number) {
    this.cwnd = cap;
  }

  /** The run starts (the token bucket fills from now). */
  start(now: number): void {
    this.tokensAt = now;
  }

  /** Below the configured window or under a rate cap: acknowledgements have something to grow back. */
  get throttled(): boolean {
    return this.cwnd < this.cap || this.rateCap !== Infinity;
  }

  /** The window as reported (null: unlimited). */
  get window(): number | null {
    return this.cwnd === Infinity ? null : Math.floor(this.cwnd);
  }

  /** Under a rate cap: may one more go now? */
  takeToken(now: number): boolean {
    const rate = this.rateCap;
    const burst = Math.max(1, rate / 50);
    this.tokens = Math.min(burst, this.tokens + ((now - this.tokensAt) * rate) / 1000);
    this.tokensAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }

  /** An acknowledgement while throttled (the caller checks `throttled` first): additive increase.
   *  `schedule` (open loop) gives the target rate at `elapsed` ms, where the rate cap is lifted. */
  grow(now: number, schedule: Schedule | undefined, elapsed: number): void {
    if (this.cwnd < this.cap) {
      // Additive increase: about one more outstanding per window of acknowledgements.
      this.cwnd = Math.min(this.cap, this.cwnd + 1 / this.cwnd);
      if (this.cwnd >= this.cap) this.noteThrottle(now);
    }
    if (this.rateCap !== Infinity) {
      this.rateCap += 0.1;
      if ((schedule !== undefined && this.rateCap >= schedule.rateAt(elapsed)) || this.rateCap > 1e7) {
        this.rateCap = Infinity;
        this.noteThrottle(now);
      }
    }
  }

  /**
   * A refusal of kind `kind` to attempt number `seq`; `lastSeq` is the latest attempt sent, `outstanding` the submits
   * still in flight. Multiplicative decrease, once per window's worth of submits (the answers to submits sent before
   * the decrease say nothing new); the rate is halved from the cap, or else from the recent acknowledgement rate.
   */
  shrink(kind: Throttle, seq: number, lastSeq: number, outstanding: number, now: number, timeline: Timeline): void {
    if (seq <= this.lastDecreaseSeq) return;
    this.lastDecreaseSeq = lastSeq;
    this.decreases++;
    this.cwnd = Math.max(1, Math.floor(Math.min(this.cwnd, outstanding + 1) * 0.75));
    this.minWindow = Math.min(this.minWindow, this.cwnd);
    if (kind === 'rate') {
      const base = this.rateCap !== Infinity ? this.rateCap : timeline.recentRate(now);
      this.rateCap = Math.max(1, base / 2);
      this.tokens = 0;
      this.tokensAt = now;
      this.minRateCap = Math.min(this.minRateCap, this.rateCap);
    }
    this.noteThrottle(now);
  }

  /** Time spent throttled up to `now` (ms). */
  throttledMsAt(now: number): number {
    return this.throttledMs + (this.throttledSince >= 0 ? now - this.throttledSince : 0);
  }

  /** The throttle part of the report, at the end of the run. */
  summary(now: number): LoadReport['throttle'] {
    this.noteThrottle(now);
    return {
      decreases: this.decreases,
      timeMs: Math.round(this.throttledMsAt(now)),
      minWindow: this.minWindow === Infinity ? null : this.minWindow,
      minRateCap: this.minRateCap === Infinity ? null : Math.round(this.minRateCap * 10) / 10,
    };
  }

  private noteThrottle(now: number): void {
    if (this.throttledSince < 0 && this.throttled) this.throttledSince = now;
    else if (this.throttledSince >= 0 && !this.throttled) {
      this.throttledMs += now - this.throttledSince;
      this.throttledSince = -1;
    }
  }
}
