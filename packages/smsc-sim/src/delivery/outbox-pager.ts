// What bounds the outbox in memory: per account at most `limit` deliver_sm wait in memory (besides those in flight);
// once that many wait, each newly owed one gets its outbox row and waits in the store instead, and so does every
// later one while any of the account's items wait there (their order kept). The dispatcher reads them back in pages,
// in outbox id order, when the account's queue in memory is down to half and one of its receivers has room.
// After a restart nothing owed is read at once: the account's open rows wait in the store, and so do its receipts
// owed without a row (derived from their messages, store/owed.ts), which are given their rows a page at a time
// (new ids, behind the rows already there) and then read back like the others.
//
// Why reading by id never gives an item twice: while an account has items in the store, every item of it in
// memory has an outbox id up to `rowsAfter` (held before the first one went to the store, or read back since), and
// every item above it is in the store; an item in memory that gets its row later (a retry) keeps its lower id.
import type { MessageStore } from '../store/message-store.js';
import type { MessageRecord, OutboxItem, OutboxKind } from '../store/record.js';

type PagerStore = Pick<MessageStore, 'owed' | 'keepInStore' | 'enqueueOutbox' | 'lastId'>;

interface InStore {
  /** the account's open outbox rows with an id above this wait in the store (null: none do) */
  rowsAfter: number | null;
  /** after a restart: its receipts owed without a row, message ids above this (null: none left) */
  receiptsAfter: number | null;
}

export class OutboxPager {
  /** accounts with items in the store */
  private readonly accounts = new Map<string, InStore>();
  /** items waiting in the store, by kind */
  readonly inStore: Record<OutboxKind, number> = { receipt: 0, mo: 0 };
  private recoveredAt = 0;
  private recoveredMaxId = 0;

  /** @param limit deliver_sm held in memory per account at most, besides those in flight */
  constructor(
    private readonly store: PagerStore,
    readonly limit: number,
  ) {}

  /** After a restart: counts what is owed, per account, without reading it. */
  recover(now: number): void {
    this.recoveredAt = now;
    this.recoveredMaxId = this.store.lastId;
    for (const c of this.store.owed.receiptsWithoutRow(now, this.recoveredMaxId)) {
      this.state(c.systemId).receiptsAfter = (c.first ?? 1) - 1;
      this.inStore.receipt += c.n;
    }
    for (const c of this.store.owed.openRows()) {
      this.state(c.systemId).rowsAfter = 0;
      this.inStore[c.kind] += c.n;
    }
  }

  private state(systemId: string): InStore {
    let s = this.accounts.get(systemId);
    if (!s) {
      s = { rowsAfter: null, receiptsAfter: null };
      this.accounts.set(systemId, s);
    }
    return s;
  }

  /** Does an item newly owed to this account wait in the store (some do already, or `held` is the limit)? */
  keepsInStore(systemId: string, held: number): boolean {
    return held >= this.limit || this.accounts.has(systemId);
  }

  /** The item waits in the store (given its row now), not in memory. */
  keep(item: OutboxItem): void {
    const s = this.state(item.systemId);
    s.rowsAfter ??= item.id - 1;
    this.store.keepInStore(item);
    this.inStore[item.kind]++;
  }

  /** Some account has items waiting in the store. */
  get holdsAny(): boolean {
    return this.accounts.size > 0;
  }

  /** Accounts with items waiting in the store. */
  waiting(): IterableIterator<string> {
    return this.accounts.keys();
  }

  /**
   * Reads up to n of the account's items back from the store, in id order; a receipt with its message's record
   * (final: read in a few queries, so that sending it reads nothing more; an MO is read when sent, it may be
   * cancelled until then).
   */
  page(systemId: string, n: number, now: number): Array<OutboxItem & { rec?: MessageRecord }> {
    const items: Array<OutboxItem & { rec?: MessageRecord }> = this.read(systemId, n, now);
    if (items.length === 0) return items;
    const recs = new Map<number, MessageRecord>();
    const receipts = items.filter((i) => i.kind === 'receipt').map((i) => i.messageId);
    for (const r of this.store.owed.records(receipts)) recs.set(r.id, r);
    for (const it of items) {
      const rec = it.kind === 'receipt' ? recs.get(it.messageId) : undefined;
      if (rec) it.rec = rec;
    }
    return items;
  }

  private read(systemId: string, n: number, now: number): OutboxItem[] {
    const s = this.accounts.get(systemId);
    if (!s || n <= 0) return [];
    const out = s.rowsAfter === null ? [] : this.rows(s, systemId, n);
    if (out.length < n && s.receiptsAfter !== null) {
      // receipts owed since before the restart: a page of them gets rows (behind those there), read next time
      const ids = this.store.owed.receiptPage(systemId, s.receiptsAfter, this.recoveredAt, this.recoveredMaxId, n);
      s.receiptsAfter = ids.length < n ? null : ids[ids.length - 1];
      for (const id of ids) {
        const item = this.store.enqueueOutbox('receipt', id, systemId, now);
        s.rowsAfter ??= item.id - 1;
        this.store.keepInStore(item);
      }
      if (ids.length > 0) out.push(...this.rows(s, systemId, n - out.length));
    }
    if (s.rowsAfter === null && s.receiptsAfter === null) this.accounts.delete(systemId);
    return out;
  }

  private rows(s: InStore, systemId: string, n: number): OutboxItem[] {
    const rows = this.store.owed.rowPage(systemId, s.rowsAfter!, n);
    s.rowsAfter = rows.length < n ? null : rows[rows.length - 1].id;
    for (const r of rows) {
      r.status = 'queued'; // 'sent' before a restart: sent again
      this.inStore[r.kind] = Math.max(0, this.inStore[r.kind] - 1);
    }
    return rows;
  }

  /** DELETE /api/messages: nothing owed any more. */
  clear(): void {
    this.accounts.clear();
    this.inStore.receipt = 0;
    this.inStore.mo = 0;
  }
}
