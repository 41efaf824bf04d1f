// The receipt matcher's index: the messages tracked for receipts, in expiry order, and for each id form the
// submit id as a receipt would write it → the submitted part. No matching rules here (receipt-matcher.ts) and no
// learning of forms (receipt-form.ts).
import { RECEIPT_ID_FORMS, type ReceiptIdForm, receiptIdInForm } from '@smppkit/core';
import type { Ordered } from './receipt-order.js';
import type { LogicalReceipt, PartReceipt } from './receipt-types.js';

export type IdForm = ReceiptIdForm;

export interface Entry extends Ordered {
  /** One id per part, in part order ('' until the part's submit response). */
  messageIds: string[];
  /** Receipts expected per id: the destinations of a submit_multi, 1 otherwise. */
  fanout: number;
  /** submit_multi: the destinations (normalised), slot order; undefined for one destination. */
  destinations: string[] | undefined;
  /** The final receipt of each (part, destination): slot part × fanout + destination. */
  slots: (PartReceipt | undefined)[];
  remaining: number;
  submittedAt: number;
  expiresAt: number;
  meta: unknown;
  /** Set once every receipt is in (undefined until then: made with the field, so every entry has one shape). */
  result: LogicalReceipt | undefined;
  /** The id form its ids are indexed under: decided at its first id (undefined until then); null: every form,
   *  because the link's form was not known yet. */
  indexedForm: IdForm | null | undefined;
  /** The expiry list it is in (waiting or completed) and its neighbours there. */
  list: EntryList | undefined;
  prev: Entry | undefined;
  next: Entry | undefined;
}

/** One submitted part of a tracked message. */
export interface Ref {
  readonly entry: Entry;
  readonly part: number;
}

/**
 * Entries in the order they were added (= expiry order), linked through the entries themselves: adding and
 * removing cost no hashing and no allocation (this runs twice per message on a load run).
 */
export class EntryList {
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

/** Does this part still wait for a final receipt (from this destination, when given and known)? */
export function partOpen(ref: Ref, destination: string | undefined): boolean {
  const e = ref.entry;
  const base = ref.part * e.fanout;
  if (e.fanout === 1) return e.slots[base] === undefined;
  const d = destination !== undefined && e.destinations ? e.destinations.indexOf(destination) : -1;
  if (d >= 0) return e.slots[base + d] === undefined;
  for (let i = 0; i < e.fanout; i++) if (e.slots[base + i] === undefined) return true;
  return false;
}

export class ReceiptIndex {
  /** For each form: the id written that way → the submitted part. */
  private readonly maps: Record<IdForm, Map<string, Ref>> = {
    same: new Map(),
    hexToDecimal: new Map(),
    decimalToHex: new Map(),
  };
  /** Entries waiting for receipts, in submission order. */
  readonly waiting = new EntryList();
  /** Entries with every receipt, in completion order (their expiresAt is completion + completedTtlMs). */
  readonly completed = new EntryList();

  get size(): number {
    return this.waiting.size + this.completed.size;
  }

  /** The part a receipt id (normalised) names in one form. */
  get(form: IdForm, key: string): Ref | undefined {
    return this.maps[form].get(key);
  }

  /**
   * Index part `part` of `entry` under `form` (or every form when null). Calls `onKey` with each key written, so
   * the caller can look for receipts held under it.
   */
  add(ref: Ref, id: string, form: IdForm | null, onKey?: (key: string) => void): void {
    if (form) {
      const key = receiptIdInForm(id, form);
      if (key === undefined) return;
      this.maps[form].set(key, ref);
      onKey?.(key);
      return;
    }
    let prev: string | undefined;
    for (const f of RECEIPT_ID_FORMS) {
      const key = receiptIdInForm(id, f);
      if (key === undefined) continue;
      this.maps[f].set(key, ref);
      if (onKey && key !== prev) onKey(key);
      prev = key;
    }
  }

  /** Take every id of the entry out of the maps (only where they still point to this entry). */
  unindex(entry: Entry): void {
    const only = entry.indexedForm;
    if (only === undefined) return;
    for (const id of entry.messageIds) {
      if (only) this.unindexKey(entry, only, receiptIdInForm(id, only));
      else for (const f of RECEIPT_ID_FORMS) this.unindexKey(entry, f, receiptIdInForm(id, f));
    }
  }

  private unindexKey(entry: Entry, form: IdForm, key: string | undefined): void {
    if (key === undefined) return;
    const m = this.maps[form];
    if (m.get(key)?.entry === entry) m.delete(key);
  }

  /** Forget an entry: out of its list and out of the maps. */
  forget(entry: Entry): void {
    this.waiting.remove(entry);
    this.completed.remove(entry);
    this.unindex(entry);
  }
}
