// Latency recording on an HDR histogram (microsecond resolution, 3 significant digits).
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

export class LatencyHistogram {
  private readonly h = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3 });

  /** Record a latency in milliseconds (fractional allowed). */
  record(ms: number): void {
    this.h.recordValue(Math.max(1, Math.round(ms * 1000)));
  }

  get count(): number {
    return this.h.totalCount;
  }

  percentileMs(p: number): number {
    return this.h.totalCount === 0 ? 0 : this.h.getValueAtPercentile(p) / 1000;
  }

  /** Percentiles in milliseconds, rounded to the microsecond. */
  summary(): LatencySummary {
    const r = (us: number) => Math.round(us) / 1000;
    if (this.h.totalCount === 0) return { count: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0 };
    return {
      count: this.h.totalCount,
      p50: r(this.h.getValueAtPercentile(50)),
      p90: r(this.h.getValueAtPercentile(90)),
      p99: r(this.h.getValueAtPercentile(99)),
      p999: r(this.h.getValueAtPercentile(99.9)),
      max: r(this.h.maxValue),
      mean: r(this.h.mean),
    };
  }
}
