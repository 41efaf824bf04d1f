// The load generator's latency histograms (issue 16): values counted in a flat array before the HDR histogram give
// exactly the histogram recording each value would (counts, percentiles, mean, encoding), whenever it is read.
import hdr from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '../src/index.js';
import { meanOf } from '../src/load/latency.js';

function reference(valuesMs: number[]) {
  const h = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
    autoResize: true,
  });
  for (const ms of valuesMs) h.recordValue(Math.min(3_600_000_000, Math.max(1, Math.round(ms * 1000))));
  return h;
}

describe('LatencyHistogram: flat counts first, the same histogram', () => {
  it('gives the counts, percentiles, mean and encoding of recording each value in HDR', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const values: number[] = [];
    for (let i = 0; i < 50_000; i++) values.push(rnd() < 0.9 ? rnd() * 40 : rnd() * 5000); // 0..40 ms, some to 5 s
    values.push(0, 0.0004, 32.767, 32.768, 32.7685, 3_600_001);
    const l = new LatencyHistogram();
    for (const v of values) l.record(v);
    const r = reference(values);
    expect(l.count).toBe(values.length);
    expect(l.h.totalCount).toBe(r.totalCount);
    for (const p of [0, 1, 50, 90, 99, 99.9, 99.99, 100])
      expect(l.h.getValueAtPercentile(p)).toBe(r.getValueAtPercentile(p));
    expect(l.h.mean).toBe(r.mean);
    expect(l.encode()).toBe(hdr.encodeIntoCompressedBase64(r));
  });

  it("summary's mean is exactly the histogram's own, at every scale (read without its iterator)", () => {
    let seed = 11;
    const rnd = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let t = 0; t < 60; t++) {
      const scaleMs = 10 ** (t / 10 - 2); // 10 µs … 100 s
      const values: number[] = [];
      const n = 1 + Math.floor(rnd() * 3000);
      for (let i = 0; i < n; i++) values.push(rnd() * scaleMs * (rnd() < 0.01 ? 100 : 1));
      const l = new LatencyHistogram();
      for (const v of values) l.record(v);
      const r = reference(values);
      expect(meanOf(l.h)).toBe(r.mean);
      expect(l.summary().mean).toBe(Math.round(r.mean) / 1000);
    }
    expect(meanOf(new LatencyHistogram().h)).toBe(0);
  });

  it('reads in the middle of recording, add and reset see every value recorded before them', () => {
    const a = new LatencyHistogram();
    a.record(1.5);
    a.record(2.5);
    expect(a.percentileMs(100)).toBe(2.5);
    a.record(0.2);
    expect(a.count).toBe(3);
    expect(a.summary()).toMatchObject({ count: 3, max: 2.5 });
    const b = new LatencyHistogram();
    b.record(7);
    b.add(a);
    expect(b.count).toBe(4);
    expect(b.summary().max).toBe(7);
    a.record(9);
    a.reset();
    expect(a.count).toBe(0);
    a.record(3);
    expect(a.summary()).toMatchObject({ count: 1, max: 3, p50: 3 });
    expect(LatencyHistogram.decode(a.encode()).count).toBe(1);
  });
});
