// The settled mark: every message with an id up to it needs nothing at a restart — no planned transition for the
// scheduler, no receipt owed or planned without its outbox row or acknowledged run. The start-up reads (owed.ts:
// planned transitions, receipts owed without a row) then look only above it, so a restart on a file of millions of
// delivered messages reads the rows written since the last start, not all of them (a row scan costs ~1–3 µs).
//
// Kept in store_meta. At open the store finds the first message above the mark that needs something (a scan of
// the rows since the last open) and moves the mark to just below it. A message below the mark stays settled unless
// a write changes it: setState and replace of such a message lower the mark below it first (its own small commit,
// rare: a message from before the last start). DELETE of every message sets it to 0 (ids start again from 1).
import type { SqlDatabase, SqlStatement } from './sqlite/driver.js';

export const SETTLED_DDL =
  'CREATE TABLE IF NOT EXISTS store_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL); ' +
  "INSERT OR IGNORE INTO store_meta (key, value) VALUES ('settled_through', 0)";

export class SettledMark {
  private value: number;
  private readonly write: SqlStatement;

  /**
   * @param firstNeeding the first message id above @settled that needs something at a restart (a row, or none)
   * @param maxId the highest message id stored
   */
  constructor(db: SqlDatabase, firstNeeding: SqlStatement, maxId: number) {
    this.write = db.prepare("UPDATE store_meta SET value = ? WHERE key = 'settled_through'");
    const stored = (db.prepare("SELECT value FROM store_meta WHERE key = 'settled_through'").get() as { value: number })
      .value;
    // rows deleted by hand (ids could be given again): never above the highest id stored
    const from = Math.min(stored, maxId);
    const first = firstNeeding.get({ settled: from }) as { id: number } | undefined;
    this.value = first ? first.id - 1 : maxId;
    if (this.value !== stored) this.write.run(this.value);
  }

  /** every message up to this id needs nothing at a restart */
  get through(): number {
    return this.value;
  }

  /** Message `id` is about to change: if it is below the mark, the mark goes below it (committed now). */
  touch(id: number): void {
    if (id <= this.value) this.set(id - 1);
  }

  set(value: number): void {
    this.value = value;
    this.write.run(value);
  }
}
