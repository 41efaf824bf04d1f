// Pairs delivery receipts with the submits they report on, and folds the receipts of the parts of a long message
// (and of the destinations of a submit_multi) into one logical result.
//
// The rule: a receipt is paired only with the one submit its id names under the link's id form. While the form is
// not known, only when exactly one tracked submit is named by it in any form; such unambiguous pairs are the only
// evidence for a form (receipt-form.ts). A wrong pairing is worse than a late one: an ambiguous receipt is held
// (bounded) until the form is learned or it becomes unambiguous; one that expires is reported, never paired by guess
// or dropped. The id forms themselves are @smppkit/core's (receiptIdInForm); the index is receipt-index.ts, the
// waiters receipt-waiters.ts.
import { normalizeReceiptId, RECEIPT_ID_FORMS, receiptIdInForm } from '@smppkit/core';
import { type Clock, systemClock } from './rate-limiter.js';
import { IdFormLearner } from './receipt-form.js';
import { type Entry, type IdForm, partOpen, ReceiptIndex, type Ref } from './receipt-index.js';
import type {
  DestinationOutcome,
  LogicalReceipt,
  MatchOutcome,
  PartReceipt,
  UnmatchedReason,
} from './receipt-types.js';
import { ReceiptWaiters } from './receipt-waiters.js';

export type { Entry, IdForm } from './receipt-index.js';
export type {
  DestinationOutcome,
  LogicalReceipt,
  MatchOutcome,
  PartReceipt,
  UnmatchedReason,
} from './receipt-types.js';
export { ReceiptTimeoutError } from './receipt-types.js';

/** Stats that are not final: the part is still waiting for its outcome. */
const INTERMEDIATE_STATS = new Set(['ENROUTE', 'SCHEDULED']);

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
  /** How long a receipt that cannot be paired (yet) is held before it is reported unmatched (default 60 s). */
  earlyTtlMs?: number;
  /**
   * How long a held receipt waits before the coarse sweep looks at it again as a whole (default 500 ms): by then a
   * submit response racing it on another bind has arrived.
   */
  graceMs?: number;
  /** At most this many receipts are held; beyond, the oldest is reported unmatched ('overflow'). Default 100 000. */
  maxHeld?: number;
  /** The link's id form when known; default 'auto': learned from unambiguous pairs. */
  idForm?: IdForm | 'auto';
  clock?: Clock;
}

interface Held {
  part: PartReceipt;
  key: string;
  at: number;
  reason: UnmatchedReason;
}

/** What find() concluded for a receipt id. */
const UNKNOWN = 0;
const AMBIGUOUS = 1;

/** A pair made before the form was known, checked once it is. */
interface Unverified {
  ref: Ref;
  key: string;
}
const MAX_UNVERIFIED = 100_000;

export class ReceiptMatcher {
  private readonly index = new ReceiptIndex();
  private readonly learner: IdFormLearner;
  private readonly waiters = new ReceiptWaiters();
  /** Receipts not paired yet, by normalised id, oldest first. */
  private readonly held = new Map<string, Held[]>();
  private heldCount = 0;
  /** Outcomes of held receipts paired once the form was learned, for the next caller to take. */
  private pending: MatchOutcome[] = [];
  /** Receipts reported unmatched before the next sweep (held beyond maxHeld). */
  private overflowed: PartReceipt[] = [];
  private unverified: Unverified[] | undefined = [];
  private relearn = false;
  private readonly ttlMs: number;
  private readonly completedTtlMs: number;
  private readonly earlyTtlMs: number;
  private readonly graceMs: number;
  private readonly maxHeld: number;
  private readonly clock: Clock;
  /**
   * Counted since the start: receipts seen, paired (final, intermediate and duplicates), reported unmatched (of
   * them ambiguous), and pairs made before the form was known that the learned form contradicts (mis-paired).
   */
  readonly counters = {
    receipts: 0,
    paired: 0,
    intermediate: 0,
    duplicates: 0,
    unmatched: 0,
    ambiguous: 0,
    mispaired: 0,
  };

  constructor(opts: ReceiptMatcherOptions = {}) {
    this.ttlMs = opts.ttlMs ?? 3_600_000;
    this.completedTtlMs = Math.min(opts.completedTtlMs ?? 10_000, this.ttlMs);
    this.earlyTtlMs = opts.earlyTtlMs ?? 60_000;
    this.graceMs = opts.graceMs ?? 500;
    this.maxHeld = Math.max(1, opts.maxHeld ?? 100_000);
    this.learner = new IdFormLearner(opts.idForm === 'auto' ? undefined : opts.idForm);
    if (this.learner.isFixed) this.unverified = undefined;
    this.clock = opts.clock ?? systemClock;
  }

  /** Messages tracked: waiting for receipts, or complete and still remembered. */
  get size(): number {
    return this.index.size;
  }

  /** Receipts held, not paired yet. */
  get heldReceipts(): number {
    return this.heldCount;
  }

  /** The link's id form: as configured, or learned; undefined while there is not enough evidence. */
  get idForm(): IdForm | undefined {
    return this.learner.form;
  }

  /** Unambiguous pairs seen per id form (the evidence the form was learned from). */
  get dialect(): Readonly<Record<IdForm, number>> {
    return this.learner.evidence;
  }

  /**
   * Start tracking a message of `parts` parts; ids are added as each part's response arrives. `destinations`:
   * a submit_multi's (one receipt per destination and id).
   */
  begin(
    parts: number,
    meta?: unknown,
    submittedAt: number = this.clock.now(),
    destinations?: readonly string[],
  ): Entry {
    const fanout = destinations && destinations.length > 1 ? destinations.length : 1;
    const slots = parts * fanout;
    const entry: Entry = {
      messageIds: parts === 1 ? [''] : new Array<string>(parts).fill(''),
      fanout,
      destinations: fanout > 1 ? destinations!.map(normalizeAddress) : undefined,
      slots: slots === 1 ? [undefined] : new Array(slots).fill(undefined),
      remaining: slots,
      submittedAt,
      expiresAt: this.clock.now() + this.ttlMs,
      meta,
      indexedForm: undefined,
      list: undefined,
      prev: undefined,
      next: undefined,
    };
    this.index.waiting.push(entry);
    return entry;
  }

  /** The SMSC gave part `part` this id. Returns outcomes for receipts that had already arrived for it. */
  addId(entry: Entry, part: number, id: string): MatchOutcome[] {
    entry.messageIds[part] = id;
    // Once the link's id form is known, only that form is indexed (no conversions per id on the hot path).
    if (entry.indexedForm === undefined) entry.indexedForm = this.learner.form ?? null;
    const ref: Ref = { entry, part };
    if (this.heldCount === 0) {
      this.index.add(ref, id, entry.indexedForm);
      return this.pending.length === 0 ? NONE : this.takePending();
    }
    const keys: string[] = [];
    this.index.add(ref, id, entry.indexedForm, (k) => keys.push(k));
    const outcomes: MatchOutcome[] = [];
    for (const k of keys) this.retryKey(k, false, outcomes);
    if (this.relearn) this.learned(outcomes);
    for (const o of this.takePending()) outcomes.push(o);
    return outcomes;
  }

  /** Track a message whose ids are all known. */
  track(
    messageIds: string[],
    meta?: unknown,
    submittedAt: number = this.clock.now(),
    destinations?: readonly string[],
  ): MatchOutcome[] {
    const entry = this.begin(messageIds.length, meta, submittedAt, destinations);
    const out: MatchOutcome[] = [];
    for (let i = 0; i < messageIds.length; i++) for (const o of this.addId(entry, i, messageIds[i]!)) out.push(o);
    return out;
  }

  /** A receipt arrived: pair it (or hold it), record it, and say what it completed. */
  onReceipt(part: PartReceipt): MatchOutcome {
    this.counters.receipts++;
    if (part.receivedAt === undefined) part.receivedAt = this.clock.now();
    const outcome = this.match(part, normalizeReceiptId(part.id), false);
    if (this.relearn) this.learned(this.pending);
    return outcome;
  }

  /** Outcomes produced outside a call's own answer (held receipts paired when the form was learned). */
  takePending(): MatchOutcome[] {
    if (this.pending.length === 0) return NONE;
    const p = this.pending;
    this.pending = [];
    return p;
  }

  /** Set by find(): the form an unambiguous pair is evidence for (its id names its submit in that form only). */
  private evidence: IdForm | undefined;

  /**
   * The part receipt id `key` names: a Ref to pair with; UNKNOWN (no tracked submit); AMBIGUOUS. `settled`: the
   * receipt has waited graceMs, so parts that already have their receipt no longer count against it.
   */
  private find(
    key: string,
    destination: string | undefined,
    settled: boolean,
  ): Ref | typeof UNKNOWN | typeof AMBIGUOUS {
    this.evidence = undefined;
    const form = this.learner.form;
    if (form) return this.index.get(form, key) ?? UNKNOWN;
    let first: Ref | undefined;
    let firstForm: IdForm | undefined;
    let firstForms = 0;
    let others = false;
    for (const f of RECEIPT_ID_FORMS) {
      const ref = this.index.get(f, key);
      if (!ref) continue;
      if (!first) {
        first = ref;
        firstForm = f;
        firstForms = 1;
      } else if (ref === first) firstForms++;
      else others = true;
    }
    if (!first) return UNKNOWN;
    if (!others) {
      if (firstForms === 1 && partOpen(first, destination)) this.evidence = firstForm;
      return first;
    }
    if (!settled) return AMBIGUOUS;
    // After the grace period: the one candidate still waiting for its receipt, if only one is (no evidence).
    let open: Ref | undefined;
    for (const f of RECEIPT_ID_FORMS) {
      const ref = this.index.get(f, key);
      if (!ref || ref === open || !partOpen(ref, destination)) continue;
      if (open) return AMBIGUOUS;
      open = ref;
    }
    return open ?? AMBIGUOUS;
  }

  private match(part: PartReceipt, key: string, settled: boolean): MatchOutcome {
    const dest = part.destination === undefined ? undefined : normalizeAddress(part.destination);
    const found = this.find(key, dest, settled);
    if (found === UNKNOWN || found === AMBIGUOUS) {
      this.hold(part, key, found === AMBIGUOUS ? 'ambiguous' : 'unknown');
      return { kind: 'unmatched', part };
    }
    if (this.unverified && !this.learner.form && this.unverified.length < MAX_UNVERIFIED)
      this.unverified.push({ ref: found, key });
    if (this.evidence && this.learner.observe(this.evidence)) this.relearn = true;
    return this.apply(found, part, dest);
  }

  /** Record a paired receipt on its part. */
  private apply(ref: Ref, part: PartReceipt, dest: string | undefined): MatchOutcome {
    const entry = ref.entry;
    if (part.intermediate === true || INTERMEDIATE_STATS.has(part.stat.toUpperCase())) {
      this.counters.intermediate++;
      return { kind: 'intermediate', part, messageIds: entry.messageIds };
    }
    const slot = this.slotFor(ref, dest);
    if (slot < 0) {
      this.counters.duplicates++;
      return { kind: 'duplicate', part, messageIds: entry.messageIds };
    }
    this.counters.paired++;
    entry.slots[slot] = part;
    entry.remaining--;
    if (entry.remaining > 0) return { kind: 'part', part, messageIds: entry.messageIds, remaining: entry.remaining };
    const result = this.complete(entry);
    return { kind: 'complete', result, part };
  }

  /** The slot of the part's receipt from `dest` (the first free one when the destination is not known), or -1. */
  private slotFor(ref: Ref, dest: string | undefined): number {
    const e = ref.entry;
    const base = ref.part * e.fanout;
    if (e.fanout === 1) return e.slots[base] === undefined ? base : -1;
    const d = dest !== undefined && e.destinations ? e.destinations.indexOf(dest) : -1;
    if (d >= 0) return e.slots[base + d] === undefined ? base + d : -1;
    for (let i = 0; i < e.fanout; i++) if (e.slots[base + i] === undefined) return base + i;
    return -1;
  }

  private complete(entry: Entry): LogicalReceipt {
    const parts = entry.slots as PartReceipt[];
    let failed: PartReceipt | undefined;
    let last = 0;
    for (const p of parts) {
      if (!failed && p.stat.toUpperCase() !== 'DELIVRD') failed = p;
      if (p.receivedAt! > last) last = p.receivedAt!;
    }
    const result: LogicalReceipt = {
      messageIds: entry.messageIds,
      stat: failed ? failed.stat : 'DELIVRD',
      delivered: !failed,
      parts,
      submittedAt: entry.submittedAt,
      latencyMs: last - entry.submittedAt,
      meta: entry.meta,
    };
    if (entry.destinations) result.destinations = destinationOutcomes(entry);
    entry.result = result;
    const first = this.index.waiting.remove(entry);
    this.waiters.settle(entry.messageIds, result);
    if (first && this.completedTtlMs === 0) this.index.forget(entry);
    else if (first) {
      entry.expiresAt = this.clock.now() + this.completedTtlMs;
      this.index.completed.push(entry);
    }
    return result;
  }

  private hold(part: PartReceipt, key: string, reason: UnmatchedReason): void {
    const h: Held = { part, key, at: this.clock.now(), reason };
    const list = this.held.get(key);
    if (list) list.push(h);
    else this.held.set(key, [h]);
    this.heldCount++;
    if (this.heldCount > this.maxHeld) {
      // the oldest held receipt makes room, reported (Map order is insertion order)
      const [k, oldest] = this.held.entries().next().value as [string, Held[]];
      const o = oldest.shift()!;
      if (oldest.length === 0) this.held.delete(k);
      this.heldCount--;
      o.part.unmatchedReason = 'overflow';
      this.counters.unmatched++;
      this.overflowed.push(o.part);
    }
  }

  /** Try again the receipts held under `key`; pairs go to `out`. */
  private retryKey(key: string, settledOnly: boolean, out: MatchOutcome[], now = 0): void {
    const list = this.held.get(key);
    if (!list) return;
    this.held.delete(key);
    this.heldCount -= list.length;
    for (const h of list) {
      const settled = now - h.at >= this.graceMs;
      if (settledOnly && !settled) {
        this.reHold(h);
        continue;
      }
      const o = this.match(h.part, key, settled);
      if (o.kind === 'unmatched') {
        // match() held it again, as new: keep its first arrival time
        const again = this.held.get(key)!;
        again[again.length - 1]!.at = h.at;
      } else out.push(o);
    }
  }

  private reHold(h: Held): void {
    const list = this.held.get(h.key);
    if (list) list.push(h);
    else this.held.set(h.key, [h]);
    this.heldCount++;
  }

  /** The form was just learned: check the pairs made before, and pair the held receipts under it. */
  private learned(out: MatchOutcome[]): void {
    this.relearn = false;
    const form = this.learner.form!;
    if (this.unverified) {
      for (const u of this.unverified) {
        if (receiptIdInForm(u.ref.entry.messageIds[u.ref.part]!, form) !== u.key) this.counters.mispaired++;
      }
      this.unverified = undefined;
    }
    for (const k of [...this.held.keys()]) this.retryKey(k, false, out);
  }

  /**
   * The form not known yet and receipts held as ambiguous: when exactly one form names, for every one of them
   * (two at least), a part still waiting for its receipt, that form is the link's. (Each receipt is evidence of a
   * pair that exists, not of an id lacking something.)
   */
  private decideFromHeld(now: number): void {
    const explained: Record<IdForm, number> = { same: 0, hexToDecimal: 0, decimalToHex: 0 };
    let n = 0;
    for (const list of this.held.values()) {
      for (const h of list) {
        if (h.reason !== 'ambiguous' || now - h.at < this.graceMs) continue;
        n++;
        const dest = h.part.destination === undefined ? undefined : normalizeAddress(h.part.destination);
        for (const f of RECEIPT_ID_FORMS) {
          const ref = this.index.get(f, h.key);
          if (ref && partOpen(ref, dest)) explained[f]++;
        }
      }
    }
    if (n < 2) return;
    const full = RECEIPT_ID_FORMS.filter((f) => explained[f] === n);
    if (full.length === 1 && this.learner.decideFromHeld(full[0]!)) this.relearn = true;
  }

  /** Resolves with the logical receipt of the message that has `messageId` among its part ids. */
  waitFor(messageId: string, timeoutMs: number): Promise<LogicalReceipt> {
    const ref = this.refOf(messageId);
    if (ref?.entry.result) return Promise.resolve(ref.entry.result);
    return this.waiters.wait(messageId, messageId, timeoutMs);
  }

  /** Is a message with this submit id tracked (waiting for receipts, or complete and still remembered)? */
  tracks(messageId: string): boolean {
    return this.refOf(messageId) !== undefined;
  }

  /** The tracked part that submit id `messageId` is. */
  private refOf(messageId: string): Ref | undefined {
    const n = normalizeReceiptId(messageId);
    const isIt = (ref: Ref | undefined) =>
      ref !== undefined && normalizeReceiptId(ref.entry.messageIds[ref.part]!) === n;
    const same = this.index.get('same', n);
    if (isIt(same)) return same;
    const form = this.learner.form;
    if (form && form !== 'same') {
      const key = receiptIdInForm(messageId, form);
      const ref = key === undefined ? undefined : this.index.get(form, key);
      if (isIt(ref)) return ref;
    }
    return undefined;
  }

  /**
   * Coarse sweep: forget entries past their TTL; look again at receipts held past the grace period; return those
   * held longer than earlyTtlMs (or pushed out by maxHeld) as orphans, each with its unmatchedReason.
   */
  sweep(now: number = this.clock.now()): { outcomes: MatchOutcome[]; orphans: PartReceipt[] } {
    const idx = this.index;
    for (let e = idx.waiting.head; e && e.expiresAt <= now; e = idx.waiting.head) idx.forget(e);
    for (let e = idx.completed.head; e && e.expiresAt <= now; e = idx.completed.head) idx.forget(e);
    const outcomes: MatchOutcome[] = [];
    for (const o of this.takePending()) outcomes.push(o);
    if (this.heldCount > 0) {
      if (!this.learner.form) this.decideFromHeld(now);
      if (this.relearn) this.learned(outcomes);
      for (const k of [...this.held.keys()]) this.retryKey(k, true, outcomes, now);
    }
    const orphans = this.overflowed;
    this.overflowed = [];
    if (this.heldCount > 0) {
      for (const [k, list] of this.held) {
        let i = 0;
        while (i < list.length && now - list[i]!.at > this.earlyTtlMs) i++;
        if (i === 0) continue;
        for (const h of list.splice(0, i)) {
          h.part.unmatchedReason = h.reason;
          this.counters.unmatched++;
          if (h.reason === 'ambiguous') this.counters.ambiguous++;
          orphans.push(h.part);
        }
        this.heldCount -= i;
        if (list.length === 0) this.held.delete(k);
      }
    }
    return { outcomes, orphans };
  }

  /**
   * The submit of a tracked message failed before any part got an id: nothing can match it, so it is dropped now
   * rather than held for the TTL (a failing load run would otherwise keep every failure for an hour).
   */
  abandon(entry: Entry): void {
    if (entry.messageIds.every((id) => id === '')) this.index.forget(entry);
  }

  /** Reject all waiters (client closing). */
  close(): void {
    this.waiters.rejectAll(new Error('client closed while waiting for a receipt'));
  }
}

/** A destination as a receipt's source_addr may write it: without a leading '+'. */
function normalizeAddress(a: string): string {
  return a.charCodeAt(0) === 0x2b ? a.slice(1) : a;
}

function destinationOutcomes(entry: Entry): DestinationOutcome[] {
  const out: DestinationOutcome[] = [];
  const parts = entry.messageIds.length;
  for (let d = 0; d < entry.fanout; d++) {
    const ps: PartReceipt[] = [];
    for (let p = 0; p < parts; p++) ps.push(entry.slots[p * entry.fanout + d]!);
    const failed = ps.find((p) => p.stat.toUpperCase() !== 'DELIVRD');
    out.push({
      destination: entry.destinations![d]!,
      stat: failed ? failed.stat : 'DELIVRD',
      delivered: !failed,
      parts: ps,
    });
  }
  return out;
}
