import { describe, expect, it } from 'vitest';
import { ManualClock, systemClock } from '../src/session/index.js';

describe('ManualClock', () => {
  it('fires intervals in time order as time advances, and not after clearInterval', () => {
    const clock = new ManualClock(1000);
    const fired: string[] = [];
    const a = clock.setInterval(() => fired.push(`a@${clock.now()}`), 100);
    clock.setInterval(() => fired.push(`b@${clock.now()}`), 250);
    clock.advance(99);
    expect(fired).toEqual([]);
    clock.advance(201);
    expect(fired).toEqual(['a@1100', 'a@1200', 'b@1250', 'a@1300']);
    clock.clearInterval(a);
    clock.advance(250);
    expect(fired.slice(4)).toEqual(['b@1500']);
    expect(clock.now()).toBe(1550);
    expect(clock.activeTimers).toBe(1);
  });
});

describe('systemClock', () => {
  it('is monotonic and its intervals run and stop', async () => {
    const t0 = systemClock.now();
    let n = 0;
    const h = systemClock.setInterval(() => n++, 5);
    await new Promise((r) => setTimeout(r, 60));
    systemClock.clearInterval(h);
    const seen = n;
    await new Promise((r) => setTimeout(r, 30));
    expect(seen).toBeGreaterThan(0);
    expect(n).toBe(seen);
    expect(systemClock.now()).toBeGreaterThan(t0);
  });
});
