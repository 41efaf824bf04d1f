// The load generator's dispatcher: open loop at a fixed (or ramped, or stepped) arrival rate — latency from the
// INTENDED send time, so a slow server cannot hide behind the generator (no coordinated omission) — or closed loop
// at full window. Every status the server answers is counted; ESME_RMSGQFUL / ESME_RTHROTTLED are retried here (not
// in the client) and adapt the window and rate (aimd.ts) — the bind is never paused as a whole. One dispatcher, one
// wake-up timer. The arrival schedule is schedule.ts, the counters and the report tally.ts, the timeline timeline.ts.
import { Aimd, type Throttle } from './aimd.js';
import { Schedule } from './schedule.js';
import { inc, RunTally } from './tally.js';
import { Timeline } from './timeline.js';
import type { LoadOptions, LoadReport, StopReason, SubmitFn } from './types.js';

interface Retry {
  index: number;
  start: number;
  attempts: number;
  notBefore: number;
}

const RETRYABLE: Record<string, Throttle> = { ESME_RMSGQFUL: 'window', ESME_RTHROTTLED: 'rate' };

/** The arrival schedule the options give (open loop), checked. */
function scheduleOf(opts: LoadOptions): Schedule {
  if (opts.steps && opts.steps.length > 0) {
    if (!(opts.stepMs! > 0)) throw new Error('load: steps need stepMs > 0');
    return Schedule.steps(opts.steps, opts.stepMs!);
  }
  if (opts.rampMs !== undefined) {
    if (!(opts.rampMs > 0 && (opts.rateFrom ?? 0) > 0))
      throw new Error('load: a ramp needs rampMs > 0 and rateFrom > 0');
    return Schedule.ramp(opts.rateFrom!, opts.rate!, opts.rampMs);
  }
  return Schedule.constant(opts.rate!);
}

/** One attempt of one message: the outcome object handed to the SubmitFn (one allocation per attempt). */
class Attempt {
  private done = false;

  constructor(
    private readonly run: LoadRun,
    private readonly index: number,
    private readonly start: number,
    private readonly attempts: number,
    private readonly seq: number,
  ) {}

  ok(): void {
    if (this.done) return;
    if (this.run.firing) {
      queueMicrotask(() => this.ok());
      return;
    }
    this.done = true;
    this.run.onAck(this.start);
  }

  fail(err: unknown): void {
    if (this.done) return;
    if (this.run.firing) {
      queueMicrotask(() => this.fail(err));
      return;
    }
    this.done = true;
    this.run.onError(this.index, this.start, this.attempts + 1, this.seq, err ?? new Error('failed'));
  }
}

export class LoadRun extends RunTally {
  private issued = 0;
  private outstanding = 0;
  private deadline = Infinity;
  private readonly limit: number;
  private readonly aimd: Aimd;
  private readonly tl: Timeline;
  private attemptSeq = 0;
  /** True while the SubmitFn runs: an outcome told then is deferred (no recursion into the next submit). */
  firing = false;
  private retries: Retry[] = [];
  private wakeAt = Infinity;
  private wakeTimer: NodeJS.Timeout | undefined;
  private deadlineTimer: NodeJS.Timeout | undefined;
  private drainTimer: NodeJS.Timeout | undefined;
  private sendingDone = false;
  private finished = false;
  private interrupted = false;
  private finishResponses: (() => void) | undefined;
  private receiptWaiter: (() => void) | undefined;
  private lastProgressAt = 0;
  private lastProgressAcked = 0;
  private readonly intervalMs: number;
  private readonly schedule: Schedule | undefined;

  constructor(
    private readonly opts: LoadOptions,
    private readonly submit: SubmitFn,
  ) {
    super();
    if (opts.count === undefined && opts.durationMs === undefined) throw new Error('load: give a count or a duration');
    if (opts.mode === 'open' && !(opts.rate! > 0))
      throw new Error(`load: open loop needs a rate > 0 (got '${opts.rate}')`);
    if (opts.mode === 'closed' && !(opts.concurrency! >= 1))
      throw new Error(`load: closed loop needs a concurrency >= 1 (got '${opts.concurrency}')`);
    this.limit = opts.count ?? Infinity;
    this.aimd = new Aimd(opts.concurrency ?? Infinity);
    this.tl = new Timeline(opts.dlr ?? false, opts.onInterval);
    this.intervalMs = opts.intervalMs ?? 1000;
    if (opts.mode === 'open') this.schedule = scheduleOf(opts);
  }

  /**
   * A receipt came for one of our submits (the caller matches; `latencyMs` from the message's arrival; `at`: when
   * the receipt was read, performance.now() time, default now).
   */
  recordReceipt(stat: string, latencyMs: number, at?: number): void {
    this.receipts++;
    this.tl.receipts++;
    const t = at ?? performance.now();
    if (t > this.lastReceiptAt) this.lastReceiptAt = t;
    inc(this.receiptStats, stat);
    this.receiptLatency.record(latencyMs);
    this.tl.receipt.record(latencyMs);
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

  private readonly pump = (): void => this.pumpAt(performance.now());

  private pumpAt(now: number): void {
    if (this.sendingDone) return;
    const deadline = this.deadline;
    const late = now >= deadline;
    const open = this.opts.mode === 'open';
    const aimd = this.aimd;
    let nextAt = Infinity;
    // Past the deadline only what was due before it still goes (the generator's timer may have run late).
    while (this.outstanding < aimd.cwnd) {
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
      if (aimd.rateCap !== Infinity && !aimd.takeToken(now)) {
        nextAt = Math.min(nextAt, now + Math.max(1, 1000 / aimd.rateCap));
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
  }

  private fire(index: number, start: number, attempts: number): void {
    this.attempts++;
    if (attempts === 0) {
      this.sent++;
      this.tl.sent++;
    }
    this.outstanding++;
    const a = new Attempt(this, index, start, attempts, ++this.attemptSeq);
    let p: Promise<unknown> | undefined;
    this.firing = true;
    try {
      p = this.submit(index, start, a);
    } catch (err) {
      p = Promise.reject(err);
    } finally {
      this.firing = false;
    }
    if (p !== undefined)
      p.then(
        () => a.ok(),
        (err: unknown) => a.fail(err),
      );
  }

  /** An attempt was acknowledged (Attempt's; `now`: when). */
  onAck(start: number, now = performance.now()): void {
    if (this.finished) return;
    this.outstanding--;
    this.acked++;
    this.tl.acked++;
    this.lastResponseAt = now;
    this.latency.record(now - start);
    this.tl.latency.record(now - start);
    const aimd = this.aimd;
    if (aimd.throttled) aimd.grow(now, this.schedule, now - this.startedAt);
    if (this.sendingDone) {
      if (this.outstanding === 0) this.finishDrain();
    } else this.pumpAt(now);
  }

  /** An attempt failed (Attempt's). */
  onError(index: number, start: number, attempts: number, seq: number, err: unknown): void {
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
        this.tl.retried++;
        this.aimd.shrink(kind, seq, this.attemptSeq, this.outstanding, now, this.tl);
        const base = kind === 'window' ? 5 : 20;
        const delay = Math.min(1000, base * 2 ** (attempts - 1)) * (0.5 + Math.random());
        this.insertRetry({ index, start, attempts, notBefore: now + delay });
      }
    } else {
      this.failed++;
      this.tl.failed++;
      inc(this.failures, k);
    }
    if (this.sendingDone) {
      if (this.outstanding === 0) this.finishDrain();
    } else this.pump();
  }

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

  private progress(): void {
    const now = performance.now();
    const dt = now - this.lastProgressAt;
    const rate = dt > 0 ? ((this.acked - this.lastProgressAcked) * 1000) / dt : 0;
    this.lastProgressAt = now;
    this.lastProgressAcked = this.acked;
    const aimd = this.aimd;
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
      window: aimd.window,
      windowMax: aimd.cap === Infinity ? null : aimd.cap,
      rateCap: aimd.rateCap === Infinity ? null : Math.round(aimd.rateCap),
      throttledMs: aimd.throttledMsAt(now),
    });
  }

  async run(): Promise<LoadReport> {
    const o = this.opts;
    this.startedAt = this.lastProgressAt = performance.now();
    this.tl.begin(this.startedAt, (this.startEpoch = Date.now()));
    this.aimd.start(this.startedAt);
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
    const intervalTimer = setInterval(() => this.tl.close(performance.now(), this.aimd.window), this.intervalMs);
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
    const throttle = this.aimd.summary(now);
    clearInterval(intervalTimer);
    this.tl.close(now, this.aimd.window);
    if (progressTimer) clearInterval(progressTimer);
    if (o.onProgress) this.progress();
    return this.buildReport(o, throttle, this.tl, this.intervalMs);
  }
}
