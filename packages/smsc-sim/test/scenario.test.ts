import { describe, expect, it } from 'vitest';
import type { Rule } from '../src/config/index.js';
import { ScenarioEngine } from '../src/scenario/scenario.js';

const msg = { systemId: 'acme', source: '111', destination: '4479001', text: 'hello' };

describe('ScenarioEngine', () => {
  it('delivers by default after the default delay', () => {
    const e = new ScenarioEngine([], 1, 250);
    expect(e.decide(msg)).toEqual({
      status: 0,
      responseDelayMs: 0,
      state: 'DELIVERED',
      err: 0,
      delayMs: 250,
      rule: null,
    });
  });

  it('takes the first matching rule: account, prefix, regex, source, text', () => {
    const rules: Rule[] = [
      { name: 'other', match: { systemId: 'other' }, outcome: { state: 'REJECTED' } },
      { name: 'fail-text', match: { text: '/#fail(\\d+)/' }, outcome: { state: 'UNDELIVERABLE', err: 7 } },
      { name: 'throttle', match: { destination: '4479', source: '111' }, response: { status: 0x58 } },
      { name: 'regex', match: { destinationRegex: '^33' }, outcome: { state: 'EXPIRED', delayMs: { fixed: 10 } } },
    ];
    const e = new ScenarioEngine(rules, 1, 100);
    expect(e.decide({ ...msg, text: 'x #fail12' })).toMatchObject({
      state: 'UNDELIVERABLE',
      err: 7,
      rule: 'fail-text',
    });
    expect(e.decide(msg)).toMatchObject({ status: 0x58, rule: 'throttle' });
    expect(e.decide({ ...msg, destination: '3312' })).toMatchObject({ state: 'EXPIRED', delayMs: 10, rule: 'regex' });
    expect(e.decide({ ...msg, destination: '9912' }).rule).toBe(null);
  });

  it('is repeatable under the same seed, and a probability splits traffic', () => {
    const rules: Rule[] = [{ probability: 0.3, outcome: { state: 'UNDELIVERABLE', delayMs: { uniform: [0, 1000] } } }];
    const run = (seed: number) => {
      const e = new ScenarioEngine(rules, seed, { exponential: 200 });
      return Array.from({ length: 1000 }, () => e.decide(msg));
    };
    const a = run(42);
    expect(run(42)).toEqual(a);
    expect(run(43)).not.toEqual(a);
    const failed = a.filter((d) => d.state === 'UNDELIVERABLE').length;
    expect(failed).toBeGreaterThan(200);
    expect(failed).toBeLessThan(400);
  });
});
