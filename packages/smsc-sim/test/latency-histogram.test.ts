// LatencyHistogram (api/latency-histogram.ts) shows what prom-client's Histogram shows for the same observations:
// the same exposition text, bounds included (a value equal to a bound is in its bucket), after a reset too.

import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../src/api/latency-histogram.js';

const BOUNDS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

describe('LatencyHistogram', () => {
  it("writes prom-client's exposition of the same observations", async () => {
    const theirs = new Registry();
    const ours = new Registry();
    const h = new Histogram({ name: 'x_seconds', help: 'h → e', registers: [theirs], buckets: BOUNDS });
    const l = new LatencyHistogram('x_seconds', 'h → e', BOUNDS, ours);
    expect(await ours.metrics()).toBe(await theirs.metrics());
    const values = [0, 0.001, 0.01, 0.0100001, 0.05, 0.3, 1, 2.5, 7, 30, 60, 60.5, 1000, ...BOUNDS.map((b) => b / 2)];
    for (const v of values) {
      h.observe(v);
      l.observe(v);
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect(await ours.metrics()).toContain('x_seconds_bucket{le="0.01"} 4');
    ours.resetMetrics();
    theirs.resetMetrics();
    h.observe(0.2);
    l.observe(0.2);
    expect(await ours.metrics()).toBe(await theirs.metrics());
  });
});
