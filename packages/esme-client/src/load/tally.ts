// What a load run counts — messages sent, attempts, acknowledgements, failures by status, retries, every status the
// server answered, what was not sent, abandoned or unanswered, latency histograms, receipts — and the LoadReport
// built from it at the end. The dispatcher (generator.ts) extends this class, so that counting on the per-message
// path stays a field increment on the run itself.
import { LatencyHistogram } from './latency.js';
import type { Timeline } from './timeline.js';
import type { LoadOptions, LoadReport, StopReason } from './types.js';

type ThrottleSummary = LoadReport['throttle'];

export function inc(r: Record<string, number>, k: string, n = 1): void {
  r[k] = (r[k] ?? 0) + n;
}

export abstract class RunTally {
  protected sent = 0;
  protected attempts = 0;
  protected acked = 0;
  protected failed = 0;
  protected notSent = 0;
  protected abandoned = 0;
  protected unanswered = 0;
  protected readonly failures: Record<string, number> = {};
  protected readonly retriedBy: Record<string, number> = {};
  protected readonly statuses: Record<string, number> = {};
  protected readonly latency = new LatencyHistogram();
  protected readonly receiptLatency = new LatencyHistogram();
  protected readonly receiptStats: Record<string, number> = {};
  protected receipts = 0;
  protected lastReceiptAt = 0;
  protected lastResponseAt = 0;
  /** The run's start (performance.now() time and epoch ms) and the end of its sending phase. */
  protected startedAt = 0;
  protected startEpoch = 0;
  protected sendEnd = 0;
  protected stopReason: StopReason | undefined;
  protected stopDetail: string | undefined;

  /** The report at the end of the run. */
  protected buildReport(o: LoadOptions, throttle: ThrottleSummary, timeline: Timeline, intervalMs: number): LoadReport {
    const end = Math.max(this.sendEnd, this.lastResponseAt);
    const durationMs = end - this.startedAt;
    const r3 = (x: number) => Math.round(x * 1000) / 1000;
    const report: LoadReport = {
      startTime: this.startEpoch,
      endTime: Math.round(this.startEpoch + durationMs),
      mode: o.mode,
      targetRate: o.mode === 'open' ? o.rate! : null,
      concurrency: o.concurrency ?? null,
      stopReason: this.stopReason ?? 'completed',
      ...(this.stopDetail !== undefined ? { stopDetail: this.stopDetail } : {}),
      sent: this.sent,
      attempts: this.attempts,
      acknowledged: this.acked,
      failed: this.failed,
      failedByStatus: { ...this.failures },
      retried: { ...this.retriedBy },
      statuses: { ...(this.acked > 0 ? { ESME_ROK: this.acked } : {}), ...this.statuses },
      notSent: this.notSent,
      abandoned: this.abandoned,
      unanswered: this.unanswered,
      throttle,
      durationMs: r3(durationMs),
      throughput: durationMs > 0 ? Math.round((this.acked * 1000 * 10) / durationMs) / 10 : 0,
      latencyMs: this.latency.summary(),
      intervalMs,
      timeline: timeline.samples,
      histograms: {
        unit: 'us',
        submit: this.latency.encode(),
        ...(o.dlr ? { receipt: this.receiptLatency.encode() } : {}),
      },
    };
    if (o.dlr) {
      report.receipts = {
        received: this.receipts,
        byStat: { ...this.receiptStats },
        latencyMs: this.receiptLatency.summary(),
        missing: Math.max(0, this.acked - this.receipts),
        lastAt: this.receipts > 0 ? Math.round(this.startEpoch + (this.lastReceiptAt - this.startedAt)) : null,
        throughput:
          this.receipts > 0 && this.lastReceiptAt > this.startedAt
            ? Math.round((this.receipts * 1000 * 10) / (this.lastReceiptAt - this.startedAt)) / 10
            : 0,
      };
    }
    return report;
  }
}
