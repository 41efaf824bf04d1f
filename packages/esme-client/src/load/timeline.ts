// The load run's timeline: counters and latency histograms per interval (default 1 s), closed into one
// TimelineSample each (with the interval's HDR histograms, also handed to `onInterval` for an interval log).
// The dispatcher increments the open interval's fields directly on the per-message path.
import { LatencyHistogram } from './latency.js';
import type { LoadOptions, TimelineSample } from './types.js';

export class Timeline {
  /** The open interval: its start (performance.now() time) and counts. */
  start = 0;
  sent = 0;
  acked = 0;
  failed = 0;
  retried = 0;
  receipts = 0;
  /** The open interval's submit and receipt latency (ms). */
  readonly latency = new LatencyHistogram();
  readonly receipt = new LatencyHistogram();
  /** The closed intervals. */
  readonly samples: TimelineSample[] = [];
  private lastRate = 0;
  private startedAt = 0;
  private startEpoch = 0;

  constructor(
    private readonly dlr: boolean,
    private readonly onInterval: LoadOptions['onInterval'],
  ) {}

  /** The run starts: `startedAt` performance.now() time, `startEpoch` the same as epoch ms. */
  begin(startedAt: number, startEpoch: number): void {
    this.start = this.startedAt = startedAt;
    this.startEpoch = startEpoch;
  }

  /** Acknowledgements per second lately: the open interval's, or the last closed one's if that was faster. */
  recentRate(now: number): number {
    const elapsed = Math.max(1, now - this.start);
    return Math.max((this.acked * 1000) / elapsed, this.lastRate);
  }

  /** Close the open interval at `now` (`window`: the effective window then) and open the next. */
  close(now: number, window: number | null): void {
    const length = (now - this.start) / 1000;
    if (length <= 0) return;
    const l = this.latency.summary();
    const sample: TimelineSample = {
      t: Math.round(this.start - this.startedAt) / 1000,
      length: Math.round(length * 1000) / 1000,
      sent: this.sent,
      acknowledged: this.acked,
      failed: this.failed,
      retried: this.retried,
      receipts: this.receipts,
      latencyMs: { p50: l.p50, p90: l.p90, p99: l.p99, max: l.max, count: l.count },
      histogram: this.latency.encode(),
      window,
    };
    if (this.dlr) sample.receiptHistogram = this.receipt.encode();
    this.samples.push(sample);
    const startEpoch = this.startEpoch + (this.start - this.startedAt);
    this.onInterval?.(startEpoch, startEpoch + length * 1000, this.latency, this.receipt);
    this.lastRate = length > 0 ? this.acked / length : 0;
    this.latency.reset();
    this.receipt.reset();
    this.start = now;
    this.sent = this.acked = this.failed = this.retried = this.receipts = 0;
  }
}
