// Flow control of one transmitting bind: a FIFO of requests, the window (never more than windowSize outstanding),
// the token-bucket rate, back-off and retry per command_status, and what happens to requests in flight when the
// connection drops. Each request (Job) ends in exactly one outcome. One wake-up timer and one coarse sweep per
// sender; no timer per request.
import { EventEmitter } from 'node:events';
import { type Pdu, type RequestInput, type Session, SessionError } from '@smppkit/core';
import { Deque } from './deque.js';
import { copyOf } from './encoded-part.js';
import {
  ClientClosedError,
  DisconnectedError,
  InvalidResponseError,
  SmppStatusError,
  SubmitTimeoutError,
} from './errors.js';
import { type Clock, systemClock, TokenBucket } from './rate-limiter.js';
import { decideRetry, type RetryTable } from './retry-policy.js';

/** A request PDU as given to Session.request (no sequence_number). */
export type RequestFields = RequestInput;

export interface Job {
  readonly pdu: RequestFields;
  /** `pdu` encoded once, sequence_number 0 (encoded-part.ts): each send writes a copy; absent = encode each send. */
  readonly encoded?: Buffer | undefined;
  /** Order of first enqueue: retries go back in this order. */
  order: number;
  attempts: number;
  /** Absolute clock time after which the job fails with a timeout (Infinity = none). */
  readonly deadline: number;
  /** Handed to a session at least once (so the SMSC may have it). */
  sent: boolean;
  /** On the wire now: sent, its response (or failure) not in yet. */
  onWire: boolean;
  notBefore: number;
  settled: boolean;
  readonly resolve: (resp: Pdu) => void;
  readonly reject: (err: Error) => void;
}

export interface SenderOptions {
  windowSize: number;
  rate: number;
  burst: number;
  retry: RetryTable;
  inFlight: 'reject' | 'resubmit';
}

export interface SenderEvents {
  throttled: [status: number, delayMs: number];
  idle: [];
}

let nextOrder = 0;

/** The next job's `order` (order of first enqueue). */
export function takeOrder(): number {
  return nextOrder++;
}

export function makeJob(pdu: RequestFields, deadline: number): { job: Job; promise: Promise<Pdu> } {
  let resolve!: (r: Pdu) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<Pdu>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  const job: Job = {
    pdu,
    order: nextOrder++,
    attempts: 0,
    deadline,
    sent: false,
    onWire: false,
    notBefore: 0,
    settled: false,
    resolve,
    reject,
  };
  return { job, promise };
}

export class Sender extends EventEmitter<SenderEvents> {
  private readonly queue = new Deque<Job>();
  /** Jobs waiting for their back-off (retries), kept sorted by `order`. */
  private delayed: Job[] = [];
  private session: Session | undefined;
  private inflight = 0;
  private closed = false;
  private throttledUntil = 0;
  private wakeAt = Infinity;
  private wakeTimer: NodeJS.Timeout | undefined;
  private readonly sweepTimer: NodeJS.Timeout;
  readonly bucket: TokenBucket;
  /** Jobs with a deadline sent and not answered yet (the sweep ends those past it); jobs without one are not kept. */
  private wire: Job[] = [];
  /**
   * Where a job goes when this sender has no session and it must be sent again (it never left, or inFlight is
   * 'resubmit'): another bind, when the pool has one up. Returns false when nobody took it (it then waits here).
   */
  handoff: ((job: Job) => boolean) | undefined;
  /** Counters for stats and tests. */
  readonly counters = { sent: 0, ok: 0, failed: 0, retried: 0, resubmitted: 0 };

  constructor(
    private readonly o: SenderOptions,
    private readonly clock: Clock = systemClock,
  ) {
    super();
    this.bucket = new TokenBucket(o.rate, o.burst, clock);
    this.sweepTimer = setInterval(() => this.sweep(), 250);
    this.sweepTimer.unref();
  }

  get outstanding(): number {
    return this.inflight;
  }

  get queued(): number {
    return this.queue.length + this.delayed.length;
  }

  get bound(): boolean {
    return this.session !== undefined;
  }

  /** A bound session to send on (or undefined while disconnected). */
  attach(session: Session | undefined): void {
    this.session = session;
    if (session) this.pump();
  }

  enqueue(job: Job): void {
    if (this.closed) {
      this.fail(job, new ClientClosedError(String(job.pdu.command), false));
      return;
    }
    this.queue.push(job);
    this.pump();
  }

  /** Give up the jobs not yet sent (pool failover moves them to another bind). */
  takeQueued(): Job[] {
    const jobs = [
      ...this.delayed.filter((j) => !j.settled),
      ...this.queue.removeWhere(() => true).filter((j) => !j.settled),
    ];
    this.delayed = [];
    return jobs.sort((a, b) => a.order - b.order);
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
      Math.max(0, at - this.clock.now()),
    );
  }

  private releaseDue(now: number): void {
    if (this.delayed.length === 0 || now < this.throttledUntil) return;
    const due: Job[] = [];
    const later: Job[] = [];
    let next = Infinity;
    for (const j of this.delayed) {
      if (j.notBefore <= now) due.push(j);
      else {
        later.push(j);
        if (j.notBefore < next) next = j.notBefore;
      }
    }
    this.delayed = later;
    for (let i = due.length - 1; i >= 0; i--) this.queue.unshift(due[i]!);
    if (next !== Infinity) this.wake(next);
  }

  pump(): void {
    const s = this.session;
    if (!s) return;
    // the clock is read only when something waits for a time (a throttle back-off, a retry's delay)
    if (this.throttledUntil !== 0 || this.delayed.length > 0) {
      const now = this.clock.now();
      if (now < this.throttledUntil) {
        this.wake(this.throttledUntil);
        return;
      }
      this.releaseDue(now);
    }
    const window = this.o.windowSize;
    while (this.queue.length > 0 && this.inflight < window) {
      const head = this.queue.peek()!;
      if (head.settled) {
        this.queue.shift();
        continue;
      }
      if (!this.bucket.tryTake()) {
        this.wake(this.clock.now() + this.bucket.waitMs());
        return;
      }
      this.queue.shift();
      this.send(s, head);
    }
    if (this.inflight === 0 && this.queue.length === 0 && this.delayed.length === 0) this.emit('idle');
  }

  private send(s: Session, job: Job): void {
    this.inflight++;
    job.sent = true;
    job.onWire = true;
    if (job.deadline !== Infinity) this.wire.push(job);
    job.attempts++;
    this.counters.sent++;
    // a callback, not a Promise: no promise, closure pair or microtask per message (called back after send returns)
    const done = (err: Error | null, resp?: Pdu) => {
      if (err) this.onFailure(job, err);
      else this.onResponse(job, resp as Pdu);
    };
    const encoded = job.encoded;
    if (encoded !== undefined) s.requestEncodedWith(job.pdu.command, copyOf(encoded), done);
    else s.requestWith(job.pdu, done);
  }

  private onResponse(job: Job, resp: Pdu): void {
    this.inflight--;
    job.onWire = false;
    const status = resp.command_status;
    if (status === 0) {
      this.settle(job, resp);
    } else if (!job.settled) {
      const now = this.clock.now();
      const d = decideRetry(this.o.retry, status, job.attempts);
      if (d.retry && now + d.delayMs < job.deadline) {
        this.counters.retried++;
        job.notBefore = now + d.delayMs;
        if (d.throttle && job.notBefore > this.throttledUntil) {
          this.throttledUntil = job.notBefore;
          // Multiplicative decrease of a configured rate (the SMSC grants less than we thought).
          const rate = this.bucket.currentRate;
          if (rate > 0) this.bucket.setRate(Math.max(1, rate * 0.7), Math.min(this.o.burst, Math.max(1, rate * 0.07)));
          this.emit('throttled', status, d.delayMs);
        }
        this.delay(job);
      } else {
        this.fail(job, new SmppStatusError(status, String(job.pdu.command), job.attempts));
      }
    }
    this.pump();
  }

  private onFailure(job: Job, err: unknown): void {
    this.inflight--;
    job.onWire = false;
    if (!job.settled) {
      if (err instanceof SessionError) {
        if (err.code === 'INVALID_RESPONSE') {
          // The SMSC answered, with something we cannot read: sending it again would get the same answer.
          this.fail(job, new InvalidResponseError(String(job.pdu.command), err));
        } else if (!err.maybeDelivered) {
          // Never left this process: send it again when a session is back (or on another bind of the pool).
          job.attempts--;
          job.notBefore = 0;
          this.requeue(job);
        } else if (this.o.inFlight === 'resubmit') {
          this.counters.resubmitted++;
          job.notBefore = 0;
          this.requeue(job);
        } else if (err.code === 'RESPONSE_TIMEOUT') {
          this.fail(
            job,
            new SubmitTimeoutError(
              String(job.pdu.command),
              true,
              'no response within responseTimeoutMs; the SMSC may have accepted it',
            ),
          );
        } else {
          this.fail(job, new DisconnectedError(String(job.pdu.command), err.message));
        }
      } else {
        this.fail(job, err instanceof Error ? err : new Error(String(err)));
      }
    }
    this.pump();
  }

  /** Send again: on another bind at once when this one is down and the pool has one up, else here when back. */
  private requeue(job: Job): void {
    if (!this.session && !this.closed && this.handoff?.(job)) return;
    this.delay(job);
  }

  private delay(job: Job): void {
    if (this.closed) {
      this.fail(job, new ClientClosedError(String(job.pdu.command), job.sent));
      return;
    }
    const d = this.delayed;
    let i = d.length;
    while (i > 0 && d[i - 1]!.order > job.order) i--;
    d.splice(i, 0, job);
    if (job.notBefore > 0) this.wake(job.notBefore);
  }

  private settle(job: Job, resp: Pdu): void {
    if (job.settled) return;
    job.settled = true;
    this.counters.ok++;
    // Recover from a throttling slow-down: additive increase back to the configured rate.
    const rate = this.bucket.currentRate;
    if (rate > 0 && rate < this.o.rate)
      this.bucket.setRate(Math.min(this.o.rate, rate + this.o.rate / 1000), this.o.burst);
    job.resolve(resp);
  }

  private fail(job: Job, err: Error): void {
    if (job.settled) return;
    job.settled = true;
    this.counters.failed++;
    job.reject(err);
  }

  /** Coarse sweep: fail jobs past their deadline, queued, waiting for a retry or on the wire. */
  private sweep(): void {
    const now = this.clock.now();
    if (this.wire.length > 0) {
      const keep: Job[] = [];
      for (const j of this.wire) {
        if (j.settled || !j.onWire) continue;
        if (j.deadline <= now) {
          // its response may still come (the session window keeps it until responseTimeoutMs): then it is ignored
          this.fail(
            j,
            new SubmitTimeoutError(
              String(j.pdu.command),
              true,
              'no response within submitTimeoutMs; the SMSC may have accepted it',
            ),
          );
        } else keep.push(j);
      }
      this.wire = keep;
    }
    if (this.queue.length > 0 && this.queue.some((j) => j.settled || j.deadline <= now)) {
      const expired = this.queue.removeWhere((j) => j.settled || j.deadline <= now);
      for (const j of expired) this.timeout(j);
    }
    if (this.delayed.length > 0) {
      const keep: Job[] = [];
      for (const j of this.delayed) j.deadline <= now ? this.timeout(j) : keep.push(j);
      this.delayed = keep;
    }
  }

  private timeout(j: Job): void {
    const detail = this.session ? 'still queued (window full or rate limited)' : 'not bound to the SMSC (reconnecting)';
    this.fail(
      j,
      new SubmitTimeoutError(String(j.pdu.command), j.sent, `not completed within submitTimeoutMs: ${detail}`),
    );
  }

  /** Wait until nothing is queued or outstanding (or `timeoutMs` passes). */
  drain(timeoutMs: number): Promise<void> {
    if (this.inflight === 0 && this.queued === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(done, timeoutMs);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.once('idle', done);
    });
  }

  /** Stop: every job not yet finished ends with ClientClosedError. */
  close(): void {
    this.closed = true;
    clearInterval(this.sweepTimer);
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    for (const j of this.takeQueued()) this.fail(j, new ClientClosedError(String(j.pdu.command), j.sent));
    this.session = undefined;
  }
}
