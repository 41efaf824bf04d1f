// Latency recording on an HDR histogram (microsecond resolution, 3 significant digits). Histograms travel in
// HdrHistogram's compressed base64 form (the form its own tools and interval logs use), so reports from several
// hosts merge by adding histograms, never by averaging percentiles.

import type { Histogram } from 'hdr-histogram-js';
import hdr from 'hdr-histogram-js';

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

const HIGHEST_US = 3_600_000_000;

function newHistogram(): Histogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_US,
    numberOfSignificantValueDigits: 3,
    autoResize: true,
  });
}

/** Latencies below this (µs) are counted in a flat array first (one increment per value) and added to the HDR
 *  histogram, value by value with their counts, when it is read: the same counts, at a fraction of the cost. */
const FLAT_US = 1 << 15;
/** Flushed before any flat count could pass what a histogram bucket holds. */
const FLUSH_AT = 2 ** 31 - 1;

/**
 * The histogram's mean, as its `mean` gives it (the same terms, summed in the same order), without its iterator:
 * `mean` walks every index through an iterator object, 15x slower, and a load run asks once a second per interval.
 * A histogram that is not the JavaScript implementation gives its own.
 */
export function meanOf(h: Histogram): number {
  if (!(h instanceof hdr.JsHistogram)) return h.mean;
  if (h.totalCount === 0) return 0;
  const n = h.countsArrayLength;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const c = h.getCountAtIndex(i);
    if (c !== 0) total += h.medianEquivalentValue(h.valueFromIndex(i)) * c;
  }
  return total / h.totalCount;
}

export class LatencyHistogram {
  private readonly hist: Histogram;
  /** The largest value recorded, exactly (µs): an encoded histogram keeps only its bucket's upper edge. */
  private exactMax = 0;
  /** Counts of values (µs) under FLAT_US not yet in `hist`, between flatLo and flatHi; allocated at first use. */
  private flat: Uint32Array | undefined;
  private flatLo = FLAT_US;
  private flatHi = -1;
  private flatCount = 0;

  constructor(h?: Histogram) {
    this.hist = h ?? newHistogram();
  }

  /** The HDR histogram, every value recorded so far in it. */
  get h(): Histogram {
    if (this.flatCount > 0) this.flush();
    return this.hist;
  }

  /** Record a latency in milliseconds (fractional allowed). */
  record(ms: number): void {
    const us = Math.min(HIGHEST_US, Math.max(1, Math.round(ms * 1000)));
    if (us > this.exactMax) this.exactMax = us;
    if (us >= FLAT_US) {
      this.hist.recordValue(us);
      return;
    }
    const flat = (this.flat ??= new Uint32Array(FLAT_US));
    flat[us]!++;
    if (us < this.flatLo) this.flatLo = us;
    if (us > this.flatHi) this.flatHi = us;
    if (++this.flatCount >= FLUSH_AT) this.flush();
  }

  private flush(): void {
    const flat = this.flat!;
    const h = this.hist;
    for (let us = this.flatLo; us <= this.flatHi; us++) {
      const c = flat[us]!;
      if (c === 0) continue;
      h.recordValueWithCount(us, c);
      flat[us] = 0;
    }
    this.flatLo = FLAT_US;
    this.flatHi = -1;
    this.flatCount = 0;
  }

  /** The max in µs: exact when recorded here or given with decode, else the histogram's. */
  private get maxUs(): number {
    return this.exactMax > 0 ? this.exactMax : this.h.maxValue;
  }

  get count(): number {
    return this.h.totalCount;
  }

  /** A percentile in ms; never above the largest value recorded (a bucket's upper edge can be). */
  percentileMs(p: number): number {
    if (this.h.totalCount === 0) return 0;
    return Math.min(this.h.getValueAtPercentile(p), this.maxUs) / 1000;
  }

  /** Add another histogram's counts (merging hosts or intervals). */
  add(other: LatencyHistogram): void {
    const a = this.count > 0 ? this.maxUs : 0;
    const b = other.count > 0 ? other.maxUs : 0;
    this.h.add(other.h);
    this.exactMax = Math.max(a, b);
  }

  reset(): void {
    if (this.flatCount > 0) {
      this.flat!.fill(0, this.flatLo, this.flatHi + 1);
      this.flatLo = FLAT_US;
      this.flatHi = -1;
      this.flatCount = 0;
    }
    this.hist.reset();
    this.exactMax = 0;
  }

  /** HdrHistogram compressed base64 (values in microseconds). */
  encode(): string {
    return hdr.encodeIntoCompressedBase64(this.h);
  }

  /** From compressed base64; `maxMs` (the report's max beside it) restores the exact max. */
  static decode(base64: string, maxMs?: number): LatencyHistogram {
    const decoded = hdr.decodeFromCompressedBase64(base64, 32, false);
    const h = new LatencyHistogram();
    h.h.add(decoded);
    if (maxMs !== undefined && h.count > 0) h.exactMax = Math.round(maxMs * 1000);
    return h;
  }

  /** Percentiles in milliseconds, rounded to the microsecond; each at most the max. */
  summary(): LatencySummary {
    const h = this.h;
    if (h.totalCount === 0) return { count: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0 };
    const max = this.maxUs;
    const r = (us: number) => Math.round(Math.min(us, max)) / 1000;
    return {
      count: h.totalCount,
      p50: r(h.getValueAtPercentile(50)),
      p90: r(h.getValueAtPercentile(90)),
      p99: r(h.getValueAtPercentile(99)),
      p999: r(h.getValueAtPercentile(99.9)),
      max: r(max),
      mean: Math.round(meanOf(h)) / 1000,
    };
  }

  /** The percentile distribution (HdrHistogram's usual points), in ms, for charts. */
  distribution(): Array<{ percentile: number; ms: number }> {
    if (this.h.totalCount === 0) return [];
    const points = [
      0, 10, 20, 30, 40, 50, 55, 60, 65, 70, 75, 77.5, 80, 82.5, 85, 87.5, 90, 92.5, 95, 96.25, 97.5, 98.4375, 99, 99.5,
      99.75, 99.9, 99.95, 99.99, 99.995, 99.999, 100,
    ];
    return points.map((p) => ({ percentile: p, ms: this.percentileMs(p) }));
  }
}
