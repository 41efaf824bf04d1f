// Token bucket: exact over time (continuous refill from the clock), no timers of its own.
// The caller asks how long to wait and schedules one wake-up for its whole queue.

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => performance.now() };

export class TokenBucket {
  private tokens: number;
  private last: number;

  /**
   * @param rate tokens per second (0 = unlimited)
   * @param burst bucket capacity; the bucket starts full
   */
  constructor(
    private rate: number,
    private burst: number = Math.max(1, rate / 10),
    private readonly clock: Clock = systemClock,
  ) {
    this.tokens = burst;
    this.last = clock.now();
  }

  get unlimited(): boolean {
    return this.rate <= 0;
  }

  /** Change the rate (e.g. to slow down after throttling); keeps the tokens already earned. */
  setRate(rate: number, burst: number = Math.max(1, rate / 10)): void {
    this.refill();
    this.rate = rate;
    this.burst = burst;
    if (this.tokens > burst) this.tokens = burst;
  }

  get currentRate(): number {
    return this.rate;
  }

  private refill(): void {
    const now = this.clock.now();
    const elapsed = now - this.last;
    this.last = now;
    if (elapsed > 0 && this.rate > 0) {
      this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.rate) / 1000);
    }
  }

  /** Take one token if available. */
  tryTake(): boolean {
    if (this.rate <= 0) return true;
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }

  /** Milliseconds until one token is available (0 if available now). */
  waitMs(): number {
    if (this.rate <= 0) return 0;
    this.refill();
    if (this.tokens >= 1) return 0;
    return ((1 - this.tokens) * 1000) / this.rate;
  }
}
