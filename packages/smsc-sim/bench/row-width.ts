// What a common row costs SQLite by how it is written (issue 16): the same message inserted
//   old:    as the version before this one wrote it (13 values bound, its constants as literals in each row)
//   s8:     as session 8's version wrote it into its new files (10 values bound, its constants left to the
//           columns' DEFAULTs, every one NOT NULL)
//   now:    as store/columns.ts writes a common compact row with a hex mid and the usual plan into a new file
//           (the same 10 values; the columns left to their DEFAULTs nullable: rowShapes(db)(7))
//   noIdx:  now, into a table without the two partial indexes (what moving them to side tables would save)
//   narrow: the same 10 values into a table of only the 17 columns a stored submit needs, with the same DEFAULTs
// Commits of 100 rows in runs of 64/32/4 (as insert-rows.ts), WAL, synchronous NORMAL, a real file each; they
// alternate in one process in short blocks. CPU µs per row (process.cpuUsage: this process does nothing else;
// /proc's per-thread schedstat moves only at the scheduler's 4 ms tick here, too coarse for a block): median and
// lower quartile of blocks, and each variant's VDBE opcodes for one row.
//   node --import tsx bench/row-width.ts [rounds]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CHECKED_IN_WRITERS, COMPACT_ROWS, ROW_KIND, rowShapes } from '../src/store/columns.js';
import { SCHEMA } from '../src/store/statements.js';

const dir = mkdtempSync(join(tmpdir(), 'row-width-'));
/** the messages table before this version: no DEFAULTs, mid NOT NULL */
const S8_SCHEMA = SCHEMA.replace(/\n {2}(\w+) (\w+) DEFAULT/g, (all, name: string, type: string) =>
  CHECKED_IN_WRITERS.has(name) ? `\n  ${name} ${type} NOT NULL DEFAULT` : all,
);
const OLD_SCHEMA = S8_SCHEMA.replace(/ DEFAULT ('[^']*'|\d+)/g, '').replace('mid TEXT,', 'mid TEXT NOT NULL,');
const NO_IDX_SCHEMA = SCHEMA.replace(/CREATE INDEX IF NOT EXISTS messages_(group|multi) [^;]*;/g, '');
const NARROW = `CREATE TABLE messages (id INTEGER PRIMARY KEY, mid TEXT, group_id INTEGER NOT NULL,
  part_total INTEGER NOT NULL DEFAULT 1, direction TEXT NOT NULL DEFAULT 'MT', command TEXT NOT NULL DEFAULT 'submit_sm',
  system_id TEXT NOT NULL, source_addr TEXT NOT NULL, dest_addr TEXT NOT NULL, registered_delivery INTEGER NOT NULL,
  submitted_at INTEGER NOT NULL, expire_at INTEGER NOT NULL, state TEXT NOT NULL DEFAULT 'ENROUTE',
  planned_state TEXT NOT NULL DEFAULT 'DELIVERED', planned_err INTEGER NOT NULL DEFAULT 0, due_at INTEGER, pdu BLOB)`;

function open(name: string, ddl: string) {
  const db = new Database(join(dir, name));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(ddl);
  return db;
}
const NOW_KIND = ROW_KIND.COMPACT | ROW_KIND.ID_MID | ROW_KIND.DELIVERED;
const oldDb = open('old.db', OLD_SCHEMA);
const s8Db = open('s8.db', S8_SCHEMA);
const nowDb = open('now.db', SCHEMA);
const noIdxDb = open('noidx.db', NO_IDX_SCHEMA);
const narrowDb = open('narrow.db', NARROW);
const nowShape = rowShapes(nowDb)(NOW_KIND);
const s8Shape = rowShapes(s8Db)(NOW_KIND);
const noIdxShape = rowShapes(noIdxDb)(NOW_KIND);
if (s8Shape.sql(1) !== nowShape.sql(1) || noIdxShape.sql(1) !== nowShape.sql(1))
  throw new Error('s8, now and noIdx should run the same INSERT');
const NARROW_COLS = 'id,group_id,system_id,source_addr,dest_addr,registered_delivery,submitted_at,expire_at,due_at,pdu';
const narrowSql = (n: number) =>
  `INSERT OR FAIL INTO messages (${NARROW_COLS}) VALUES ${Array(n).fill('(?,?,?,?,?,?,?,?,?,?)').join(',')}`;

const pdu = Buffer.alloc(110, 0x41);
const dest = (id: number) => `447700${String(id % 1000000).padStart(6, '0')}`;
/** the 13 values of COMPACT_ROWS: id mid group_id system_id source dest rd submitted expire planned err due pdu */
function values13(to: unknown[], at: number, id: number, now: number): void {
  to[at] = id;
  to[at + 1] = id.toString(16);
  to[at + 2] = id;
  to[at + 3] = 'bench';
  to[at + 4] = '4412345';
  to[at + 5] = dest(id);
  to[at + 6] = 1;
  to[at + 7] = now;
  to[at + 8] = now + 86_400_000;
  to[at + 9] = 'DELIVERED';
  to[at + 10] = 0;
  to[at + 11] = now;
  to[at + 12] = pdu;
}
/** the 10 values of NOW_KIND (and NARROW_COLS): id group_id system_id source dest rd submitted expire due pdu */
function values10(to: unknown[], at: number, id: number, now: number): void {
  to[at] = id;
  to[at + 1] = id;
  to[at + 2] = 'bench';
  to[at + 3] = '4412345';
  to[at + 4] = dest(id);
  to[at + 5] = 1;
  to[at + 6] = now;
  to[at + 7] = now + 86_400_000;
  to[at + 8] = now;
  to[at + 9] = pdu;
}

const cpuNs = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) * 1000;
};

function writer(db: Database.Database, sql: (n: number) => string, bound: number, values: typeof values10) {
  const sts = new Map<number, Database.Statement>();
  const arrays = new Map<number, unknown[]>();
  let id = 0;
  const begin = db.prepare('BEGIN');
  const commit = db.prepare('COMMIT');
  /** µs of the main thread per row */
  return (rows: number) => {
    const now = Date.now();
    const t = cpuNs();
    for (let done = 0; done < rows; done += 100) {
      begin.run();
      for (const n of [64, 32, 4]) {
        let st = sts.get(n);
        if (!st) sts.set(n, (st = db.prepare(sql(n))));
        const v = arrays.get(n) ?? new Array<unknown>(n * bound);
        arrays.set(n, v);
        for (let r = 0; r < n; r++) values(v, r * bound, ++id, now);
        st.run(...v);
      }
      commit.run();
    }
    return (cpuNs() - t) / 1000 / rows;
  };
}

if (COMPACT_ROWS.bound !== 13 || nowShape.bound !== 10)
  throw new Error(`the shapes bind ${COMPACT_ROWS.bound} and ${nowShape.bound} values, this bench 13 and 10`);
const names = ['old', 's8', 'now', 'noIdx', 'narrow'] as const;
const dbs = [oldDb, s8Db, nowDb, noIdxDb, narrowDb];
const sqls = [COMPACT_ROWS.sql, nowShape.sql, nowShape.sql, nowShape.sql, narrowSql];
const runs = [
  writer(oldDb, COMPACT_ROWS.sql, 13, values13),
  writer(s8Db, nowShape.sql, 10, values10),
  writer(nowDb, nowShape.sql, 10, values10),
  writer(noIdxDb, nowShape.sql, 10, values10),
  writer(narrowDb, narrowSql, 10, values10),
];
const opcodes = (i: number) => {
  const sql = sqls[i]!(1);
  return dbs[i]!.prepare(`EXPLAIN ${sql}`).all(...Array(sql.split('?').length - 1).fill(null)).length;
};
console.log(JSON.stringify({ opcodesOneRow: Object.fromEntries(names.map((n, i) => [n, opcodes(i)])) }));
for (const r of runs) r(20_000);
const blocks: number[][] = runs.map(() => []);
const at = (xs: number[], q: number) => +[...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))]!.toFixed(2);
for (let round = 0; round < Number(process.argv[2] ?? 3); round++) {
  for (let b = 0; b < 20; b++) runs.forEach((r, i) => blocks[i]!.push(r(5_000)));
  console.log(
    JSON.stringify({
      round,
      medianUsPerRow: Object.fromEntries(names.map((n, i) => [n, at(blocks[i]!, 0.5)])),
      q1UsPerRow: Object.fromEntries(names.map((n, i) => [n, at(blocks[i]!, 0.25)])),
    }),
  );
}
for (const db of dbs) db.close();
rmSync(dir, { recursive: true, force: true });
