// The INSERT of common rows (columns.ts isCommon: most submitted messages) within one commit: consecutive ones are
// written by multi-row INSERT statements, so a commit of N messages runs about log2(N) statements rather than N
// (each run costs a call into the driver, a reset and a result object). A run is split into powers of two up to
// MAX_ROWS rows; each size has its statement (prepared at its first use) and its array of values, reused.
import { COMMON_BOUND, insertCommonRowsSql, putCommonValues, runCommonRow } from './columns.js';
import type { MessageRecord } from './record.js';
import type { SqlDatabase, SqlStatement } from './sqlite/driver.js';

/** the most rows one statement inserts (its values: MAX_ROWS * COMMON_BOUND, well under SQLite's 32766) */
const MAX_ROWS = 64;

export class CommonRowInserter {
  private readonly rows: MessageRecord[] = [];
  /** by log2 of the rows a statement inserts */
  private readonly statements: SqlStatement[] = [];
  private readonly values: unknown[][] = [];

  constructor(private readonly db: SqlDatabase) {}

  /** A common row to insert (written by flush(), before any other write of the commit that follows it). */
  add(m: MessageRecord): void {
    this.rows.push(m);
  }

  /** Inserts the rows added since the last flush, in order. */
  flush(): void {
    const rows = this.rows;
    let i = 0;
    try {
      while (i < rows.length) {
        const left = rows.length - i;
        const size = left >= MAX_ROWS ? MAX_ROWS : 2 ** Math.floor(Math.log2(left));
        this.insert(rows, i, size);
        i += size;
      }
    } finally {
      rows.length = 0;
    }
  }

  private insert(rows: MessageRecord[], from: number, size: number): void {
    const k = Math.log2(size);
    const st = (this.statements[k] ??= this.db.prepare(insertCommonRowsSql(size)));
    // one row (sparse traffic: a commit a message): its values as arguments, as cheap as the single-row INSERT
    if (size === 1) {
      runCommonRow(st, rows[from]!);
      return;
    }
    const values = (this.values[k] ??= new Array<unknown>(size * COMMON_BOUND));
    for (let r = 0; r < size; r++) putCommonValues(values, r * COMMON_BOUND, rows[from + r]!);
    st.run(...values);
  }
}
