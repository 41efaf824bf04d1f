// The load generator core: open loop at a fixed (or ramped) arrival rate — latency from the INTENDED send time, so
// a slow server cannot hide behind the generator (no coordinated omission) — or closed loop at full window.
// Every status the server answers is counted; ESME_RMSGQFUL / ESME_RTHROTTLED are retried here (not in the
// client), and they shrink the effective window (and, for THROTTLED, the send rate) multiplicatively, which then
// grows back additively (AIMD) — the bind is never paused as a whole. One dispatcher, one wake-up timer.
import { LatencyHistogram, type LatencySummary } from './latency.js';
import { Schedule } from './schedule.js';

export interface LoadOptions {
  /** 'open': arrivals at `rate`; 'closed': keep `concurrency` submits outstanding. */
  mode: 'open' | 'closed';
  /** Arrivals per second (open loop); with `rampMs`, the rate reached at the end of the ramp. */
  rate?: number;
  /** Ramp: the rate at the start, rising linearly to `rate` over `rampMs`. */
  rateFrom?: number;
  rampMs?: number;
  /** Steps: these rates, `stepMs` each, the last held (`rate` is then the last). */
  steps?: number[];
  stepMs?: number;
  /** Most submits outstanding at once (binds × window). Closed loop: required; open loop: default unlimited. */
  concurrency?: number;
  /** Stop after this many messages … */
  count?: number;
  /** … or after this long (ms, wall clock bound on sending). At least one of count/duration. */
  durationMs?: number;
  /** After sending stops, wait this long for the responses of submits in flight (ms); default 10 000. */
  drainMs?: number;
  /** After the responses, wait this long for receipts still missing (ms); 0 = do not wait. */
  receiptWaitMs?: number;
  /** Expect receipts (one per acknowledged submit). */
  dlr?: boolean;
  /** Retry MSGQFUL/THROTTLED and adapt the window/rate to them (default true). */
  adaptive?: boolean;
  /** Attempts per message for a retryable status (default 10). */
  maxAttempts?: number;
  /** Called about once a second. */
  onProgress?: (p: LoadProgress) => void;
  progressIntervalMs?: number;
  /** Timeline interval (ms, default 1000): one sample (and interval histograms) per interval. */
  intervalMs?: number;
  /** Each interval's histograms as it closes (for an HdrHistogram interval log). */
  onInterval?: (startEpochMs: number, endEpochMs: number, submit: LatencyHistogram, receipt: LatencyHistogram) => void;
}

/** One submit: resolve when acknowledged; reject with an error carrying statusName (or code).
 *  `intendedAt` (performance.now() time) is the message's arrival, for receipt latency. */
export type SubmitFn = (index: number, intendedAt: number) => Promise<unknown>;

export type StopReason = 'completed' | 'duration' | 'SIGINT' | 'SIGTERM' | 'smsc-gone' | 'stopped';

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
  /** Final failures by status (or error code). */
  errors: Record<string, number>;
  /** Responses with a retryable status that were retried, by status. */
  retried: Record<string, number>;
  receipts: number;
  /** Effective window (null = unlimited) and rate cap (null = none) after throttling; the configured window. */
  window: number | null;
  windowMax: number | null;
  rateCap: number | null;
  throttledMs: number;
}

export interface TimelineSample {
  /** Interval start, seconds since the run's start; length in seconds. */
  t: number;
  length: number;
  sent: number;
  acknowledged: number;
  failed: number;
  retried: number;
  receipts: number;
  /** Submit latency of the interval (ms). */
  latencyMs: { p50: number; p90: number; p99: number; max: number; count: number };
  /** The interval's HDR histograms, compressed base64 (µs). */
  histogram: string;
  receiptHistogram?: string;
  window: number | null;
}

export interface LoadReport {
  /** Epoch ms of the start and of the end of the sending phase / last response. */
  startTime: number;
  endTime: number;
  mode: 'open' | 'closed';
  targetRate: number | null;
  concurrency: number | null;
  stopReason: StopReason;
  stopDetail?: string;
  /** Messages sent at least once; submit_sm attempts including retries. */
  sent: number;
  attempts: number;
  acknowledged: number;
  failed: number;
  failedByStatus: Record<string, number>;
  /** Responses with a retryable status, retried, by status. */
  retried: Record<string, number>;
  /** Every command_status the server answered, retried ones included. */
  statuses: Record<string, number>;
  /** Open loop: arrivals due before sending stopped that were never sent (the window or rate held them back). */
  notSent: number;
  /** Refused with a retryable status when sending had stopped, or waiting for their retry then. */
  abandoned: number;
  /** Still without a response when the drain time ran out. */
  unanswered: number;
  throttle: { decreases: number; timeMs: number; minWindow: number | null; minRateCap: number | null };
  durationMs: number;
  /** Acknowledged submits per second over the sending phase. */
  throughput: number;
  /** submit → response latency (ms); open loop: from the intended send time. */
  latencyMs: LatencySummary;
  receipts?: {
    received: number;
    byStat: Record<string, number>;
    /** arrival (intended send time) → receipt latency (ms). */
    latencyMs: LatencySummary;
    missing: number;
    /** Receipts the client could not pair with any submit (reported, or still held at the end). */
    unmatched?: number;
    /**
     * Receipts paired before the link's id form was learned that the learned form contradicts. (A pairing is never
     * guessed: with unmatched and missing 0 as well, every receipt went to its own submit.)
     */
    mispaired?: number;
    /** Epoch ms of the last receipt (null: none), for throughput over merged runs. */
    lastAt: number | null;
    /** Messages whose receipt arrived, per second from the start to the last receipt: the sustained rate
     *  end to end, which a server that accepts faster than it reports cannot inflate. */
    throughput: number;
  };
  intervalMs: number;
  timeline: TimelineSample[];
  /** The whole run's HDR histograms, HdrHistogram compressed base64, values in µs (what `esme report merge` adds). */
  histograms: { unit: 'us'; submit: string; receipt?: string };
}

interface Retry {
  index: number;
  start: number;
  attempts: number;
  notBefore: number;
}

const RETRYABLE: Record<string, 'window' | 'rate'> = { ESME_RMSGQFUL: 'window', ESME_RTHROTTLED: 'rate' };

function inc(r: Record<string, number>, k: string, n = 1): void {
  r[k] = (r[k] ?? 0) + n;
}

export class LoadRun {
  private sent = 0;
  private attempts = 0;
  private acked = 0;
  private failed = 0;
  private issued = 0;
  private outstanding = 0;
  private notSent = 0;
  private abandoned = 0;
  private unanswered = 0;
  private readonly failures: Record<string, number> = {};
  private readonly retriedBy: Record<string, number> = {};
  private readonly statuses: Record<string, number> = {};
  private readonly latency = new LatencyHistogram();
  private readonly receiptLatency = new LatencyHistogram();
  private readonly ivLatency = new LatencyHistogram();
  private readonly ivReceipt = new LatencyHistogram();
  private readonly receiptStats: Record<string, number> = {};
  private receipts = 0;
  private lastReceiptAt = 0;
  private lastResponseAt = 0;
  private startedAt = 0;
  private startEpoch = 0;
  private sendEnd = 0;
  private deadline = Infinity;
  private readonly limit: number;
  private readonly cap: number;
  private cwnd: number;
  private rateCap = Infinity;
  private tokens = 0;
  private tokensAt = 0;
  private attemptSeq = 0;
  private lastDecreaseSeq = 0;
  private decreases = 0;
  private minWindow = Infinity;
  private minRateCap = Infinity;
  private throttledSince = -1;
  private throttledMs = 0;
  private retries: Retry[] = [];
  private wakeAt = Infinity;
  private wakeTimer: NodeJS.Timeout | undefined;
  private deadlineTimer: NodeJS.Timeout | undefined;
  private drainTimer: NodeJS.Timeout | undefined;
  private sendingDone = false;
  private finished = false;
  private stopReason: StopReason | undefined;
  private stopDetail: string | undefined;
  private interrupted = false;
  private finishResponses: (() => void) | undefined;
  private receiptWaiter: (() => void) | undefined;
  private readonly timeline: TimelineSample[] = [];
  private iv = { start: 0, sent: 0, acked: 0, failed: 0, retried: 0, receipts: 0 };
  private lastProgressAt = 0;
  private lastProgressAcked = 0;
  private readonly intervalMs: number;
  private readonly schedule: Schedule | undefined;

  constructor(
    private readonly opts: LoadOptions,
    private readonly submit: SubmitFn,
  ) {
    if (opts.count === undefined && opts.durationMs === undefined) throw new Error('load: give a count or a duration');
    if (opts.mode === 'open' && !(opts.rate! > 0))
      throw new Error(`load: open loop needs a rate > 0 (got '${opts.rate}')`);
    if (opts.mode === 'closed' && !(opts.concurrency! >= 1))
      throw new Error(`load: closed loop needs a concurrency >= 1 (got '${opts.concurrency}')`);
    this.limit = opts.count ?? Infinity;
    this.cap = opts.concurrency ?? Infinity;
    this.cwnd = this.cap;
    this.intervalMs = opts.intervalMs ?? 1000;
    if (opts.mode === 'open') {
      if (opts.steps && opts.steps.length > 0) {
        if (!(opts.stepMs! > 0)) throw new Error('load: steps need stepMs > 0');
        this.schedule = Schedule.steps(opts.steps, opts.stepMs!);
      } else if (opts.rampMs !== undefined) {
        if (!(opts.rampMs > 0 && (opts.rateFrom ?? 0) > 0))
          throw new Error('load: a ramp needs rampMs > 0 and rateFrom > 0');
        this.schedule = Schedule.ramp(opts.rateFrom!, opts.rate!, opts.rampMs);
      } else this.schedule = Schedule.constant(opts.rate!);
    }
  }

  /** A receipt came for one of our submits (the caller matches; `latencyMs` from the message's arrival). */
  recordReceipt(stat: string, latencyMs: number): void {
    this.receipts++;
    this.iv.receipts++;
    this.lastReceiptAt = performance.now();
    inc(this.receiptStats, stat);
    this.receiptLatency.record(latencyMs);
    this.ivReceipt.record(latencyMs);
    if (this.receiptWaiter && this.receipts >= this.acked) this.receiptWaiter();
  }

  /** Stop early (signal, SMSC gone): sending stops, the partial report is produced. */
  stop(reason: StopReason, detail?: string): void {
    if (this.finished && !this.receiptWaiter) return;
    this.interrupted = true;
    this.stopReason ??= reason;
    if (detail !== undefined) this.stopDetail ??= detail;
    if (!this.sendingDone) this.endSending(reason, reason === 'smsc-gone' ? 0 : undefined);
    else if (!this.finished) this.finishDrain();
    else this.receiptWaiter?.();
  }

  private get throttledNow(): boolean {
    return this.cwnd < this.cap || this.rateCap !== Infinity;
  }

  private noteThrottle(now: number): void {
    if (this.throttledSince < 0 && this.throttledNow) this.throttledSince = now;
    else if (this.throttledSince >= 0 && !this.throttledNow) {
      this.throttledMs += now - this.throttledSince;
      this.throttledSince = -1;
    }
  }

  private wake(at: number): void {
    if (at >= this.wakeAt) return;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeAt = at;
    this.wakeTimer = setTimeout(
      () => {
        this.wakeTimer = undefined;
        this.wakeAt = Infinity;
        this.pump();
      },
      Math.max(0, at - performance.now()),
    );
  }

  private takeToken(now: number): boolean {
    const rate = this.rateCap;
    const burst = Math.max(1, rate / 50);
    this.tokens = Math.min(burst, this.tokens + ((now - this.tokensAt) * rate) / 1000);
    this.tokensAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return true;
    }
    return false;
  }

  private readonly pump = (): void => {
    if (this.sendingDone) return;
    const now = performance.now();
    const deadline = this.deadline;
    const late = now >= deadline;
    const open = this.opts.mode === 'open';
    let nextAt = Infinity;
    // Past the deadline only what was due before it still goes (the generator's timer may have run late).
    while (this.outstanding < this.cwnd) {
      let index: number;
      let start: number;
      let attempts = 0;
      const r = this.retries;
      const retry = r.length > 0 && r[0]!.notBefore <= now && r[0]!.notBefore < deadline ? r[0]! : undefined;
      if (!retry) {
        if (this.issued >= this.limit) break;
        if (open) {
          start = this.startedAt + this.schedule!.offsetOf(this.issued);
          if (start >= deadline) break;
          if (start > now) {
            nextAt = start;
            break;
          }
        } else {
          if (late) break;
          start = now;
        }
        index = this.issued;
      } else {
        index = retry.index;
        start = retry.start;
        attempts = retry.attempts;
      }
      if (this.rateCap !== Infinity && !this.takeToken(now)) {
        nextAt = Math.min(nextAt, now + Math.max(1, 1000 / this.rateCap));
        break;
      }
      if (retry) r.shift();
      else this.issued++;
      this.fire(index, start, attempts);
    }
    if (late) {
      this.endSending('duration');
      return;
    }
    if (this.retries.length > 0) nextAt = Math.min(nextAt, this.retries[0]!.notBefore);
    if (nextAt !== Infinity && nextAt < deadline) this.wake(nextAt);
    if (this.issued >= this.limit && this.retries.length === 0 && this.outstanding === 0) this.endSending('completed');
  };

  private fire(index: number, start: number, attempts: number): void {
    this.attempts++;
    if (attempts === 0) {
      this.sent++;
      this.iv.sent++;
    }
    this.outstanding++;
    const seq = ++this.attemptSeq;
    let p: Promise<unknown>;
    try {
      p = this.submit(index, start);
    } catch (err) {
      p = Promise.reject(err);
    }
    p.then(
      () => this.onAck(start),
      (err: unknown) => this.onError(index, start, attempts + 1, seq, err ?? new Error('failed')),
    );
  }

  private onAck(start: number): void {
    if (this.finished) return;
    const now = performance.now();
    this.outstanding--;
    this.acked++;
    this.iv.acked++;
    this.lastResponseAt = now;
    this.latency.record(now - start);
    this.ivLatency.record(now - start);
    if (this.cwnd < this.cap) {
      // Additive increase: about one more outstanding per window of acknowledgements.
      this.cwnd = Math.min(this.cap, this.cwnd + 1 / this.cwnd);
      if (this.cwnd >= this.cap) this.noteThrottle(now);
    }
    if (this.rateCap !== Infinity) {
      this.rateCap += 0.1;
      if ((this.opts.mode === 'open' && this.rateCap >= this.currentTargetRate(now)) || this.rateCap > 1e7) {
        this.rateCap = Infinity;
        this.noteThrottle(now);
      }
    }
    if (this.sendingDone) {
      if (this.outstanding === 0) this.finishDrain();
    } else this.pump();
  }

  private currentTargetRate(now: number): number {
    return this.schedule!.rateAt(now - this.startedAt);
  }

  private onError(index: number, start: number, attempts: number, seq: number, err: unknown): void {
    if (this.finished) return;
    const now = performance.now();
    this.outstanding--;
    this.lastResponseAt = now;
    const e = err as { statusName?: string; code?: string };
    const k = e.statusName ?? e.code ?? 'ERROR';
    if (e.statusName !== undefined) inc(this.statuses, k);
    const kind = this.opts.adaptive === false ? undefined : RETRYABLE[k];
    if (kind && attempts < (this.opts.maxAttempts ?? 10)) {
      if (this.sendingDone) this.abandoned++;
      else {
        inc(this.retriedBy, k);
        this.iv.retried++;
        if (seq > this.lastDecreaseSeq) {
          // Multiplicative decrease, once per window's worth of submits (the answers to submits sent before
          // the decrease say nothing new).
          this.lastDecreaseSeq = this.attemptSeq;
          this.decreases++;
          this.cwnd = Math.max(1, Math.floor(Math.min(this.cwnd, this.outstanding + 1) * 0.75));
          this.minWindow = Math.min(this.minWindow, this.cwnd);
          if (kind === 'rate') {
            const elapsed = Math.max(1, now - this.iv.start);
            const recent = (this.iv.acked * 1000) / elapsed;
            const base = this.rateCap !== Infinity ? this.rateCap : Math.max(recent, this.lastIntervalRate);
            this.rateCap = Math.max(1, base / 2);
            this.tokens = 0;
            this.tokensAt = now;
            this.minRateCap = Math.min(this.minRateCap, this.rateCap);
          }
          this.noteThrottle(now);
        }
        const base = kind === 'window' ? 5 : 20;
        const delay = Math.min(1000, base * 2 ** (attempts - 1)) * (0.5 + Math.random());
        this.insertRetry({ index, start, attempts, notBefore: now + delay });
      }
    } else {
      this.failed++;
      this.iv.failed++;
      inc(this.failures, k);
    }
    if (this.sendingDone) {
      if (this.outstanding === 0) this.finishDrain();
    } else this.pump();
  }

  private lastIntervalRate = 0;

  private insertRetry(r: Retry): void {
    const q = this.retries;
    let i = q.length;
    while (i > 0 && q[i - 1]!.notBefore > r.notBefore) i--;
    q.splice(i, 0, r);
  }

  private endSending(reason: StopReason, drainMs = this.opts.drainMs ?? 10_000): void {
    if (this.sendingDone) return;
    this.sendingDone = true;
    const now = performance.now();
    this.sendEnd = now;
    this.stopReason ??= reason;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    if (this.opts.mode === 'open') {
      const dueBy = Math.min(now, this.deadline) - this.startedAt;
      this.notSent = Math.max(0, Math.min(this.limit, this.schedule!.countBy(dueBy)) - this.issued);
    }
    this.abandoned += this.retries.length;
    this.retries = [];
    if (this.outstanding === 0) this.finishDrain();
    else this.drainTimer = setTimeout(() => this.finishDrain(), drainMs);
  }

  private finishDrain(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.drainTimer) clearTimeout(this.drainTimer);
    this.unanswered = this.outstanding;
    this.finishResponses?.();
  }

  private closeInterval(now: number): void {
    const iv = this.iv;
    const length = (now - iv.start) / 1000;
    if (length <= 0) return;
    const l = this.ivLatency.summary();
    const sample: TimelineSample = {
      t: Math.round(iv.start - this.startedAt) / 1000,
      length: Math.round(length * 1000) / 1000,
      sent: iv.sent,
      acknowledged: iv.acked,
      failed: iv.failed,
      retried: iv.retried,
      receipts: iv.receipts,
      latencyMs: { p50: l.p50, p90: l.p90, p99: l.p99, max: l.max, count: l.count },
      histogram: this.ivLatency.encode(),
      window: this.cwnd === Infinity ? null : Math.floor(this.cwnd),
    };
    if (this.opts.dlr) sample.receiptHistogram = this.ivReceipt.encode();
    this.timeline.push(sample);
    const startEpoch = this.startEpoch + (iv.start - this.startedAt);
    this.opts.onInterval?.(startEpoch, startEpoch + length * 1000, this.ivLatency, this.ivReceipt);
    this.lastIntervalRate = length > 0 ? iv.acked / length : 0;
    this.ivLatency.reset();
    this.ivReceipt.reset();
    this.iv = { start: now, sent: 0, acked: 0, failed: 0, retried: 0, receipts: 0 };
  }

  private progress(): void {
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
      outstanding: this.outstanding,
      currentRate: rate,
      p50: this.latency.percentileMs(50),
      p99: this.latency.percentileMs(99),
      errors: { ...this.failures },
      retried: { ...this.retriedBy },
      receipts: this.receipts,
      window: this.cwnd === Infinity ? null : Math.floor(this.cwnd),
      windowMax: this.cap === Infinity ? null : this.cap,
      rateCap: this.rateCap === Infinity ? null : Math.round(this.rateCap),
      throttledMs: this.throttledMs + (this.throttledSince >= 0 ? now - this.throttledSince : 0),
    });
  }

  async run(): Promise<LoadReport> {
    const o = this.opts;
    this.startedAt = this.lastProgressAt = this.iv.start = this.tokensAt = performance.now();
    this.startEpoch = Date.now();
    if (o.durationMs !== undefined) {
      this.deadline = this.startedAt + o.durationMs;
      this.deadlineTimer = setTimeout(() => {
        // the timer may fire a hair early: sending ends at the first pump at or after the deadline
        if (performance.now() >= this.deadline) this.pump();
        else this.deadlineTimer = setTimeout(() => this.pump(), Math.max(1, this.deadline - performance.now()));
      }, o.durationMs);
    }
    const responses = new Promise<void>((r) => (this.finishResponses = r));
    const progressTimer = o.onProgress ? setInterval(() => this.progress(), o.progressIntervalMs ?? 1000) : undefined;
    const intervalTimer = setInterval(() => this.closeInterval(performance.now()), this.intervalMs);
    if (this.limit === 0) this.endSending('completed');
    else this.pump();
    await responses;
    if (o.dlr && !this.interrupted && (o.receiptWaitMs ?? 0) > 0 && this.receipts < this.acked) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, o.receiptWaitMs);
        this.receiptWaiter = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.receiptWaiter = undefined;
    }
    const now = performance.now();
    this.noteThrottle(now);
    const throttledMs = this.throttledMs + (this.throttledSince >= 0 ? now - this.throttledSince : 0);
    clearInterval(intervalTimer);
    this.closeInterval(now);
    if (progressTimer) clearInterval(progressTimer);
    if (o.onProgress) this.progress();
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
      throttle: {
        decreases: this.decreases,
        timeMs: Math.round(throttledMs),
        minWindow: this.minWindow === Infinity ? null : this.minWindow,
        minRateCap: this.minRateCap === Infinity ? null : Math.round(this.minRateCap * 10) / 10,
      },
      durationMs: r3(durationMs),
      throughput: durationMs > 0 ? Math.round((this.acked * 1000 * 10) / durationMs) / 10 : 0,
      latencyMs: this.latency.summary(),
      intervalMs: this.intervalMs,
      timeline: this.timeline,
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
