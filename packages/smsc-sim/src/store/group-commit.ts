// Group commit: writes are buffered and committed in one transaction per event-loop turn. Callers that must not
// answer before their write is durable — a submit_sm_resp — register with afterCommit(): the callback runs right
// after the transaction that holds the write has committed; once `maxWaiting` callers wait, the commit happens at
// once rather than at the end of the turn, so the first answers of a large read leave while the rest is still
// being processed (client and simulator then work in parallel). A read commits what is pending first, through the
// same path (commit()): its callbacks run, and a failure is reported the same way.
// A read of a session (core's aroundRead: readStart, readEnd) that comes after STREAK reads in a row of that same
// session (sparse traffic on one bind: a lone submit per read) commits at its end, in the read's own callback: no
// immediate per message. Reads of several sessions interleaving keep the commit at the end of the turn, so that
// the requests of all the reads of one loop iteration share it.
// Acknowledgements (ack, ackReceipt) are writes nobody waits for: they ride with the next commit, or get one of
// their own once `lazyMs` has passed (one timer at a time, not one per write). Under sparse traffic with receipts
// a message then costs one commit, not two (its insert's; the message store holds receipts' acknowledgements a
// little longer first, so that most commits carry none: acked-receipts.ts). An acknowledgement lost with the
// process means that receipt is sent again after a restart, as for a kill between sending a receipt and its
// deliver_sm_resp.
import type { StateName } from '../config/types.js';
import type { MessageRecord, OutboxKind, OutboxStatus } from './record.js';

export type Op =
  | { t: 'insert'; m: MessageRecord; detail: string }
  | { t: 'state'; id: number; state: StateName; err: number; doneAt: number | null; detail: string }
  | { t: 'replace'; id: number; fields: Partial<MessageRecord>; at: number; detail: string }
  | { t: 'history'; id: number; at: number; state: StateName; detail: string }
  | {
      t: 'outboxRow';
      id: number;
      kind: OutboxKind;
      messageId: number;
      systemId: string;
      dueAt: number;
      attempts: number;
      status: OutboxStatus;
    }
  | { t: 'outboxStatus'; id: number; status: OutboxStatus; dueAt: number; attempts: number };

/** What one commit writes: the ops in order, then the batched acknowledgements (outbox ids, receipt message ids). */
export interface Writes {
  ops: Op[];
  acked: number[];
  ackedReceipts: number[];
}

/**
 * Told once the commit holding the writes made before it is in (ok) or has failed, with the values given beside it
 * to afterCommit: a caller per message (a submit's answer) passes what it needs rather than a closure made for it.
 */
export type Committed<A = unknown, B = unknown, C = unknown, D = unknown> = (
  ok: boolean,
  a: A,
  b: B,
  c: C,
  d: D,
) => void;
/** the slots of one caller in GroupCommit's waiting list: its function and a, b, c, d */
const SLOTS = 5;
/** reads in a row of one session after which its reads commit at their end */
export const STREAK = 32;

export interface GroupCommitHooks {
  /** writes everything in one transaction (throws when it fails) */
  write(w: Writes): void;
  /** the ids of messages whose insert was lost with a failed commit (told before its afterCommit callbacks run) */
  lost(ids: number[]): void;
  /** after each commit that wrote something */
  committed(): void;
}

export class GroupCommit {
  private w: Writes = { ops: [], acked: [], ackedReceipts: [] };
  /** the callers waiting for the next commit, SLOTS entries each (no object per caller) */
  private waiting: unknown[] = [];
  private scheduled = false;
  /** the one timer of lazy commits, made once and re-armed (refresh) rather than made per wait */
  private lazyTimer: ReturnType<typeof setTimeout> | undefined;
  private lazyArmed = false;
  /** the highest message id inserted among the pending writes */
  private pendingMaxId = 0;
  private closed = false;
  /** the session of the last read, and how many reads in a row were its */
  private reader: unknown = undefined;
  private streak = 0;
  /** in a read that commits at its end: schedule() arms no immediate meanwhile */
  private holding = false;

  /**
   * @param committedThrough every message inserted with an id up to this one has been through a commit (ids are
   * allocated and inserted in order); a failed commit counts too (its messages are reported lost)
   */
  constructor(
    private readonly hooks: GroupCommitHooks,
    private readonly maxWaiting: number,
    public committedThrough: number,
    private readonly lazyMs = 2,
  ) {}

  push(op: Op): void {
    this.open();
    this.w.ops.push(op);
    if (op.t === 'insert' && op.m.id > this.pendingMaxId) this.pendingMaxId = op.m.id;
    this.schedule();
  }

  /** an outbox item acknowledged at its first attempt (one UPDATE per run of ids) */
  ack(outboxId: number): void {
    this.open();
    this.w.acked.push(outboxId);
    this.scheduleLazy();
  }

  /** a receipt without a row acknowledged at its first attempt (its message id joins a run in receipts_acked) */
  ackReceipt(messageId: number): void {
    this.open();
    this.w.ackedReceipts.push(messageId);
    this.scheduleLazy();
  }

  afterCommit<A, B, C, D>(cb: Committed<A, B, C, D>, a?: A, b?: B, c?: C, d?: D): void {
    this.waiting.push(cb, a, b, c, d);
    if (this.waiting.length >= this.maxWaiting * SLOTS) {
      this.commit();
      return;
    }
    this.schedule();
  }

  /** A read of `reader` (a session) begins: what it writes is committed at its end if it is the STREAK-th in a row. */
  readStart(reader: unknown): void {
    if (reader === this.reader) this.streak++;
    else {
      this.reader = reader;
      this.streak = 1;
    }
    this.holding = this.streak >= STREAK;
  }

  /** The read ends: a write it made waits for no immediate. */
  readEnd(): void {
    if (!this.holding) return;
    this.holding = false;
    if (this.scheduled) this.commit();
  }

  get pending(): boolean {
    return this.w.ops.length + this.w.acked.length + this.w.ackedReceipts.length > 0;
  }

  /** The one commit path: pending writes in one transaction, then the afterCommit callbacks (ok = false when it failed). */
  commit(): void {
    this.scheduled = false;
    const w = this.w;
    const maxId = Math.max(this.committedThrough, this.pendingMaxId);
    this.w = { ops: [], acked: [], ackedReceipts: [] };
    const waiting = this.waiting;
    this.waiting = [];
    const writes = w.ops.length + w.acked.length + w.ackedReceipts.length;
    let ok = !this.closed || writes === 0;
    if (writes && !this.closed) {
      try {
        this.hooks.write(w);
      } catch {
        ok = false;
        const lost: number[] = [];
        for (const op of w.ops) if (op.t === 'insert') lost.push(op.m.id);
        if (lost.length) this.hooks.lost(lost);
      }
      this.committedThrough = maxId;
    }
    for (let i = 0; i < waiting.length; i += SLOTS)
      (waiting[i] as Committed)(ok, waiting[i + 1], waiting[i + 2], waiting[i + 3], waiting[i + 4]);
    if (writes) this.hooks.committed();
  }

  close(): void {
    if (this.lazyTimer) clearTimeout(this.lazyTimer);
    this.lazyTimer = undefined;
    this.lazyArmed = false;
    this.commit();
    this.closed = true;
  }

  private open(): void {
    if (this.closed) throw new Error('message store is closed');
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    if (!this.holding) setImmediate(this.commitScheduled);
  }

  private readonly commitScheduled = (): void => {
    if (this.scheduled) this.commit();
  };

  /** A commit within lazyMs, unless one comes sooner (the timer then finds nothing to write). */
  private scheduleLazy(): void {
    if (this.scheduled || this.lazyArmed) return;
    this.lazyArmed = true;
    if (this.lazyTimer === undefined) this.lazyTimer = setTimeout(this.lazyCommit, this.lazyMs);
    else this.lazyTimer.refresh();
  }

  private readonly lazyCommit = (): void => {
    this.lazyArmed = false;
    if (this.pending && !this.scheduled) this.commit();
  };
}
