// The load generator core: open loop at a fixed arrival rate (latency from the INTENDED send time, so a slow
// server cannot hide behind the generator — no coordinated omission) or closed loop at full window.
// One timer drives the schedule; no timer per request.
import { LatencyHistogram, type LatencySummary } from './latency.js';

export interface LoadOptions {
  /** 'open': fixed arrival rate; 'closed': keep `concurrency` submits outstanding. */
  mode: 'open' | 'closed';
  /** Arrivals per second (open loop). */
  rate?: number;
  /** Outstanding submits kept (closed loop): binds × window. */
  concurrency?: number;
  /** Stop after this many submits … */
  count?: number;
  /** … or after this long (ms). At least one of count/duration. */
  durationMs?: number;
  /** After the last response, wait this long for receipts still missing (ms); 0 = do not wait. */
  receiptWaitMs?: number;
  /** Expect receipts (one per acknowledged submit). */
  dlr?: boolean;
  /** Called about once a second. */
  onProgress?: (p: LoadProgress) => void;
  progressIntervalMs?: number;
}

/** One submit: resolve when acknowledged; reject with an error carrying statusName (or code). */
export type SubmitFn = (index: number) => Promise<unknown>;

export interface LoadProgress {
  elapsedMs: number;
  sent: number;
  acknowledged: number;
  failed: number;
  outstanding: number;
  /** Acknowledgements per second over the last interval. */
  currentRate: number;
  p50: number;
  p99: number;
  errors: Record<string, number>;
  receipts: number;
}

export interface LoadReport {
  mode: 'open' | 'closed';
  targetRate: number | null;
  concurrency: number | null;
  sent: number;
  acknowledged: number;
  failed: number;
  failedByStatus: Record<string, number>;
  durationMs: number;
  /** Acknowledged submits per second over the sending phase. */
  throughput: number;
  /** submit → response latency (ms); open loop: from the intended send time. */
  latencyMs: LatencySummary;
  receipts?: {
    received: number;
    byStat: Record<string, number>;
    /** submit → receipt latency (ms). */
    latencyMs: LatencySummary;
    missing: number;
    /** Receipts the client could not pair with any submit (reported, or still held at the end). */
    unmatched?: number;
    /**
     * Receipts paired before the link's id form was learned that the learned form contradicts. (A pairing is never
     * guessed: with unmatched and missing 0 as well, every receipt went to its own submit.)
     */
    mispaired?: number;
    /** Messages whose receipt arrived, per second from the start to the last receipt: the sustained rate
     *  end to end, which a server that accepts faster than it reports cannot inflate. */
    throughput: number;
  };
}

export class LoadRun {
  private sent = 0;
  private acked = 0;
  private failed = 0;
  private readonly failures: Record<string, number> = {};
  private readonly latency = new LatencyHistogram();
  private readonly receiptLatency = new LatencyHistogram();
  private readonly receiptStats: Record<string, number> = {};
  private receipts = 0;
  private lastReceiptAt = 0;
  private startedAt = 0;
  private sendPhaseEnd = 0;
  private lastProgressAt = 0;
  private lastProgressAcked = 0;
  private receiptWaiter: (() => void) | undefined;

  constructor(private readonly opts: LoadOptions, private readonly submit: SubmitFn) {
    if (opts.count === undefined && opts.durationMs === undefined) throw new Error('load: give a count or a duration');
    if (opts.mode === 'open' && !(opts.rate! > 0)) throw new Error(`load: open loop needs a rate > 0 (got '${opts.rate}')`);
    if (opts.mode === 'closed' && !(opts.concurrency! >= 1)) throw new Error(`load: closed loop needs a concurrency >= 1 (got '${opts.concurrency}')`);
  }

  /** A receipt came for one of our submits (the caller matches; `latencyMs` is submit → receipt). */
  recordReceipt(stat: string, latencyMs: number): void {
    this.receipts++;
    this.lastReceiptAt = performance.now();
    this.receiptStats[stat] = (this.receiptStats[stat] ?? 0) + 1;
    this.receiptLatency.record(latencyMs);
    if (this.receiptWaiter && this.receipts >= this.acked) this.receiptWaiter();
  }

  private onDone(start: number, err: unknown): void {
    const now = performance.now();
    if (err === undefined) {
      this.acked++;
      this.latency.record(now - start);
    } else {
      this.failed++;
      const e = err as { statusName?: string; code?: string; message?: string };
      const k = e.statusName ?? e.code ?? 'ERROR';
      this.failures[k] = (this.failures[k] ?? 0) + 1;
    }
  }

  private progress(outstanding: () => number): void {
    const now = performance.now();
    const dt = now - this.lastProgressAt;
    const rate = dt > 0 ? ((this.acked - this.lastProgressAcked) * 1000) / dt : 0;
    this.lastProgressAt = now;
    this.lastProgressAcked = this.acked;
    this.opts.onProgress?.({
      elapsedMs: now - this.startedAt,
      sent: this.sent,
      acknowledged: this.acked,
      failed: this.failed,
      outstanding: outstanding(),
      currentRate: rate,
      p50: this.latency.percentileMs(50),
      p99: this.latency.percentileMs(99),
      errors: { ...this.failures },
      receipts: this.receipts,
    });
  }

  async run(): Promise<LoadReport> {
    const o = this.opts;
    this.startedAt = this.lastProgressAt = performance.now();
    const deadline = o.durationMs !== undefined ? this.startedAt + o.durationMs : Infinity;
    const limit = o.count ?? Infinity;
    let outstanding = 0;
    let finish!: () => void;
    const allDone = new Promise<void>((r) => (finish = r));
    let sendingDone = false;
    const maybeFinish = () => {
      if (sendingDone && outstanding === 0) finish();
    };
    const progressTimer = o.onProgress ? setInterval(() => this.progress(() => outstanding), o.progressIntervalMs ?? 1000) : undefined;

    const fire = (index: number, start: number, next?: () => void) => {
      this.sent++;
      outstanding++;
      let p: Promise<unknown>;
      try {
        p = this.submit(index);
      } catch (err) {
        p = Promise.reject(err);
      }
      p.then(
        () => {
          this.onDone(start, undefined);
          outstanding--;
          if (next) next();
          else maybeFinish();
        },
        (err: unknown) => {
          this.onDone(start, err ?? new Error('failed'));
          outstanding--;
          if (next) next();
          else maybeFinish();
        },
      );
    };

    if (o.mode === 'open') {
      const interval = 1000 / o.rate!;
      let i = 0;
      const tick = () => {
        const now = performance.now();
        // Issue every arrival whose intended time has come; latency counts from that intended time.
        while (i < limit) {
          const intended = this.startedAt + i * interval;
          if (intended > now || intended >= deadline) break;
          fire(i, intended);
          i++;
        }
        const nextAt = this.startedAt + i * interval;
        if (i >= limit || nextAt >= deadline) {
          sendingDone = true;
          this.sendPhaseEnd = performance.now();
          maybeFinish();
          return;
        }
        setTimeout(tick, Math.max(0, nextAt - performance.now()));
      };
      tick();
    } else {
      let i = 0;
      const next = () => {
        if (i < limit && performance.now() < deadline) {
          const index = i++;
          fire(index, performance.now(), next);
        } else if (!sendingDone) {
          sendingDone = true;
          this.sendPhaseEnd = performance.now();
          maybeFinish();
        } else {
          maybeFinish();
        }
      };
      for (let k = 0; k < o.concurrency! && i < limit; k++) next();
      if (limit === 0) next();
    }
    await allDone;
    const endOfResponses = performance.now();
    if (o.dlr && (o.receiptWaitMs ?? 0) > 0 && this.receipts < this.acked) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, o.receiptWaitMs);
        this.receiptWaiter = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.receiptWaiter = undefined;
    }
    if (progressTimer) clearInterval(progressTimer);
    if (o.onProgress) this.progress(() => 0);
    const durationMs = Math.max(endOfResponses, this.sendPhaseEnd) - this.startedAt;
    const report: LoadReport = {
      mode: o.mode,
      targetRate: o.mode === 'open' ? o.rate! : null,
      concurrency: o.mode === 'closed' ? o.concurrency! : null,
      sent: this.sent,
      acknowledged: this.acked,
      failed: this.failed,
      failedByStatus: { ...this.failures },
      durationMs: Math.round(durationMs * 1000) / 1000,
      throughput: durationMs > 0 ? Math.round((this.acked * 1000 * 10) / durationMs) / 10 : 0,
      latencyMs: this.latency.summary(),
    };
    if (o.dlr) {
      report.receipts = {
        received: this.receipts,
        byStat: { ...this.receiptStats },
        latencyMs: this.receiptLatency.summary(),
        missing: Math.max(0, this.acked - this.receipts),
        throughput:
          this.receipts > 0 && this.lastReceiptAt > this.startedAt
            ? Math.round((this.receipts * 1000 * 10) / (this.lastReceiptAt - this.startedAt)) / 10
            : 0,
      };
    }
    return report;
  }
}
