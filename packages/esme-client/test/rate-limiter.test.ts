import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../src/rate-limiter.js';

class FakeClock {
  t = 0;
  now() {
    return this.t;
  }
}

describe('TokenBucket', () => {
  it('admits exactly burst + rate × elapsed over time, never more', () => {
    const clock = new FakeClock();
    const b = new TokenBucket(100, 5, clock);
    let taken = 0;
    // 10 simulated seconds in uneven steps
    const steps = [0.3, 1.7, 2.9, 0.1, 5, 13, 0.01];
    let i = 0;
    while (clock.t < 10_000) {
      while (b.tryTake()) taken++;
      clock.t += steps[i++ % steps.length]!;
    }
    while (b.tryTake()) taken++;
    const allowed = 5 + (100 * clock.t) / 1000;
    expect(taken).toBeLessThanOrEqual(Math.floor(allowed));
    expect(taken).toBeGreaterThanOrEqual(Math.floor(allowed) - 1);
  });

  it('says how long to wait for the next token', () => {
    const clock = new FakeClock();
    const b = new TokenBucket(50, 1, clock);
    expect(b.waitMs()).toBe(0);
    expect(b.tryTake()).toBe(true);
    expect(b.tryTake()).toBe(false);
    expect(b.waitMs()).toBeCloseTo(20, 6);
    clock.t += 15;
    expect(b.waitMs()).toBeCloseTo(5, 6);
    clock.t += 5;
    expect(b.tryTake()).toBe(true);
  });

  it('rate 0 is unlimited; setRate keeps earned tokens but caps them at the new burst', () => {
    const clock = new FakeClock();
    const u = new TokenBucket(0, 1, clock);
    for (let i = 0; i < 1000; i++) expect(u.tryTake()).toBe(true);
    const b = new TokenBucket(1000, 100, clock);
    b.setRate(10, 2);
    expect(b.tryTake()).toBe(true);
    expect(b.tryTake()).toBe(true);
    expect(b.tryTake()).toBe(false);
    expect(b.currentRate).toBe(10);
  });
});
