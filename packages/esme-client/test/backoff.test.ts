import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../src/backoff.js';
import { LINK_TRANSITIONS, ReconnectMachine } from '../src/reconnect.js';

describe('backoffDelay', () => {
  const o = { initialDelayMs: 100, maxDelayMs: 1000, factor: 2, jitter: 0.5 };
  it('grows exponentially up to the maximum', () => {
    const noJitter = () => 0;
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, o, noJitter))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });
  it('jitter takes off at most the jitter fraction', () => {
    for (let a = 1; a < 8; a++) {
      const full = backoffDelay(a, o, () => 0);
      const d = backoffDelay(a, o, Math.random);
      expect(d).toBeLessThanOrEqual(full);
      expect(d).toBeGreaterThanOrEqual(full * 0.5);
    }
  });
});

describe('ReconnectMachine', () => {
  it('follows the transition table and counts consecutive failures', () => {
    const m = new ReconnectMachine({ initialDelayMs: 10, maxDelayMs: 100, jitter: 0, maxAttempts: 3 });
    const seen: string[] = [];
    m.on('state', (s: string, prev: string) => seen.push(`${prev}>${s}`));
    expect(m.fire('connect')).toBe('connecting');
    expect(m.fire('failed')).toBe('waiting');
    expect(m.failures).toBe(1);
    expect(m.nextDelayMs()).toBe(10);
    expect(m.fire('bound')).toBeNull(); // not valid while waiting
    m.fire('retry');
    m.fire('connected');
    m.fire('failed');
    expect(m.failures).toBe(2);
    expect(m.nextDelayMs()).toBe(20);
    expect(m.shouldRetry).toBe(true);
    m.fire('retry');
    m.fire('connected');
    m.fire('bound');
    expect(m.failures).toBe(0);
    m.fire('dropped');
    expect(m.state).toBe('waiting');
    m.fire('close');
    expect(m.state).toBe('closed');
    expect(seen[0]).toBe('idle>connecting');
    expect(seen.at(-1)).toBe('waiting>closed');
  });
  it('stops retrying after maxAttempts consecutive failures', () => {
    const m = new ReconnectMachine({ initialDelayMs: 1, maxDelayMs: 1, maxAttempts: 2 });
    m.fire('connect');
    m.fire('failed');
    expect(m.shouldRetry).toBe(true);
    m.fire('retry');
    m.fire('failed');
    expect(m.shouldRetry).toBe(false);
  });
  it('every state can be closed', () => {
    for (const s of Object.keys(LINK_TRANSITIONS)) {
      if (s === 'closed' || s === 'closing') continue;
      expect(LINK_TRANSITIONS[s as keyof typeof LINK_TRANSITIONS].close, s).toBeDefined();
    }
  });
});
