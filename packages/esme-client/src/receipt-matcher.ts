// Matches delivery receipts to the submits they report on, whatever base or padding each side writes the id in,
// and folds the receipts of the parts of a long message into one logical result.
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

export interface Entry {
  messageIds: string[];
  parts: (PartReceipt | undefined)[];
  remaining: number;
  submittedAt: number;
  expiresAt: number;
  meta: unknown;
  result?: LogicalReceipt;
  /** The id form its ids are indexed under: decided at its first id (undefined until then); null: every form,
   *  because the link's form was not known yet. */
  indexedForm: IdForm | null | undefined;
  /** The expiry list it is in (waiting or completed) and its neighbours there. */
  list: EntryList | undefined;
  prev: Entry | undefined;
  next: Entry | undefined;
}

/**
 * Entries in the order they were added (= expiry order), linked through the entries themselves: adding and
 * removing cost no hashing and no allocation (this runs twice per message on a load run).
 */
class EntryList {
  head: Entry | undefined;
  tail: Entry | undefined;
  size = 0;

  push(e: Entry): void {
    e.list = this;
    e.prev = this.tail;
    e.next = undefined;
    if (this.tail) this.tail.next = e;
    else this.head = e;
    this.tail = e;
    this.size++;
  }

  /** False when the entry is not in this list. */
  remove(e: Entry): boolean {
    if (e.list !== this) return false;
    if (e.prev) e.prev.next = e.next;
    else this.head = e.next;
    if (e.next) e.next.prev = e.prev;
    else this.tail = e.prev;
    e.list = e.prev = e.next = undefined;
    this.size--;
    return true;
  }
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

/**
 * How a receipt writes the id the SMSC gave in submit_sm_resp: the same way (case and zero padding aside),
 * a hex id in decimal, or a decimal id in hex (Kannel's msg-id-type, Vonage's "DLR id is hex").
 */
export type IdForm = 'same' | 'hexToDecimal' | 'decimalToHex';
const FORMS: readonly IdForm[] = ['same', 'hexToDecimal', 'decimalToHex'];
/** Does the id have a hex letter (a-f, any case)? */
function hasHexLetter(id: string): boolean {
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i) | 0x20;
    if (c >= 0x61 && c <= 0x66) return true;
  }
  return false;
}

/** Case, surrounding spaces and zero padding never matter. */
function norm(id: string): string {
  let s = id;
  if (s.length === 0) return s;
  if (s.charCodeAt(0) <= 0x20 || s.charCodeAt(s.length - 1) <= 0x20) s = s.trim();
  s = s.toLowerCase();
  if (s.charCodeAt(0) === 0x30) {
    let i = 0;
    while (i < s.length - 1 && s.charCodeAt(i) === 0x30) i++;
    s = s.slice(i);
  }
  return s;
}

/**
 * The id of a submit as a receipt may write it, per form. The forms are the ones receiptIdCandidates
 * (@smppkit/core) lists; they are kept apart here so the matcher can learn which one a link uses and not
 * mistake decimal "16" for hex "16" when both kinds of id are in flight.
 */
function formsOf(id: string): Array<[IdForm, string]> {
  const out: Array<[IdForm, string]> = [];
  for (const form of FORMS) {
    const k = keyOf(id, form);
    if (k !== undefined) out.push([form, k]);
  }
  return out;
}

/** The id as a receipt writes it in one form (normalised), or undefined when the id cannot be written so. */
function keyOf(id: string, form: IdForm): string | undefined {
  const n = norm(id);
  if (form === 'same') return n;
  if (form === 'hexToDecimal') return /^[0-9a-f]+$/.test(n) && n.length <= 32 ? BigInt(`0x${n}`).toString(10) : undefined;
  return /^[0-9]+$/.test(n) && n.length <= 40 ? BigInt(n).toString(16) : undefined;
}

/** No outcomes (shared: addId's common answer allocates nothing). */
const NONE: MatchOutcome[] = [];
Object.freeze(NONE);

export interface ReceiptMatcherOptions {
  /** How long a submitted message is remembered for its receipts (default 1 h). */
  ttlMs?: number;
  /**
   * How long a message is remembered once every part has its receipt (default 10 s): a late waitFor() still gets
   * the result and a repeated receipt is recognised as a duplicate; then it is forgotten, so memory follows the
   * rate of receipts, not the length of the run. 0: forgotten at once (a repeated receipt is then unmatched).
   */
  completedTtlMs?: number;
  /** How long a receipt that matches nothing is held for a submit response still to come (default 60 s). */
  earlyTtlMs?: number;
  /** How long an ambiguous receipt waits, while the link's id form is not known yet, before it is matched anyway. */
  graceMs?: number;
  /** The link's id form when known; default 'auto': deduced from the ids seen. */
  idForm?: IdForm | 'auto';
  clock?: Clock;
}

export class ReceiptMatcher {
  /** For each form: the id written that way → the submitted part. */
  private readonly index: Record<IdForm, Map<string, Ref>> = { same: new Map(), hexToDecimal: new Map(), decimalToHex: new Map() };
  /** Receipts matched in each form. */
  private readonly learned: Record<IdForm, number> = { same: 0, hexToDecimal: 0, decimalToHex: 0 };
  /** The shape of the ids seen: with hex letters or not, on each side. */
  private readonly shape = { submits: 0, submitsWithLetters: 0, receipts: 0, receiptsWithLetters: 0 };
  /** Tracked entries in submission order, for expiry. */
  private readonly entries = new EntryList();
  /** Entries with every receipt, in completion order (their expiresAt is completion + completedTtlMs). */
  private readonly completed = new EntryList();
  /** Receipts not matched yet (their submit response is still to come, or the id form is not known yet). */
  private readonly early = new Map<string, { part: PartReceipt; at: number }>();
  private readonly waiters = new Map<string, Waiter[]>();
  private readonly ttlMs: number;
  private readonly completedTtlMs: number;
  private readonly earlyTtlMs: number;
  private readonly graceMs: number;
  private readonly fixedForm: IdForm | undefined;
  private readonly clock: Clock;

  constructor(opts: ReceiptMatcherOptions = {}) {
    this.ttlMs = opts.ttlMs ?? 3_600_000;
    this.completedTtlMs = Math.min(opts.completedTtlMs ?? 10_000, this.ttlMs);
    this.earlyTtlMs = opts.earlyTtlMs ?? 60_000;
    this.graceMs = opts.graceMs ?? 500;
    this.fixedForm = opts.idForm === 'auto' ? undefined : opts.idForm;
    this.clock = opts.clock ?? systemClock;
  }

  /** Messages tracked: waiting for receipts, or complete and still remembered. */
  get size(): number {
    return this.entries.size + this.completed.size;
  }

  /**
   * The link's id form: as configured, or deduced from the ids' shape — hex letters in submit ids but never in
   * receipt ids means hex written in decimal (and the reverse); letters on both sides, or enough ids without
   * any, means the same form. Undefined while there is not enough evidence.
   */
  get idForm(): IdForm | undefined {
    if (this.fixedForm) return this.fixedForm;
    const s = this.shape;
    if (s.submitsWithLetters >= 3 && s.receiptsWithLetters >= 3) return 'same';
    if (s.submitsWithLetters >= 3 && s.receiptsWithLetters === 0 && s.receipts >= 10) return 'hexToDecimal';
    if (s.receiptsWithLetters >= 3 && s.submitsWithLetters === 0 && s.submits >= 10) return 'decimalToHex';
    if (s.submitsWithLetters === 0 && s.receiptsWithLetters === 0 && s.receipts >= 50) return 'same';
    return undefined;
  }

  /** Receipts matched per id form so far. */
  get dialect(): Readonly<Record<IdForm, number>> {
    return this.learned;
  }

  /** Start tracking a message of `parts` parts; ids are added as each part's response arrives. */
  begin(parts: number, meta?: unknown, submittedAt: number = this.clock.now()): Entry {
    const entry: Entry = {
      messageIds: parts === 1 ? [''] : new Array<string>(parts).fill(''),
      parts: parts === 1 ? [undefined] : new Array(parts).fill(undefined),
      remaining: parts,
      submittedAt,
      expiresAt: this.clock.now() + this.ttlMs,
      meta,
      indexedForm: undefined,
      list: undefined,
      prev: undefined,
      next: undefined,
    };
    this.entries.push(entry);
    return entry;
  }

  /** The SMSC gave part `part` this id. Returns outcomes for receipts that had already arrived for it. */
  addId(entry: Entry, part: number, id: string): MatchOutcome[] {
    entry.messageIds[part] = id;
    this.shape.submits++;
    if (hasHexLetter(id)) this.shape.submitsWithLetters++;
    const ref = { entry, part };
    // Once the link's id form is known, only that form is indexed (no conversions per id on the hot path).
    if (entry.indexedForm === undefined) entry.indexedForm = this.idForm ?? null;
    const only = entry.indexedForm;
    let forms: Array<[IdForm, string]>;
    if (only) {
      const written = keyOf(id, only);
      if (written === undefined) return NONE;
      this.index[only].set(written, ref);
      if (this.early.size === 0) return NONE;
      forms = [[only, written]];
    } else {
      forms = formsOf(id);
      for (const [form, written] of forms) this.index[form].set(written, ref);
      if (this.early.size === 0) return NONE;
    }
    const outcomes: MatchOutcome[] = [];
    for (const [, written] of forms) {
      const early = this.early.get(written);
      if (!early) continue;
      this.early.delete(written);
      // Matched by the usual rules: an ambiguous one (the link's id form not known yet) waits for the sweep.
      const outcome = this.match(early.part);
      if (outcome.kind === 'unmatched') this.early.set(written, early);
      else outcomes.push(outcome);
    }
    return outcomes;
  }

  /** Track a message whose ids are all known. */
  track(messageIds: string[], meta?: unknown, submittedAt: number = this.clock.now()): MatchOutcome[] {
    const entry = this.begin(messageIds.length, meta, submittedAt);
    return messageIds.flatMap((id, i) => this.addId(entry, i, id));
  }

  /**
   * The submitted part a receipt id denotes. When the link's id form is known, only that form. While it is not
   * known, an id that matches as given, and in no other form, is taken; anything ambiguous is held (returns
   * undefined) until `force` (after the grace period), when the form matched most so far wins, 'same' first.
   */
  private lookup(id: string, force = false): Ref | undefined {
    const n = norm(id);
    const form = this.idForm;
    if (form) {
      const ref = this.index[form].get(n);
      if (ref) this.learned[form]++;
      return ref;
    }
    let best: Ref | undefined;
    let bestForm: IdForm | undefined;
    // Distinct submitted parts this id could denote: "1" is the same id in every form, so not ambiguous.
    let distinct = 0;
    let first: Ref | undefined;
    for (const f of FORMS) {
      const ref = this.index[f].get(n);
      if (!ref) continue;
      if (!first) {
        first = ref;
        distinct = 1;
      } else if (distinct === 1 && (ref.entry !== first.entry || ref.part !== first.part)) distinct = 2;
      if (bestForm === undefined || this.learned[f] > this.learned[bestForm]) {
        best = ref;
        bestForm = f;
      }
    }
    if (!best || !bestForm) return undefined;
    // Taken at once only when the id, as given, names that part and no other form names another part.
    if (!force && !(distinct === 1 && this.index.same.get(n) === first)) return undefined;
    this.learned[bestForm]++;
    return best;
  }

  /** A receipt arrived: match it, record it, and say what it completed. */
  onReceipt(part: PartReceipt, force = false): MatchOutcome {
    this.shape.receipts++;
    if (hasHexLetter(part.id)) this.shape.receiptsWithLetters++;
    return this.match(part, force);
  }

  /** Match a receipt (counted already: a held one comes back here when its submit response arrives). */
  private match(part: PartReceipt, force = false): MatchOutcome {
    const ref = this.lookup(part.id, force);
    if (!ref) {
      this.early.set(norm(part.id), { part, at: this.clock.now() });
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
    const first = this.entries.remove(entry);
    this.settleWaiters(entry, result);
    if (first && this.completedTtlMs === 0) this.forget(entry);
    else if (first) {
      entry.expiresAt = this.clock.now() + this.completedTtlMs;
      this.completed.push(entry);
    }
    return { kind: 'complete', result, part };
  }

  /** Resolves with the logical receipt of the message that has `messageId` among its part ids. */
  waitFor(messageId: string, timeoutMs: number): Promise<LogicalReceipt> {
    const ref = this.index.same.get(norm(messageId));
    if (ref?.entry.result) return Promise.resolve(ref.entry.result);
    return new Promise((resolve, reject) => {
      const k = norm(ref ? ref.entry.messageIds[0]! : messageId);
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
      const k = norm(id);
      const list = this.waiters.get(k);
      if (!list) continue;
      this.waiters.delete(k);
      for (const w of list) {
        if (w.timer) clearTimeout(w.timer);
        w.resolve(result);
      }
    }
  }

  /**
   * Coarse sweep: forget entries past their TTL; match receipts held longer than the grace period in any id
   * form; return those still unmatched after earlyTtlMs as orphans.
   */
  sweep(now: number = this.clock.now()): { outcomes: MatchOutcome[]; orphans: PartReceipt[] } {
    for (let e = this.entries.head; e && e.expiresAt <= now; e = this.entries.head) this.forget(e);
    for (let e = this.completed.head; e && e.expiresAt <= now; e = this.completed.head) this.forget(e);
    const outcomes: MatchOutcome[] = [];
    const orphans: PartReceipt[] = [];
    for (const [k, e] of this.early) {
      if (now - e.at < this.graceMs) continue;
      if (this.lookup(e.part.id, true)) {
        this.early.delete(k);
        outcomes.push(this.match(e.part, true));
      } else if (now - e.at > this.earlyTtlMs) {
        this.early.delete(k);
        orphans.push(e.part);
      }
    }
    return { outcomes, orphans };
  }

  private forget(entry: Entry): void {
    this.entries.remove(entry);
    this.completed.remove(entry);
    const only = entry.indexedForm;
    for (const id of entry.messageIds) {
      if (only) this.unindex(entry, only, keyOf(id, only));
      else for (const [form, written] of formsOf(id)) this.unindex(entry, form, written);
    }
  }

  private unindex(entry: Entry, form: IdForm, written: string | undefined): void {
    if (written !== undefined && this.index[form].get(written)?.entry === entry) this.index[form].delete(written);
  }

  /**
   * The submit of a tracked message failed before any part got an id: nothing can match it, so it is dropped now
   * rather than held for the TTL (a failing load run would otherwise keep every failure for an hour).
   */
  abandon(entry: Entry): void {
    if (entry.messageIds.every((id) => id === '')) this.forget(entry);
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
