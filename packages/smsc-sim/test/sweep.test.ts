// The simulator's sweep on core's ManualClock: deferred work runs on the first tick at or after its time, in time
// order, at once when not delayed, and a failing piece does not stop the rest.

import { ManualClock } from '@smppkit/core';
import { describe, expect, it } from 'vitest';
import { Sweep, TICK_MS } from '../src/server/sweep.js';
import { createLogger } from '../src/util/logger.js';

describe('Sweep', () => {
  it('runs deferred work in time order on the ticks, then the per-sweep callback', () => {
    const clock = new ManualClock();
    const sweep = new Sweep(createLogger('silent'), clock);
    const ran: string[] = [];
    sweep.start(() => ran.push('tick'));
    sweep.defer(0, () => ran.push('now'));
    sweep.defer(50, () => ran.push('50'));
    sweep.defer(30, () => {
      throw new Error('broken');
    });
    sweep.defer(25, () => ran.push('25'));
    expect(ran).toEqual(['now']);
    clock.advance(TICK_MS);
    expect(ran).toEqual(['now', 'tick']);
    clock.advance(TICK_MS);
    expect(ran).toEqual(['now', 'tick', '25', 'tick']);
    clock.advance(TICK_MS);
    expect(ran).toEqual(['now', 'tick', '25', 'tick', '50', 'tick']);
    sweep.stop();
    expect(clock.activeTimers).toBe(0);
  });
});
