// The deliver_sm owed to accounts, read back in pages, so that what is held in memory stays bounded whatever waits
// (the delivery side's pager, delivery/outbox-pager.ts, decides when): outbox rows not yet acknowledged (MO
// deliveries, retried receipts, receipts written to the store because their account's queue in memory was full),
// and — after a restart — receipts owed without a row (a message's receipt has its row from its first outcome on;
// until then it is derived from the message, see message-store.ts). Each read commits pending writes first.
import { type Row, toOutbox, toRecord } from './reads.js';
import type { MessageRecord, OutboxItem, OutboxKind, PlannedTransition } from './record.js';
import { RECORDS_PER_READ, type Statements } from './statements.js';

export interface OwedCount {
  systemId: string;
  kind: OutboxKind;
  n: number;
  /** the first message id owed (receipts without a row) */
  first?: number;
}

export class OwedReads {
  /**
   * @param read the store's statements, after a commit of pending writes
   * @param settled the settled mark (settled.ts): the start-up reads look above it only
   */
  constructor(
    private readonly read: () => Statements,
    private readonly settled: { readonly through: number } = { through: 0 },
  ) {}

  /** Transitions still ahead at `now` (after a restart): deliveries to accounts, receipts planned for later. */
  plannedTransitions(now: number): PlannedTransition[] {
    return this.read().plannedTransitions.all({ now, settled: this.settled.through }) as PlannedTransition[];
  }

  /** Receipts owed at `now` without an outbox row, among messages up to maxId: how many per account, the first id. */
  receiptsWithoutRow(now: number, maxId: number): OwedCount[] {
    const rows = this.read().owedReceiptAccounts.all({ now, maxId, settled: this.settled.through }) as Array<{
      systemId: string;
      first: number;
      n: number;
    }>;
    return rows.map((r) => ({ systemId: r.systemId, kind: 'receipt', n: r.n, first: r.first }));
  }

  /** The next message ids of those (after message id `after`), at most `limit`. */
  receiptPage(systemId: string, after: number, now: number, maxId: number, limit: number): number[] {
    const rows = this.read().owedReceiptPage.all({ systemId, after, now, maxId, limit }) as Array<{ id: number }>;
    return rows.map((r) => r.id);
  }

  /** Outbox rows not yet acknowledged, counted per account and kind. */
  openRows(): OwedCount[] {
    return this.read().openOutboxAccounts.all() as OwedCount[];
  }

  /** The messages of these ids (those that exist), as readers see them now: a page's records in a few reads. */
  records(ids: number[]): MessageRecord[] {
    const st = this.read();
    const now = Date.now();
    const out: MessageRecord[] = [];
    for (let i = 0; i < ids.length; i += RECORDS_PER_READ) {
      const chunk = ids.slice(i, i + RECORDS_PER_READ);
      while (chunk.length < RECORDS_PER_READ) chunk.push(-1); // no message has id -1
      for (const r of st.recordsIn.all(...chunk) as Row[]) out.push(toRecord(r, now));
    }
    return out;
  }

  /** The next open outbox rows of an account (after outbox id `after`), at most `limit`, in id order. */
  rowPage(systemId: string, after: number, limit: number): OutboxItem[] {
    return (this.read().openOutboxPage.all(systemId, after, limit) as Row[]).map(toOutbox);
  }
}
