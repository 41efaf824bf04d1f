// What the event stream and the delivery statistics read of the traffic: totals of submits, receipts and MO kept
// beside the Prometheus metrics (the hot path pays an integer increment), and a bounded sample of receipt latencies
// for percentiles.
import { Metrics } from './metrics.js';

/** receipt latencies kept for percentiles (the newest; older ones are overwritten) */
const SAMPLE = 10_000;

/** Totals since start, read once a second for the event stream (the hot path only increments them). */
export interface ActivityTotals {
  submits: number;
  receipts: number;
  mo: number;
}

export interface LatencySummary {
  count: number;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
}

/** The last SAMPLE latencies with the time each was observed, in a ring. */
export class LatencySample {
  private readonly at = new Float64Array(SAMPLE);
  private readonly ms = new Float64Array(SAMPLE);
  private next = 0;
  private size = 0;

  add(at: number, ms: number): void {
    this.at[this.next] = at;
    this.ms[this.next] = ms;
    this.next = (this.next + 1) % SAMPLE;
    if (this.size < SAMPLE) this.size++;
  }

  /** percentiles (nearest rank) of the latencies observed at or after `since` */
  summary(since: number): LatencySummary {
    const v: number[] = [];
    for (let i = 0; i < this.size; i++) if (this.at[i] >= since) v.push(this.ms[i]);
    v.sort((a, b) => a - b);
    const rank = (p: number) => (v.length ? v[Math.min(v.length - 1, Math.ceil((p / 100) * v.length) - 1)] : null);
    return { count: v.length, p50: rank(50), p90: rank(90), p99: rank(99), max: v.length ? v[v.length - 1] : null };
  }
}

/** The simulator's metrics, also counting what the admin API shows live. */
export class ActivityMetrics extends Metrics {
  readonly totals: ActivityTotals = { submits: 0, receipts: 0, mo: 0 };
  readonly latency = new LatencySample();

  override accepted(n = 1): void {
    super.accepted(n);
    this.totals.submits += n;
  }

  override receiptAcked(latencyMs: number, at = Date.now()): void {
    super.receiptAcked(latencyMs);
    this.totals.receipts++;
    this.latency.add(at, latencyMs);
  }

  mo(parts: number): void {
    this.totals.mo += parts;
  }
}
