// Pairs delivery receipts with the submits they report on, and folds the receipts of the parts of a long message
// (and of the destinations of a submit_multi) into one logical result.
//
// The rule: a receipt is paired only with the one submit its id names under the link's id form. While the form is
// not known, only when exactly one tracked submit is named by it in any form, and, unless it names it in every form
// that could write the id, only once every submit begun before the receipt arrived has its response (its own
// submit's response may still be on another bind; receipt-order.ts), or at the latest once it has waited graceMs;
// such unambiguous pairs are the only evidence for a form (receipt-form.ts). A wrong pairing is worse
// than a late one: an ambiguous receipt is held (bounded) until the form is learned or it becomes unambiguous; one
// that expires is reported, never paired by guess or dropped. The id forms are @smppkit/core's (receiptIdInForm).
// Here: the rule and its bookkeeping; beside it, in receipt-*.ts: index, held (receipts not paired yet), order (the
// begin order of submits), fold (slots and the logical result), selfcheck (mis-pairing check), waiters, options.
import { normalizeReceiptId, RECEIPT_ID_FORMS, receiptIdInForm } from '@smppkit/core';
import { Deque } from './deque.js';
import { type Clock, systemClock } from './rate-limiter.js';
import { foldReceipts, isIntermediate, newEntry, normalizeAddress, slotFor } from './receipt-fold.js';
import { IdFormLearner } from './receipt-form.js';
import { type Held, HeldReceipts } from './receipt-held.js';
import { type Entry, type IdForm, partOpen, ReceiptIndex, type Ref } from './receipt-index.js';
import type { ReceiptMatcherOptions } from './receipt-options.js';
import { type Ordered, SubmitOrder } from './receipt-order.js';
import { UnverifiedPairs } from './receipt-selfcheck.js';
import type { LogicalReceipt, MatchOutcome, PartReceipt } from './receipt-types.js';
import { ReceiptWaiters } from './receipt-waiters.js';

export type { Entry, IdForm } from './receipt-index.js';
export type { ReceiptMatcherOptions } from './receipt-options.js';
export type {
  DestinationOutcome,
  LogicalReceipt,
  MatchOutcome,
  PartReceipt,
  UnmatchedReason,
} from './receipt-types.js';
export { ReceiptTimeoutError } from './receipt-types.js';

/** No outcomes (shared: addId's common answer allocates nothing). */
const NONE: MatchOutcome[] = [];
Object.freeze(NONE);

/** What find() concluded for a receipt id. */
const UNKNOWN = 0;
const AMBIGUOUS = 1;

/** How many forms could write a receipt id (normalised): as given always; hex→decimal gives digits, decimal→hex hex. */
function formsWriting(key: string): number {
  let hex = key.length > 0;
  let decimal = hex;
  for (let i = 0; i < key.length && hex; i++) {
    const c = key.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) continue;
    decimal = false;
    hex = c >= 0x61 && c <= 0x66;
  }
  return 1 + (decimal ? 1 : 0) + (hex ? 1 : 0);
}

export class ReceiptMatcher {
  private readonly index = new ReceiptIndex();
  private readonly learner: IdFormLearner;
  private readonly waiters = new ReceiptWaiters();
  /** Receipts not paired yet. */
  private readonly held: HeldReceipts;
  /** The begin order of submits, kept until the form is known (a held receipt settles once those before it are answered). */
  private readonly order: SubmitOrder;
  /** Receipts held while the order is kept, in arrival order: each settles once order.firstOpen reaches its `before`. */
  private readonly settling = new Deque<Held>();
  /** Outcomes of held receipts paired once the form was learned, for the next caller to take. */
  private pending: MatchOutcome[] = [];
  /** Pairs made before the form was known, checked once it is; undefined once checked or when configured. */
  private unverified: UnverifiedPairs | undefined = new UnverifiedPairs();
  private relearn = false;
  private readonly ttlMs: number;
  private readonly completedTtlMs: number;
  private readonly earlyTtlMs: number;
  private readonly graceMs: number;
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
    this.held = new HeldReceipts(Math.max(1, opts.maxHeld ?? 100_000), this.counters);
    this.learner = new IdFormLearner(opts.idForm === 'auto' ? undefined : opts.idForm);
    if (this.learner.isFixed) this.unverified = undefined;
    this.order = new SubmitOrder(!this.learner.isFixed);
    this.clock = opts.clock ?? systemClock;
  }

  /** Messages tracked: waiting for receipts, or complete and still remembered. */
  get size(): number {
    return this.index.size;
  }

  /** Receipts held, not paired yet. */
  get heldReceipts(): number {
    return this.held.size;
  }

  /** The id form is not known yet and receipts wait for it (or for earlier responses, or their grace period): sweep soon. */
  get learning(): boolean {
    return this.learner.form === undefined && this.held.size > 0;
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
   * Start tracking a message of `parts` parts, before it is sent; ids are added as each part's response arrives
   * (addId), or abandon() once its submit failed. `destinations`:
   * a submit_multi's (one receipt per destination and id).
   */
  begin(
    parts: number,
    meta?: unknown,
    submittedAt: number = this.clock.now(),
    destinations?: readonly string[],
  ): Entry {
    const entry = newEntry(parts, meta, submittedAt, this.clock.now() + this.ttlMs, destinations);
    this.index.waiting.push(entry);
    if (!this.order.begin(entry, parts)) this.unordered();
    return entry;
  }

  /**
   * A submit whose message is tracked only once all its ids are in (submit_multi: track() after its responses)
   * begins: receipts held meanwhile wait for its response too. Give it to responded() once it has them or failed.
   */
  expectResponse(): Ordered {
    const o: Ordered = { seq: 0, unanswered: 0 };
    if (!this.order.begin(o, 1)) this.unordered();
    return o;
  }

  /** The submit expectResponse() gave `o` for has its responses (its ids tracked) or failed. */
  responded(o: Ordered): MatchOutcome[] {
    return this.order.failed(o) ? this.settleHeld() : NONE;
  }

  /** The SMSC gave part `part` this id. Returns outcomes for receipts that had already arrived for it. */
  addId(entry: Entry, part: number, id: string): MatchOutcome[] {
    entry.messageIds[part] = id;
    // Once the link's id form is known, only that form is indexed (no conversions per id on the hot path).
    if (entry.indexedForm === undefined) entry.indexedForm = this.learner.form ?? null;
    const ref: Ref = { entry, part };
    const moved = this.order.answered(entry);
    if (this.held.size === 0) {
      if (moved && this.settling.length > 0) this.settling.clear();
      this.index.add(ref, id, entry.indexedForm);
      return this.pending.length === 0 ? NONE : this.takePending();
    }
    const keys: string[] = [];
    this.index.add(ref, id, entry.indexedForm, (k) => keys.push(k));
    const outcomes: MatchOutcome[] = [];
    for (const k of keys) this.retryKey(k, false, outcomes);
    if (moved) this.settle(outcomes);
    if (this.relearn) this.learned(outcomes);
    for (const o of this.takePending()) outcomes.push(o);
    return outcomes;
  }

  /**
   * Track a message whose ids are all known. `expected`: what expectResponse() gave before it was sent (it takes
   * that place in begin order); without it, the begin order no longer says which submits are still on their way,
   * so from then on held receipts wait graceMs.
   */
  track(
    messageIds: string[],
    meta?: unknown,
    submittedAt: number = this.clock.now(),
    destinations?: readonly string[],
    expected?: Ordered,
  ): MatchOutcome[] {
    if (!expected && this.order.active) this.unordered();
    const entry = this.begin(messageIds.length, meta, submittedAt, destinations);
    if (expected) entry.seq = expected.seq;
    const out: MatchOutcome[] = [];
    for (let i = 0; i < messageIds.length; i++) for (const o of this.addId(entry, i, messageIds[i]!)) out.push(o);
    return out;
  }

  /** A receipt arrived: pair it (or hold it), record it, and say what it completed. */
  onReceipt(part: PartReceipt): MatchOutcome {
    this.counters.receipts++;
    if (part.receivedAt === undefined) part.receivedAt = this.clock.now();
    const outcome = this.match(part, normalizeReceiptId(part.id), false, undefined);
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
   * The part receipt id `key` names: a Ref to pair with; UNKNOWN (no tracked submit, or before the form is known one
   * named in some forms only by a receipt not settled for it yet); AMBIGUOUS. Settled for a candidate: the receipt
   * has waited graceMs (`grace`), or every submit begun before it arrived (`before` of them) has its response and
   * the candidate is one of them; its own submit is then tracked, and parts that already have their receipt no
   * longer count against it.
   */
  private find(
    key: string,
    destination: string | undefined,
    grace: boolean,
    before: number,
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
    const answered = before <= this.order.firstOpen;
    if (!others) {
      // Named in fewer forms than could write the id: the receipt may be another message's whose submit response is
      // still on its way (another bind), so it waits until it is settled. Named in each ("7", "x1"): whatever the form.
      if (!grace && firstForms < formsWriting(key)) {
        if (!answered) return UNKNOWN;
        if (first.entry.seq >= before) {
          // it names a submit begun after it arrived: submits are not begun before they are sent here (a caller of
          // begin()), so the order proves nothing; from now on receipts wait graceMs
          this.unordered();
          return UNKNOWN;
        }
      }
      if (firstForms === 1 && partOpen(first, destination)) this.evidence = firstForm;
      return first;
    }
    if (!grace && !answered) return AMBIGUOUS;
    // Settled: the one candidate still waiting for its receipt, if only one is (no evidence).
    let open: Ref | undefined;
    for (const f of RECEIPT_ID_FORMS) {
      const ref = this.index.get(f, key);
      if (!ref || ref === open || !partOpen(ref, destination)) continue;
      if (open) return AMBIGUOUS;
      open = ref;
    }
    if (open && !grace && open.entry.seq >= before) return AMBIGUOUS;
    return open ?? AMBIGUOUS;
  }

  /** The begin order no longer says which submits could still claim a receipt: held receipts wait graceMs. */
  private unordered(): void {
    this.order.stop();
    this.settling.clear();
  }

  /**
   * Pair a receipt, or hold it: new (`prev` undefined), or again as `prev` was (its arrival kept). `grace`: it has
   * waited graceMs.
   */
  private match(part: PartReceipt, key: string, grace: boolean, prev: Held | undefined): MatchOutcome {
    const dest = part.destination === undefined ? undefined : normalizeAddress(part.destination);
    const before = prev ? prev.before : this.order.count;
    const found = this.find(key, dest, grace, before);
    if (found === UNKNOWN || found === AMBIGUOUS) {
      const reason = found === AMBIGUOUS ? 'ambiguous' : 'unknown';
      if (prev) this.held.hold(part, key, prev.at, before, reason);
      else {
        const h = this.held.hold(part, key, this.clock.now(), before, reason);
        if (this.order.active) this.settling.push(h);
      }
      return { kind: 'unmatched', part };
    }
    if (this.unverified && !this.learner.form) this.unverified.add(found, key);
    if (this.evidence && this.learner.observe(this.evidence)) this.relearn = true;
    return this.apply(found, part, dest);
  }

  /** Record a paired receipt on its part. */
  private apply(ref: Ref, part: PartReceipt, dest: string | undefined): MatchOutcome {
    const entry = ref.entry;
    if (isIntermediate(part)) {
      this.counters.intermediate++;
      return { kind: 'intermediate', part, messageIds: entry.messageIds };
    }
    const slot = slotFor(ref, dest);
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

  /** Every receipt of the message is in: fold them, settle the waiters, remember it for completedTtlMs. */
  private complete(entry: Entry): LogicalReceipt {
    const result = foldReceipts(entry);
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

  /** Settled: every submit begun before it arrived has its response (or failed), or it has waited graceMs. */
  private isSettled(h: Held, now: number): boolean {
    return h.before <= this.order.firstOpen || now - h.at >= this.graceMs;
  }

  /** Try again the receipts held under `key`; pairs go to `out`. `now` 0: settled only by earlier responses. */
  private retryKey(key: string, settledOnly: boolean, out: MatchOutcome[], now = 0): void {
    const list = this.held.take(key);
    if (!list) return;
    for (const h of list) {
      const grace = now - h.at >= this.graceMs;
      if (settledOnly && !grace && h.before > this.order.firstOpen) {
        this.held.put(h);
        continue;
      }
      const o = this.match(h.part, key, grace, h);
      if (o.kind !== 'unmatched') out.push(o);
    }
  }

  /** The first unanswered submit moved on: retry the receipts held since before it (settled now). */
  private settle(out: MatchOutcome[]): void {
    const q = this.settling;
    if (this.held.size === 0) {
      q.clear();
      return;
    }
    const first = this.order.firstOpen;
    let prev: string | undefined;
    for (let h = q.peek(); h !== undefined && h.before <= first; h = q.peek()) {
      q.shift();
      if (h.key !== prev) this.retryKey(h.key, false, out);
      prev = h.key;
    }
  }

  /** settle(), and learn from what it paired: the outcomes (addId and onReceipt give theirs themselves). */
  private settleHeld(): MatchOutcome[] {
    if (this.held.size === 0) {
      this.settling.clear();
      return NONE;
    }
    const out: MatchOutcome[] = [];
    this.settle(out);
    if (this.relearn) this.learned(out);
    return out;
  }

  /** The form was just learned: check the pairs made before, and pair the held receipts under it. */
  private learned(out: MatchOutcome[]): void {
    this.relearn = false;
    const form = this.learner.form!;
    this.unordered();
    if (this.unverified) {
      this.counters.mispaired += this.unverified.contradicted(form);
      this.unverified = undefined;
    }
    for (const k of this.held.keys()) this.retryKey(k, false, out);
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
    let moved = false;
    for (let e = idx.waiting.head; e && e.expiresAt <= now; e = idx.waiting.head) {
      idx.forget(e);
      if (e.unanswered > 0 && this.order.failed(e)) moved = true; // no response within the TTL: none will come
    }
    for (let e = idx.completed.head; e && e.expiresAt <= now; e = idx.completed.head) idx.forget(e);
    const outcomes: MatchOutcome[] = [];
    for (const o of this.takePending()) outcomes.push(o);
    if (this.held.size > 0) {
      if (moved) this.settle(outcomes);
      if (!this.learner.form) {
        const form = this.held.soleExplainingForm(this.index, (h) => this.isSettled(h, now));
        if (form && this.learner.decideFromHeld(form)) this.relearn = true;
      }
      if (this.relearn) this.learned(outcomes);
      for (const k of this.held.keys()) this.retryKey(k, true, outcomes, now);
      if (this.relearn) this.learned(outcomes); // learned from receipts that waited
    }
    const orphans = this.held.takeOverflowed();
    if (this.held.size > 0) this.held.expire(now, this.earlyTtlMs, orphans);
    return { outcomes, orphans };
  }

  /**
   * The submit of a tracked message failed: no more responses come for it. When no part got an id nothing can match
   * it, so it is dropped now rather than held for the TTL (a failing load run would otherwise keep every failure for
   * an hour). Returns the outcomes of receipts held behind it that pair now.
   */
  abandon(entry: Entry): MatchOutcome[] {
    if (entry.messageIds.every((id) => id === '')) this.index.forget(entry);
    // no more responses come for it: receipts held behind it may settle (returned, as addId's)
    return this.order.failed(entry) ? this.settleHeld() : NONE;
  }

  /** Reject all waiters (client closing). */
  close(): void {
    this.waiters.rejectAll(new Error('client closed while waiting for a receipt'));
  }
}
