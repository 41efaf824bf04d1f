// Receipts the matcher cannot pair yet (no tracked submit named by the id, or several while the link's id form is
// not known), by normalised id, oldest first. Bounded: beyond maxHeld the oldest is pushed out and reported
// ('overflow'); one held past earlyTtlMs is reported with its reason ('unknown', 'ambiguous'). Never dropped
// silently. Only the holding is here: when to look at them again and how they pair is receipt-matcher.ts's. Off the
// hot path: a receipt is held only when it cannot be paired on arrival.
import { LazyReceipt, RECEIPT_ID_FORMS } from '@smppkit/core';
import { normalizeAddress } from './receipt-fold.js';
import { type IdForm, partOpen, type ReceiptIndex } from './receipt-index.js';
import type { PartReceipt, UnmatchedReason } from './receipt-types.js';

export interface Held {
  part: PartReceipt;
  key: string;
  /** When it was first held (clock ms): kept when it is held again after a retry. */
  at: number;
  /** Submits begun before it arrived (SubmitOrder.count then): it settles once they all have their response. */
  before: number;
  reason: UnmatchedReason;
}

/** The matcher's counters that held receipts count into as they are reported. */
interface HeldCounters {
  unmatched: number;
  ambiguous: number;
}

export class HeldReceipts {
  private readonly byKey = new Map<string, Held[]>();
  private count = 0;
  /** Receipts pushed out beyond max, reported at the next sweep. */
  private overflowed: PartReceipt[] = [];

  constructor(
    private readonly max: number,
    private readonly counters: HeldCounters,
  ) {}

  /** Receipts held. */
  get size(): number {
    return this.count;
  }

  /** Hold a receipt under `key`; the oldest held makes room beyond max, reported (Map order is insertion order). */
  hold(part: PartReceipt, key: string, at: number, before: number, reason: UnmatchedReason): Held {
    const h: Held = { part, key, at, before, reason };
    // a lazily read receipt held a while lets go of the octets it reads from (a buffer shared with its whole read)
    if (part instanceof LazyReceipt) part.parse();
    this.put(h);
    if (this.count > this.max) {
      const [k, oldest] = this.byKey.entries().next().value as [string, Held[]];
      const o = oldest.shift()!;
      if (oldest.length === 0) this.byKey.delete(k);
      this.count--;
      o.part.unmatchedReason = 'overflow';
      this.counters.unmatched++;
      this.overflowed.push(o.part);
    }
    return h;
  }

  /** Hold again one taken out (not counted against max: it was held before). */
  put(h: Held): void {
    const list = this.byKey.get(h.key);
    if (list) list.push(h);
    else this.byKey.set(h.key, [h]);
    this.count++;
  }

  /** Take out every receipt held under `key`, oldest first. */
  take(key: string): Held[] | undefined {
    const list = this.byKey.get(key);
    if (!list) return undefined;
    this.byKey.delete(key);
    this.count -= list.length;
    return list;
  }

  /** The keys held under now (a copy: retrying them changes the map). */
  keys(): string[] {
    return [...this.byKey.keys()];
  }

  /**
   * Held as ambiguous and settled (every submit begun before it has its response, or it has waited graceMs), two
   * receipts or more: the one form under which every one of them names a part still waiting for its receipt, if
   * exactly one form does. (Each receipt is evidence of a pair that exists, not of an id lacking something.)
   */
  soleExplainingForm(index: ReceiptIndex, settled: (h: Held) => boolean): IdForm | undefined {
    const explained: Record<IdForm, number> = { same: 0, hexToDecimal: 0, decimalToHex: 0 };
    let n = 0;
    for (const list of this.byKey.values()) {
      for (const h of list) {
        if (h.reason !== 'ambiguous' || !settled(h)) continue;
        n++;
        const dest = h.part.destination === undefined ? undefined : normalizeAddress(h.part.destination);
        for (const f of RECEIPT_ID_FORMS) {
          const ref = index.get(f, h.key);
          if (ref && partOpen(ref, dest)) explained[f]++;
        }
      }
    }
    if (n < 2) return undefined;
    const full = RECEIPT_ID_FORMS.filter((f) => explained[f] === n);
    return full.length === 1 ? full[0] : undefined;
  }

  /** The receipts pushed out since the last call. */
  takeOverflowed(): PartReceipt[] {
    const o = this.overflowed;
    this.overflowed = [];
    return o;
  }

  /** Receipts held longer than ttlMs, out to `orphans`, each with its unmatchedReason. */
  expire(now: number, ttlMs: number, orphans: PartReceipt[]): void {
    for (const [k, list] of this.byKey) {
      let i = 0;
      while (i < list.length && now - list[i]!.at > ttlMs) i++;
      if (i === 0) continue;
      for (const h of list.splice(0, i)) {
        h.part.unmatchedReason = h.reason;
        this.counters.unmatched++;
        if (h.reason === 'ambiguous') this.counters.ambiguous++;
        orphans.push(h.part);
      }
      this.count -= i;
      if (list.length === 0) this.byKey.delete(k);
    }
  }
}
