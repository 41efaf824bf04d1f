// The request window: at most `size` requests outstanding (sent, not yet answered), keyed by sequence number.
// A caller that finds the window full waits in a FIFO queue until a slot frees or its wait deadline passes.
// Expiry is driven from outside by sweep(now) on a coarse tick: entries are kept in insertion order with
// non-decreasing deadlines, so a sweep only looks at what has expired (plus one), never at every entry. They are
// found by sequence number in an open-addressing table (seq-table.ts), not a Map: ~150 → ~105 ns a request.
// An entry settles through one callback (`Done`): the promise API wraps it, and callers on a hot path
// (Session.requestWith) use it directly, without a Promise, a closure pair and a microtask per request.

import { closedError, SessionError } from './errors.js';
import { SeqTable } from './seq-table.js';

/** How an outstanding request settles: (null, response) or (error). */
export type Done<R> = (error: Error | null, response?: R) => void;

interface Entry<R> {
  readonly sequenceNumber: number;
  readonly command: string;
  readonly expiresAt: number;
  readonly done: Done<R>;
  /** false once settled (it then waits in `order` until the sweep or a compaction passes it) */
  live: boolean;
}

interface Waiter {
  readonly deadline: number;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

export class Window<R> {
  /** the outstanding requests by sequence number */
  private readonly entries = new SeqTable<Entry<R>>();
  /** every entry in the order added (= expiry order), settled ones included, from orderHead on */
  private order: Array<Entry<R>> = [];
  private orderHead = 0;
  private waiters: Waiter[] = [];
  private head = 0; // index of the first live waiter
  private reserved = 0; // slots granted to callers who have not called add() yet
  private lastExpiry = -Infinity;
  private emptyListeners: Array<() => void> = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`window size must be an integer >= 1, got ${size}`);
  }

  /** Requests sent and awaiting their response. */
  get outstanding(): number {
    return this.entries.size;
  }

  /** Callers waiting for a slot. */
  get waiting(): number {
    return this.waiters.length - this.head;
  }

  has(sequenceNumber: number): boolean {
    return this.entries.has(sequenceNumber);
  }

  /** The command of the outstanding request with this sequence number, if any. */
  commandOf(sequenceNumber: number): string | undefined {
    return this.entries.get(sequenceNumber)?.command;
  }

  /** Reserve a slot now if one is free and nobody is queued before us. */
  tryReserve(): boolean {
    if (this.waiting > 0 || this.entries.size + this.reserved >= this.size) return false;
    this.reserved++;
    return true;
  }

  /**
   * Queue for a slot (FIFO). Resolves with the slot reserved; rejects with WINDOW_TIMEOUT once a sweep
   * finds the deadline passed. Deadlines must be non-decreasing across calls (one wait timeout per window).
   */
  waitForSlot(deadline: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ deadline, resolve, reject });
    });
  }

  /** Give back a reserved slot that will not be used. */
  cancelReservation(): void {
    if (this.reserved === 0) throw new Error('cancelReservation without a reservation');
    this.reserved--;
    this.slotFreed();
  }

  /** Turn a reservation into an outstanding request; the promise settles with its response or its failure. */
  add(sequenceNumber: number, command: string, expiresAt: number): Promise<R> {
    let settle: Done<R> = () => {};
    const response = new Promise<R>((resolve, reject) => {
      settle = (err, r) => (err ? reject(err) : resolve(r!));
    });
    this.addWith(sequenceNumber, command, expiresAt, settle); // throws now (not as a rejection) when refused
    return response;
  }

  /**
   * add() with a callback: `done` is called once, with the response (complete) or the failure (fail, sweep,
   * failAll). If it throws, the window's books are already balanced; the error reaches complete()'s or fail()'s
   * caller, and sweep() / failAll() settle every other entry first and then throw the first such error.
   */
  addWith(sequenceNumber: number, command: string, expiresAt: number, done: Done<R>): void {
    if (this.reserved === 0) throw new Error('Window.add without a reserved slot');
    // keep insertion order == expiry order, so sweep() can stop at the first live entry
    const at = Math.max(expiresAt, this.lastExpiry);
    const entry: Entry<R> = { sequenceNumber, command, expiresAt: at, done, live: true };
    if (!this.entries.add(sequenceNumber, entry))
      throw new Error(`sequence number ${sequenceNumber} is already outstanding`);
    this.reserved--;
    this.lastExpiry = at;
    this.order.push(entry);
    // settled entries behind a long-outstanding one: dropped once they outnumber the live ones
    if (this.order.length - this.orderHead > 2 * this.entries.size + 1024) this.compactOrder();
  }

  /** Settle the outstanding request with this sequence number. False when there is none. */
  complete(sequenceNumber: number, response: R): boolean {
    const entry = this.entries.take(sequenceNumber);
    if (entry === undefined) return false;
    this.settled(entry);
    try {
      entry.done(null, response);
    } finally {
      this.slotFreed();
    }
    return true;
  }

  /** Fail the outstanding request with this sequence number. False when there is none. */
  fail(sequenceNumber: number, error: Error): boolean {
    const entry = this.entries.take(sequenceNumber);
    if (entry === undefined) return false;
    this.settled(entry);
    try {
      entry.done(error);
    } finally {
      this.slotFreed();
    }
    return true;
  }

  /** Reject expired requests (RESPONSE_TIMEOUT) and expired waiters (WINDOW_TIMEOUT). Returns how many expired. */
  sweep(now: number): number {
    let expired = 0;
    while (this.head < this.waiters.length && this.waiters[this.head].deadline <= now) {
      const waiter = this.waiters[this.head++];
      waiter.reject(
        new SessionError(
          'WINDOW_TIMEOUT',
          `no window slot free within the wait timeout (window size ${this.size}): not sent`,
          false,
        ),
      );
      expired++;
    }
    this.compactWaiters();
    let thrown: { error: unknown } | undefined;
    // this.order and its head are read again each time: a callback may settle or add entries (and so move them)
    while (this.orderHead < this.order.length) {
      const entry = this.order[this.orderHead]!;
      if (!entry.live) {
        this.orderHead++;
        continue;
      }
      if (entry.expiresAt > now) break;
      this.entries.take(entry.sequenceNumber);
      entry.live = false;
      this.orderHead++;
      const error = new SessionError(
        'RESPONSE_TIMEOUT',
        `no response to ${entry.command} seq ${entry.sequenceNumber} within the response timeout: it may or may not have been delivered`,
        true,
        entry.sequenceNumber,
      );
      thrown = settle(entry, error, thrown);
      expired++;
      this.slotFreed();
    }
    this.trimOrder();
    if (thrown !== undefined) throw thrown.error;
    return expired;
  }

  /** Reject every queued waiter with this error (they were never sent). */
  failWaiters(error: Error): void {
    const waiters = this.waiters;
    const head = this.head;
    this.waiters = [];
    this.head = 0;
    for (let i = head; i < waiters.length; i++) waiters[i].reject(error);
  }

  /** On close: every outstanding request fails with CLOSED (maybe delivered), every waiter with CLOSED (not sent). */
  failAll(reason: string): void {
    this.failWaiters(
      new SessionError(
        'CLOSED',
        `session closed (${reason}) before the request could be sent: it was not delivered`,
        false,
      ),
    );
    const entries: Array<Entry<R>> = [];
    for (let i = this.orderHead; i < this.order.length; i++) {
      const entry = this.order[i]!;
      if (!entry.live) continue;
      entry.live = false;
      entries.push(entry);
    }
    this.entries.clear();
    this.order = [];
    this.orderHead = 0;
    let thrown: { error: unknown } | undefined;
    for (const entry of entries)
      thrown = settle(entry, closedError(entry.command, entry.sequenceNumber, reason), thrown);
    this.notifyEmpty();
    if (thrown !== undefined) throw thrown.error;
  }

  /** Resolves when no request is outstanding or reserved. */
  whenEmpty(): Promise<void> {
    if (this.entries.size === 0 && this.reserved === 0) return Promise.resolve();
    return new Promise((resolve) => this.emptyListeners.push(resolve));
  }

  /** An entry taken from the table: marked, and the settled ones at the head of `order` dropped. */
  private settled(entry: Entry<R>): void {
    entry.live = false;
    const order = this.order;
    while (this.orderHead < order.length && !order[this.orderHead]!.live) this.orderHead++;
    this.trimOrder();
  }

  /** Gives back the part of `order` before its head: all of it once empty, else when the head is past half. */
  private trimOrder(): void {
    if (this.orderHead === this.order.length) {
      this.order.length = 0;
      this.orderHead = 0;
    } else if (this.orderHead > 1024 && this.orderHead * 2 > this.order.length) {
      this.order = this.order.slice(this.orderHead);
      this.orderHead = 0;
    }
  }

  /** Keeps only the live entries of `order`, in their order. */
  private compactOrder(): void {
    const live: Array<Entry<R>> = [];
    for (let i = this.orderHead; i < this.order.length; i++) if (this.order[i]!.live) live.push(this.order[i]!);
    this.order = live;
    this.orderHead = 0;
  }

  private slotFreed(): void {
    if (this.head < this.waiters.length && this.entries.size + this.reserved < this.size) {
      const waiter = this.waiters[this.head++];
      this.compactWaiters();
      this.reserved++;
      waiter.resolve();
      return;
    }
    if (this.entries.size === 0 && this.reserved === 0) this.notifyEmpty();
  }

  private notifyEmpty(): void {
    if (this.emptyListeners.length === 0) return;
    const listeners = this.emptyListeners;
    this.emptyListeners = [];
    for (const listener of listeners) listener();
  }

  private compactWaiters(): void {
    if (this.head === this.waiters.length) {
      this.waiters.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.waiters.length) {
      this.waiters = this.waiters.slice(this.head);
      this.head = 0;
    }
  }
}

/** Fails one entry; what its callback throws is kept (the first only) for the caller to throw once all are settled. */
function settle<R>(
  entry: Entry<R>,
  error: Error,
  thrown: { error: unknown } | undefined,
): { error: unknown } | undefined {
  try {
    entry.done(error);
  } catch (e) {
    return thrown ?? { error: e };
  }
  return thrown;
}
