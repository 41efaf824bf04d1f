// How a common row's cost in SQLite depends on the table's width (issue 16): the same 13 values bound a row, into
// the messages table (36 columns: the rest NULL or constants written in the statement, as store/columns.ts
// COMPACT_ROWS does) and into a narrow table of only those 13 columns plus the constants queries need. Commits of
// 100 rows in runs of 64/32/4 (as insert-rows.ts), WAL, synchronous NORMAL, a real file each; the two alternate in
// one process, 4 blocks each a round. CPU µs per row.
//   node --import tsx bench/row-width.ts [rounds]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { COMPACT_ROWS } from '../src/store/columns.js';
import { SCHEMA } from '../src/store/statements.js';

const dir = mkdtempSync(join(tmpdir(), 'row-width-'));
const NARROW = `CREATE TABLE messages (id INTEGER PRIMARY KEY, mid TEXT NOT NULL, group_id INTEGER NOT NULL,
  part_total INTEGER NOT NULL, direction TEXT NOT NULL, command TEXT NOT NULL, system_id TEXT NOT NULL,
  source_addr TEXT NOT NULL, dest_addr TEXT NOT NULL, registered_delivery INTEGER NOT NULL, submitted_at INTEGER NOT NULL,
  expire_at INTEGER NOT NULL, state TEXT NOT NULL, planned_state TEXT NOT NULL, planned_err INTEGER NOT NULL,
  due_at INTEGER, pdu BLOB)`;
const NARROW_ROW = "(?,?,?,1,'MT','submit_sm',?,?,?,?,?,?,'ENROUTE',?,?,?,?)";

function open(name: string, ddl: string) {
  const db = new Database(join(dir, name));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(ddl);
  return db;
}
const wide = open('wide.db', SCHEMA);
const narrow = open('narrow.db', NARROW);
const wideSql = (n: number) => COMPACT_ROWS.sql(n);
const narrowSql = (n: number) =>
  `INSERT OR FAIL INTO messages (id,mid,group_id,part_total,direction,command,system_id,source_addr,dest_addr,registered_delivery,submitted_at,expire_at,state,planned_state,planned_err,due_at,pdu) VALUES ${Array(n).fill(NARROW_ROW).join(',')}`;

const pdu = Buffer.alloc(110, 0x41);
/** a row's 13 values, in COMPACT_ROWS' order: id mid group_id system_id source dest rd submitted expire planned err due pdu */
function values(to: unknown[], at: number, id: number, now: number): void {
  to[at] = id;
  to[at + 1] = id.toString(16);
  to[at + 2] = id;
  to[at + 3] = 'bench';
  to[at + 4] = '4412345';
  to[at + 5] = `447700${String(id % 1000000).padStart(6, '0')}`;
  to[at + 6] = 1;
  to[at + 7] = now;
  to[at + 8] = now + 86_400_000;
  to[at + 9] = 'DELIVERED';
  to[at + 10] = 0;
  to[at + 11] = now;
  to[at + 12] = pdu;
}

function writer(db: Database.Database, sql: (n: number) => string) {
  const sts = new Map<number, Database.Statement>();
  const arrays = new Map<number, unknown[]>();
  let id = 0;
  const begin = db.prepare('BEGIN');
  const commit = db.prepare('COMMIT');
  return (rows: number) => {
    const now = Date.now();
    const t = process.cpuUsage();
    for (let done = 0; done < rows; done += 100) {
      begin.run();
      for (const n of [64, 32, 4]) {
        let st = sts.get(n);
        if (!st) sts.set(n, (st = db.prepare(sql(n))));
        const v = arrays.get(n) ?? new Array<unknown>(n * 13);
        arrays.set(n, v);
        for (let r = 0; r < n; r++) values(v, r * 13, ++id, now);
        st.run(...v);
      }
      commit.run();
    }
    const c = process.cpuUsage(t);
    return c.user + c.system;
  };
}

if (COMPACT_ROWS.bound !== 13) throw new Error(`COMPACT_ROWS binds ${COMPACT_ROWS.bound} values, this bench 13`);
const runs = [writer(wide, wideSql), writer(narrow, narrowSql)];
for (const r of runs) r(20_000);
for (let round = 0; round < Number(process.argv[2] ?? 3); round++) {
  const us = [0, 0];
  for (let b = 0; b < 4; b++) runs.forEach((r, i) => (us[i]! += r(20_000)));
  console.log(
    JSON.stringify({
      round,
      wideUsPerRow: +(us[0]! / 80_000).toFixed(2),
      narrowUsPerRow: +(us[1]! / 80_000).toFixed(2),
    }),
  );
}
wide.close();
narrow.close();
rmSync(dir, { recursive: true, force: true });
