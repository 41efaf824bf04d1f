// The settled mark: every message with an id up to it needs nothing at a restart — no planned transition for the
// scheduler, no receipt owed or planned without its outbox row or acknowledged run. The start-up reads (owed.ts:
// planned transitions, receipts owed without a row) then look only above it, so a restart on a file of millions of
// delivered messages does not read them all (a row scan costs ~1–3 µs).
//
// Kept in store_meta. It moves up two ways, each a scan for the first message above it that needs something
// (statements.ts FIRST_NEEDING_SQL), the mark then just below that message: at open (the rows above it, in one
// scan), and while the simulator runs, in the checkpoint worker, a chunk at a time (checkpointer.ts: request, then
// advance with what the worker found): when the file is idle, and under steady writes (never idle) while more than
// `backlog` messages are above it, one chunk per worker tick — so what a first start after hours of load reads
// stays bounded (~backlog rows), and a shorter run, under the bound, scans nothing while it writes. A message below
// the mark stays settled unless a write changes it: setState and replace of such a message lower the mark below it
// first (its own small commit, rare: an old message). A write to a message within a chunk being scanned makes that
// scan's answer void (the epoch). DELETE of every message sets the mark to 0 (ids start again from 1).
import type { SqlDatabase, SqlStatement } from './sqlite/driver.js';

export const SETTLED_DDL =
  'CREATE TABLE IF NOT EXISTS store_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL); ' +
  "INSERT OR IGNORE INTO store_meta (key, value) VALUES ('settled_through', 0)";

/** A chunk for the worker to scan: messages in (from, to]. */
export interface SettleScan {
  from: number;
  to: number;
  epoch: number;
}

/** What the worker found in a chunk: the first message that needs something, or none. */
export interface SettleFound extends SettleScan {
  first: number | null;
}

/** messages above the mark from which the checkpoint worker moves it up under load too (not only when idle) */
export const SETTLE_BACKLOG = 1_000_000;

export class SettledMark {
  private value: number;
  private readonly write: SqlStatement;
  /** bumped by every write that may void a scan under way */
  private epoch = 0;
  /** the end of the chunk being scanned (0: none) */
  private scanning = 0;
  /** the messages the open's scan read (those above the stored mark) */
  readonly readAtOpen: number;

  /**
   * @param firstNeeding FIRST_NEEDING_SQL prepared
   * @param maxId the highest message id stored
   * @param backlog messages above the mark from which it moves up under load too (overBacklog)
   */
  constructor(
    db: SqlDatabase,
    firstNeeding: SqlStatement,
    maxId: number,
    readonly backlog = SETTLE_BACKLOG,
  ) {
    this.write = db.prepare("UPDATE store_meta SET value = ? WHERE key = 'settled_through'");
    const stored = (db.prepare("SELECT value FROM store_meta WHERE key = 'settled_through'").get() as { value: number })
      .value;
    // rows deleted by hand (ids could be given again): never above the highest id stored
    const from = Math.min(stored, maxId);
    this.readAtOpen = maxId - from;
    const first = firstNeeding.get({ settled: from, to: maxId }) as { id: number } | undefined;
    this.value = first ? first.id - 1 : maxId;
    if (this.value !== stored) this.write.run(this.value);
  }

  /** every message up to this id needs nothing at a restart */
  get through(): number {
    return this.value;
  }

  /** More than `backlog` of the messages committed are above the mark: worth a chunk's scan under load. */
  overBacklog(committed: number): boolean {
    return committed - this.value > this.backlog;
  }

  /** Message `id` is about to change: if it is below the mark, the mark goes below it (committed now). */
  touch(id: number): void {
    if (id > this.value && id > this.scanning) return;
    this.epoch++;
    if (id <= this.value) this.set(id - 1);
  }

  /** Every message is gone: ids start again from 1. */
  reset(): void {
    this.epoch++;
    this.set(0);
  }

  /**
   * The next chunk to scan, up to `committed` (every write up to now must be committed first: the worker reads the
   * file), at most `rows` messages; null when there is none.
   */
  request(committed: number, rows: number): SettleScan | null {
    if (committed <= this.value) return null;
    const to = Math.min(committed, this.value + rows);
    this.scanning = to;
    return { from: this.value, to, epoch: this.epoch };
  }

  /** The worker's answer: the mark moves up, unless a write since may have changed what it read. */
  advance(found: SettleFound): void {
    this.scanning = 0;
    if (found.epoch !== this.epoch || found.from !== this.value) return;
    const v = found.first === null ? found.to : found.first - 1;
    if (v > this.value) this.set(v);
  }

  private set(value: number): void {
    this.value = value;
    this.write.run(value);
  }
}
