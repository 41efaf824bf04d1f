// Matches delivery receipts to the submits they report on, whatever base or padding each side writes the id in,
// and folds the receipts of the parts of a long message into one logical result.
import { receiptIdCandidates } from '@smppkit/core';
import { systemClock, type Clock } from './rate-limiter.js';

/** One receipt for one submitted part, as the client reports it. */
export interface PartReceipt {
  /** The id as written in the receipt. */
  id: string;
  /** Receipt stat text: DELIVRD, UNDELIV, … (from message_state when only the TLV is present). */
  stat: string;
  err?: string;
  submitDate?: Date | string;
  doneDate?: Date | string;
  /** Any further fields the parser gave (text, sub, dlvrd, network_error_code, …). */
  [key: string]: unknown;
}

/** The result for one submitted (possibly long) message, once every part has a final receipt. */
export interface LogicalReceipt {
  messageIds: string[];
  /** DELIVRD when every part was delivered, otherwise the stat of the first part that was not. */
  stat: string;
  delivered: boolean;
  parts: PartReceipt[];
  /** Submit time (clock ms) and submit→last receipt latency. */
  submittedAt: number;
  latencyMs: number;
  /** Whatever the submitter attached (destination, reference, …). */
  meta?: unknown;
}

/** Stats that are not final: the part is still waiting for its outcome. */
const INTERMEDIATE_STATS = new Set(['ENROUTE', 'SCHEDULED']);

interface Entry {
  messageIds: string[];
  parts: (PartReceipt | undefined)[];
  remaining: number;
  submittedAt: number;
  expiresAt: number;
  meta: unknown;
  result?: LogicalReceipt;
}

interface Ref {
  entry: Entry;
  part: number;
}

interface Waiter {
  resolve: (r: LogicalReceipt) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout | undefined;
}

export type MatchOutcome =
  | { kind: 'complete'; result: LogicalReceipt; part: PartReceipt }
  | { kind: 'part'; part: PartReceipt; messageIds: string[]; remaining: number }
  | { kind: 'duplicate'; part: PartReceipt; messageIds: string[] }
  | { kind: 'intermediate'; part: PartReceipt; messageIds: string[] }
  | { kind: 'unmatched'; part: PartReceipt };

export class ReceiptTimeoutError extends Error {
  readonly code = 'RECEIPT_TIMEOUT';
  constructor(readonly messageId: string, timeoutMs: number) {
    super(`no receipt for message ${messageId} within ${timeoutMs} ms`);
    this.name = 'ReceiptTimeoutError';
  }
}

const key = (id: string): string => id.trim().toLowerCase();

export class ReceiptMatcher {
  /** Ids exactly as the SMSC returned them in submit_sm_resp. */
  private readonly exact = new Map<string, Ref>();
  /** The other forms of those ids (hex↔decimal, without padding). */
  private readonly alternate = new Map<string, Ref>();
  /** Tracked entries in submission order, for expiry. */
  private readonly entries = new Set<Entry>();
  /** Receipts that came before the submit response was processed (pair binds race). */
  private readonly early = new Map<string, { part: PartReceipt; at: number }>();
  private readonly waiters = new Map<string, Waiter[]>();
  private readonly ttlMs: number;
  private readonly earlyTtlMs: number;

  constructor(opts: { ttlMs?: number; earlyTtlMs?: number; clock?: Clock; candidates?: (id: string) => string[] } = {}, private readonly clock: Clock = opts.clock ?? systemClock) {
    this.ttlMs = opts.ttlMs ?? 3_600_000;
    this.earlyTtlMs = opts.earlyTtlMs ?? 60_000;
    this.candidates = opts.candidates ?? receiptIdCandidates;
  }

  private readonly candidates: (id: string) => string[];

  get size(): number {
    return this.entries.size;
  }

  /**
   * Remember a submitted message (the ids of all its parts, in order). Returns outcomes for receipts that
   * had already arrived for these ids.
   */
  track(messageIds: string[], meta?: unknown, submittedAt: number = this.clock.now()): MatchOutcome[] {
    const entry: Entry = {
      messageIds,
      parts: new Array(messageIds.length).fill(undefined),
      remaining: messageIds.length,
      submittedAt,
      expiresAt: this.clock.now() + this.ttlMs,
      meta,
    };
    this.entries.add(entry);
    messageIds.forEach((id, part) => {
      const ref = { entry, part };
      this.exact.set(key(id), ref);
      for (const form of this.candidates(id)) {
        const k = key(form);
        if (!this.exact.has(k)) this.alternate.set(k, ref);
      }
    });
    const outcomes: MatchOutcome[] = [];
    if (this.early.size > 0) {
      for (const id of messageIds) {
        for (const form of [id, ...this.candidates(id)]) {
          const early = this.early.get(key(form));
          if (!early) continue;
          this.dropEarly(early.part.id);
          outcomes.push(this.onReceipt(early.part));
        }
      }
    }
    return outcomes;
  }

  private lookup(id: string): Ref | undefined {
    const k = key(id);
    const direct = this.exact.get(k);
    if (direct) return direct;
    const forms = this.candidates(id).map(key);
    for (const f of forms) {
      const r = this.exact.get(f);
      if (r) return r;
    }
    const alt = this.alternate.get(k);
    if (alt) return alt;
    for (const f of forms) {
      const r = this.alternate.get(f);
      if (r) return r;
    }
    return undefined;
  }

  /** A receipt arrived: match it, record it, and say what it completed. */
  onReceipt(part: PartReceipt): MatchOutcome {
    const ref = this.lookup(part.id);
    if (!ref) {
      const early = { part, at: this.clock.now() };
      for (const form of [part.id, ...this.candidates(part.id)]) this.early.set(key(form), early);
      return { kind: 'unmatched', part };
    }
    const { entry } = ref;
    if (part.intermediate === true || INTERMEDIATE_STATS.has(part.stat.toUpperCase())) return { kind: 'intermediate', part, messageIds: entry.messageIds };
    if (entry.parts[ref.part]) return { kind: 'duplicate', part, messageIds: entry.messageIds };
    entry.parts[ref.part] = part;
    entry.remaining--;
    if (entry.remaining > 0) return { kind: 'part', part, messageIds: entry.messageIds, remaining: entry.remaining };
    const parts = entry.parts as PartReceipt[];
    const failed = parts.find((p) => p.stat.toUpperCase() !== 'DELIVRD');
    const result: LogicalReceipt = {
      messageIds: entry.messageIds,
      stat: failed ? failed.stat : 'DELIVRD',
      delivered: !failed,
      parts,
      submittedAt: entry.submittedAt,
      latencyMs: this.clock.now() - entry.submittedAt,
      meta: entry.meta,
    };
    entry.result = result;
    this.settleWaiters(entry, result);
    return { kind: 'complete', result, part };
  }

  /** Resolves with the logical receipt of the message that has `messageId` among its part ids. */
  waitFor(messageId: string, timeoutMs: number): Promise<LogicalReceipt> {
    const ref = this.lookup(messageId);
    if (ref?.entry.result) return Promise.resolve(ref.entry.result);
    return new Promise((resolve, reject) => {
      const k = key(ref ? ref.entry.messageIds[0]! : messageId);
      const w: Waiter = { resolve, reject, timer: undefined };
      if (timeoutMs > 0) {
        w.timer = setTimeout(() => {
          const list = this.waiters.get(k);
          if (list) {
            const i = list.indexOf(w);
            if (i >= 0) list.splice(i, 1);
            if (list.length === 0) this.waiters.delete(k);
          }
          reject(new ReceiptTimeoutError(messageId, timeoutMs));
        }, timeoutMs);
      }
      const list = this.waiters.get(k);
      if (list) list.push(w);
      else this.waiters.set(k, [w]);
    });
  }

  private settleWaiters(entry: Entry, result: LogicalReceipt): void {
    if (this.waiters.size === 0) return;
    for (const id of entry.messageIds) {
      const k = key(id);
      const list = this.waiters.get(k);
      if (!list) continue;
      this.waiters.delete(k);
      for (const w of list) {
        if (w.timer) clearTimeout(w.timer);
        w.resolve(result);
      }
    }
  }

  /** Coarse sweep: forget entries past their TTL and early receipts nobody claimed. */
  sweep(now: number = this.clock.now()): void {
    for (const entry of this.entries) {
      if (entry.expiresAt > now) break;
      this.forget(entry);
    }
    for (const [k, e] of this.early) {
      if (now - e.at > this.earlyTtlMs) this.early.delete(k);
      else break;
    }
  }

  private dropEarly(id: string): void {
    for (const form of [id, ...this.candidates(id)]) this.early.delete(key(form));
  }

  private forget(entry: Entry): void {
    this.entries.delete(entry);
    for (const id of entry.messageIds) {
      if (this.exact.get(key(id))?.entry === entry) this.exact.delete(key(id));
      for (const form of this.candidates(id)) {
        if (this.alternate.get(key(form))?.entry === entry) this.alternate.delete(key(form));
      }
    }
  }

  /** Reject all waiters (client closing). */
  close(): void {
    for (const list of this.waiters.values()) {
      for (const w of list) {
        if (w.timer) clearTimeout(w.timer);
        w.reject(new Error('client closed while waiting for a receipt'));
      }
    }
    this.waiters.clear();
  }
}
