// The INSERT of common rows (columns.ts isCommon: most submitted messages) within one commit: consecutive ones are
// written by multi-row INSERT statements, so a commit of N messages runs about log2(N) statements rather than N
// (each run costs a call into the driver, a reset and a result object). A run is split into powers of two up to
// MAX_ROWS rows; each size has its statement (prepared at its first use) and its array of values, reused.
// A common row whose submit_sm frame holds its DERIVED fields (pdu-fields.ts) is written compact, without them,
// where the file takes compact rows (columns.ts takesCompactRows); the others whole. A compact row whose mid is its
// id in hex is written without it where the file takes that (takesIdMids), so are its addresses where they are its
// frame's (ADDRS, takesFramedAddrs), and the usual plan (DELIVERED, error 0)
// is written as constants: each kind of row (columns.ts ROW_KIND) has its runs. Consecutive rows of a run alike in
// the values the rows of a read share (account, times, receipt request: columns.ts ALIKE) bind those once a
// statement; a run is split where they change. Every run is written before any other write of the commit (the
// caller flushes), so the order of writes to one message is kept.
import { ROW_KIND, type RowShape, rowShapes, takesFramedAddrs, takesIdMids } from './columns.js';
import { isHexFormOf } from './message-id.js';
import { addrsFromPdu, derivableFromPdu } from './pdu-fields.js';
import type { MessageRecord } from './record.js';
import type { SqlDatabase, SqlStatement } from './sqlite/driver.js';

/** the most rows one statement inserts (its values: MAX_ROWS * bound, well under SQLite's 32766) */
const MAX_ROWS = 64;

class Runs {
  readonly rows: MessageRecord[] = [];
  /** by log2 of the rows a statement inserts */
  private readonly statements: SqlStatement[] = [];
  private readonly values: unknown[][] = [];
  /** the ALIKE values of the rows a statement inserts, by name (one object, rewritten for each) */
  private readonly named: Record<string, unknown> = {};

  constructor(
    private readonly db: SqlDatabase,
    private readonly shape: RowShape,
  ) {}

  flush(): void {
    const rows = this.rows;
    const alike = this.shape.alike;
    let i = 0;
    try {
      while (i < rows.length) {
        // the rows from i alike (all, where the shape binds no ALIKE column), at most MAX_ROWS
        const end = Math.min(rows.length, i + MAX_ROWS);
        let j = i + 1;
        if (alike === null) j = end;
        else while (j < end && alike.same(rows[i]!, rows[j]!)) j++;
        for (let left = j - i; left > 0; ) {
          const size = 2 ** Math.floor(Math.log2(left));
          this.insert(rows, i, size);
          i += size;
          left -= size;
        }
      }
    } finally {
      rows.length = 0;
    }
  }

  /** Inserts `size` rows from `from`, alike (RowShape.alike) when the shape has ALIKE columns. */
  private insert(rows: MessageRecord[], from: number, size: number): void {
    const k = Math.log2(size);
    const shape = this.shape;
    // one row (sparse traffic: a commit a message): its values as arguments, as cheap as the single-row INSERT
    if (size === 1) {
      shape.runOne((this.statements[0] ??= this.db.prepare(shape.sql(1))), rows[from]!);
      return;
    }
    const alike = shape.alike;
    const bound = alike === null ? shape.bound : alike.bound;
    const values = (this.values[k] ??= new Array<unknown>(size * bound));
    if (alike === null) {
      const st = (this.statements[k] ??= this.db.prepare(shape.sql(size)));
      for (let r = 0; r < size; r++) shape.put(values, r * bound, rows[from + r]!);
      st.run(...values);
      return;
    }
    const st = (this.statements[k] ??= this.db.prepare(alike.sql(size)));
    for (let r = 0; r < size; r++) alike.put(values, r * bound, rows[from + r]!);
    alike.named(this.named, rows[from]!);
    st.run(this.named, ...values);
  }
}

export class CommonRowInserter {
  /** by kind (ROW_KIND bits), made at the first row of that kind */
  private readonly runs: Runs[] = [];
  /** the kinds with rows added since the last flush */
  private readonly added: number[] = [];
  private readonly idMids: boolean;
  private readonly framedAddrs: boolean;
  private readonly shapeOf: (kind: number) => RowShape;

  /** @param compact the file takes compact rows */
  constructor(
    private readonly db: SqlDatabase,
    private readonly compact: boolean,
  ) {
    this.idMids = compact && takesIdMids(db);
    this.framedAddrs = compact && takesFramedAddrs(db);
    this.shapeOf = rowShapes(db);
  }

  /** A common row to insert (written by flush(), before any other write of the commit that follows it). */
  add(m: MessageRecord): void {
    let kind = m.plannedState === 'DELIVERED' && m.plannedErr === 0 ? ROW_KIND.DELIVERED : 0;
    if (this.compact && derivableFromPdu(m)) {
      kind |= ROW_KIND.COMPACT;
      if (this.idMids && isHexFormOf(m.mid, m.id)) kind |= ROW_KIND.ID_MID;
      if (this.framedAddrs && addrsFromPdu(m)) kind |= ROW_KIND.ADDRS;
    }
    const runs = (this.runs[kind] ??= new Runs(this.db, this.shapeOf(kind)));
    if (runs.rows.length === 0) this.added.push(kind);
    runs.rows.push(m);
  }

  /** Inserts the rows added since the last flush. */
  flush(): void {
    const added = this.added;
    try {
      for (let i = 0; i < added.length; i++) this.runs[added[i]!]!.flush();
    } finally {
      // a failed statement fails the commit: nothing is left for the next one
      for (let i = 0; i < added.length; i++) this.runs[added[i]!]!.rows.length = 0;
      added.length = 0;
    }
  }
}
