// Per-account TPS limit: a token bucket holding at most one second of tokens.

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    now: number,
  ) {
    this.tokens = perSecond;
    this.last = now;
  }

  /** Takes one token; false when the account is over its rate. perSecond 0 = unlimited. */
  take(now: number): boolean {
    if (this.perSecond === 0) return true;
    const elapsed = now - this.last;
    if (elapsed > 0) {
      this.tokens = Math.min(this.perSecond, this.tokens + (elapsed * this.perSecond) / 1000);
      this.last = now;
    }
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** One TokenBucket per account, made on its first submit. */
export class TokenBuckets {
  private readonly buckets = new Map<string, TokenBucket>();

  take(systemId: string, tps: number, now: number): boolean {
    let b = this.buckets.get(systemId);
    if (!b) {
      b = new TokenBucket(tps, now);
      this.buckets.set(systemId, b);
    }
    return b.take(now);
  }
}
