// The number of stored messages, kept in memory: COUNT(*) reads the whole table (2–4 s for 10,000,000 rows, on the
// event loop) and GET /api/health asks on every call. Rows come only from inserts (a commit that fails reports its
// inserts lost) and go only with DELETE of every message. Saved in store_meta at close; an open after a clean close
// reads it (and marks it unknown until the next one), any other open (after a crash, or a file from a version
// without it) counts once. A row written to the file by another process is not seen.
import type { SqlDatabase, SqlStatement } from './sqlite/driver.js';

export const ROW_COUNT_DDL = "INSERT OR IGNORE INTO store_meta (key, value) VALUES ('messages', -1)";

export class RowCount {
  private n: number;
  private readonly save: SqlStatement;

  constructor(db: SqlDatabase) {
    this.save = db.prepare("UPDATE store_meta SET value = ? WHERE key = 'messages'");
    const saved = (db.prepare("SELECT value FROM store_meta WHERE key = 'messages'").get() as { value: number }).value;
    if (saved >= 0) {
      this.n = saved;
      this.save.run(-1); // unknown again until a clean close
    } else this.n = (db.prepare('SELECT COUNT(*) AS n FROM messages').get() as { n: number }).n;
  }

  get value(): number {
    return this.n;
  }

  add(k: number): void {
    this.n += k;
  }

  reset(): void {
    this.n = 0;
  }

  /** At a clean close, after the last commit. */
  saveClean(): void {
    this.save.run(this.n);
  }
}
