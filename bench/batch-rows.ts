// How much would one row per commit batch save (issue 16)? The same messages (single-part submit_sm as accept()
// builds them, their frames kept) written three ways into three real files, alternated in blocks in one process:
//   rows:    today's rows, by the store's own insert (insert-rows.ts CommonRowInserter: the file's SCHEMA, the
//            common-row runs), one transaction a commit
//   batches: one row per commit, `batches(first_id INTEGER PRIMARY KEY, n, body BLOB)`: the commit's messages
//            packed in one blob (an offset table, then per message the values a row binds: registered_delivery,
//            submitted_at, expire_at, due_at, system_id, source, dest, the frame; the rest comes from the frame as
//            in a compact row), ids first_id … first_id + n - 1; a state change is a row of
//            `states(id INTEGER PRIMARY KEY, state, err, done_at, detail)` that overrides the batch's plan
//   frames:  a middle way: today's rows without their frame (9 values bound), the commit's frames packed in one
//            row of `frames(first_id INTEGER PRIMARY KEY, n, body BLOB)`; every query on the rows stays as it is
// Then what the readers would pay in each: a message by id (the record toRecord gives, or the same object built
// from the blob with the same fillFromPdu/text/asSeen), the newest 100, a filtered scan (dest_addr) per message
// looked at, and a final state for each message (the UPDATE of today, a states row in batches), commits of the
// same size (the packing alone is timed beside the inserts). No file has the checkpoint worker: CPU is process.cpuUsage (nothing else runs), µs a message,
// median and lower quartile of blocks. Bench only: the batch layout here has no replace, multi-part, submit_multi,
// admin filters or recovery queries (what production would need is in the README, issue 16).
//   node --import tsx bench/batch-rows.ts [distDir]
// distDir: a packages/smsc-sim/dist (default this checkout's). BATCH_COMMIT (64) messages a commit,
// BATCH_BLOCK (12800) messages a block, BATCH_BLOCKS (15) blocks each.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { encodePdu } from '@smppkit/core';

const here = fileURLToPath(new URL('.', import.meta.url));
const env = process.env;
const dist = resolve(process.argv[2] ?? join(here, '../packages/smsc-sim/dist'));
const perCommit = Number(env.BATCH_COMMIT ?? 64);
const block = Number(env.BATCH_BLOCK ?? 12_800);
const blocks = Number(env.BATCH_BLOCKS ?? 15);

type Rec = Record<string, unknown> & { id: number; pdu: Buffer };
type Db = {
  prepare(sql: string): {
    run(...a: unknown[]): unknown;
    get(...a: unknown[]): unknown;
    all(...a: unknown[]): unknown[];
    iterate(...a: unknown[]): IterableIterator<unknown>;
  };
  exec(sql: string): void;
  pragma(p: string): unknown;
  transaction<F extends (...a: never[]) => unknown>(f: F): F;
  close(): void;
};
const imp = async <T>(p: string) => (await import(pathToFileURL(join(dist, p)).href)) as T;
const Database = createRequire(join(dist, '../package.json'))('better-sqlite3') as new (p: string) => Db;
const { SCHEMA } = await imp<{ SCHEMA: string }>('store/statements.js');
const { CommonRowInserter } = await imp<{
  CommonRowInserter: new (db: Db, compact: boolean) => { add(m: Rec): void; flush(): void };
}>('store/insert-rows.js');
const { toRecord } = await imp<{ toRecord: (r: unknown, now: number) => Rec }>('store/reads.js');
const { fillFromPdu } = await imp<{ fillFromPdu: (m: Rec, r: object) => void }>('store/pdu-fields.js');
const { asSeen } = await imp<{ asSeen: (m: Rec, now: number) => Rec }>('store/lifecycle.js');
const { messageText } = await imp<{ messageText: (m: Rec) => string }>('util/user-data.js');
const { fileStorePragmas } = await imp<{ fileStorePragmas: (db: Db) => void }>('store/file-pragmas.js');

const dir = mkdtempSync(join(tmpdir(), 'batch-rows-'));
const open = (name: string) => {
  const db = new Database(join(dir, name));
  fileStorePragmas(db);
  return db;
};

// ---- the messages (as store-insert.ts builds them) ----
const TEXT = Buffer.from('Your verification code is 123456. It expires in 10 minutes.');
const dest = (i: number) => `44700${String(i % 1000).padStart(6, '0')}`;
const frames = Array.from({ length: 1000 }, (_, i) =>
  encodePdu({
    command: 'submit_sm',
    command_status: 0,
    sequence_number: i + 1,
    service_type: '',
    source_addr_ton: 1,
    source_addr_npi: 1,
    source_addr: '4412345',
    dest_addr_ton: 1,
    dest_addr_npi: 1,
    destination_addr: dest(i),
    esm_class: 0,
    protocol_id: 0,
    priority_flag: 0,
    schedule_delivery_time: '',
    validity_period: '',
    registered_delivery: 0,
    replace_if_present_flag: 0,
    data_coding: 0,
    sm_default_msg_id: 0,
    short_message: TEXT,
  } as never),
);
function record(id: number, now: number): Rec {
  const pdu = Buffer.from(frames[id % 1000]!);
  return {
    id,
    mid: id.toString(16),
    multiId: null,
    groupId: id,
    partNum: 1,
    partTotal: 1,
    direction: 'MT',
    command: 'submit_sm',
    systemId: 'bench',
    deliverTo: null,
    serviceType: '',
    sourceTon: 1,
    sourceNpi: 1,
    sourceAddr: '4412345',
    destTon: 1,
    destNpi: 1,
    destAddr: dest(id),
    esmClass: 0,
    protocolId: 0,
    priorityFlag: 0,
    registeredDelivery: 0,
    dataCoding: 0,
    shortMessage: pdu.subarray(pdu.length - TEXT.length),
    text: '',
    submittedAt: now,
    scheduleAt: null,
    expireAt: now + 86_400_000,
    state: 'ENROUTE',
    err: 0,
    doneAt: null,
    plannedState: 'DELIVERED',
    plannedErr: 0,
    dueAt: now + 3_600_000,
    pdu,
  };
}

// ---- (b) the packed batch ----
const HEAD = 2; // u16 n, then u32 offsets[n]
function pack(ms: Rec[], from: number, n: number): Buffer {
  let size = HEAD + 4 * n;
  for (let i = from; i < from + n; i++) {
    const m = ms[i]!;
    size +=
      1 + 24 + 3 + (m.systemId as string).length + (m.sourceAddr as string).length + (m.destAddr as string).length;
    size += 2 + m.pdu.length;
  }
  const b = Buffer.allocUnsafe(size);
  b.writeUInt16LE(n, 0);
  let o = HEAD + 4 * n;
  for (let k = 0; k < n; k++) {
    const m = ms[from + k]!;
    b.writeUInt32LE(o, HEAD + 4 * k);
    b[o++] = m.registeredDelivery as number;
    o = b.writeDoubleLE(m.submittedAt as number, o);
    o = b.writeDoubleLE(m.expireAt as number, o);
    o = b.writeDoubleLE(m.dueAt as number, o);
    for (const s of [m.systemId, m.sourceAddr, m.destAddr] as string[]) {
      b[o++] = s.length;
      o += b.write(s, o, 'latin1');
    }
    o = b.writeUInt16LE(m.pdu.length, o);
    o += m.pdu.copy(b, o);
  }
  return b;
}
const str = (b: Buffer, o: number) => b.toString('latin1', o + 1, o + 1 + b[o]!);
/** message k of a batch as the record readers see (states row `s` applied: final) */
function unpack(b: Buffer, firstId: number, k: number, s: StateRow | undefined, now: number): Rec {
  let o = b.readUInt32LE(HEAD + 4 * k);
  const registeredDelivery = b[o++]!;
  const submittedAt = b.readDoubleLE(o);
  const expireAt = b.readDoubleLE(o + 8);
  const dueAt = b.readDoubleLE(o + 16);
  o += 24;
  const systemId = str(b, o);
  o += 1 + b[o]!;
  const sourceAddr = str(b, o);
  o += 1 + b[o]!;
  const destAddr = str(b, o);
  o += 1 + b[o]!;
  const len = b.readUInt16LE(o);
  const pdu = Buffer.from(b.subarray(o + 2, o + 2 + len));
  const id = firstId + k;
  const m = {
    ...record(0, 0),
    id,
    mid: id.toString(16),
    groupId: id,
    systemId,
    sourceAddr,
    destAddr,
    registeredDelivery,
    submittedAt,
    expireAt,
    dueAt: s ? null : dueAt,
    state: s ? s.state : 'ENROUTE',
    err: s ? s.err : 0,
    doneAt: s ? s.done_at : null,
    pdu,
  } as Rec;
  fillFromPdu(m, DERIVED_NULL);
  if (m.text === '' && (m.shortMessage as Buffer).length > 0) m.text = messageText(m);
  return asSeen(m, now);
}
const DERIVED_NULL = {
  source_ton: null,
  source_npi: null,
  dest_ton: null,
  dest_npi: null,
  esm_class: null,
  protocol_id: null,
  priority_flag: null,
  data_coding: null,
  short_message: null,
};
interface StateRow {
  state: string;
  err: number;
  done_at: number | null;
}

// ---- the two stores ----
const rowsDb = open('rows.db');
rowsDb.exec(SCHEMA);
const inserter = new CommonRowInserter(rowsDb, true);
const rowsCommit = rowsDb.transaction((ms: Rec[], from: number, n: number) => {
  for (let i = from; i < from + n; i++) inserter.add(ms[i]!);
  inserter.flush();
});
const batchDb = open('batches.db');
batchDb.exec(`CREATE TABLE batches (first_id INTEGER PRIMARY KEY, n INTEGER NOT NULL, body BLOB NOT NULL);
  CREATE TABLE states (id INTEGER PRIMARY KEY, state TEXT NOT NULL, err INTEGER NOT NULL, done_at INTEGER, detail TEXT NOT NULL)`);
const insertBatch = batchDb.prepare('INSERT INTO batches (first_id, n, body) VALUES (?,?,?)');
// an autocommit statement is its own transaction: one statement a commit
const batchCommit = (ms: Rec[], from: number, n: number) => insertBatch.run(ms[from]!.id, n, pack(ms, from, n));

// (c) today's rows without the frame, the frames of a commit in one row
const framesDb = open('frames.db');
framesDb.exec(SCHEMA);
framesDb.exec('CREATE TABLE frames (first_id INTEGER PRIMARY KEY, n INTEGER NOT NULL, body BLOB NOT NULL)');
const C_COLS = 'id,group_id,system_id,source_addr,dest_addr,registered_delivery,submitted_at,expire_at,due_at';
const { rowShapes } = await imp<{ rowShapes: (db: Db) => (kind: number) => { sql(n: number): string } }>(
  'store/columns.js',
);
if (
  rowShapes(framesDb)(7).sql(1) !==
  `INSERT OR FAIL INTO messages (${C_COLS},pdu) VALUES (${Array(10).fill('?').join(',')})`
)
  throw new Error(
    "the store's common row is not these columns and its frame: frames would not be the same row less its frame",
  );
const cRows = new Map<number, ReturnType<Db['prepare']>>();
const cValues = new Map<number, unknown[]>();
const insertFrames = framesDb.prepare('INSERT INTO frames (first_id, n, body) VALUES (?,?,?)');
function packFrames(ms: Rec[], from: number, n: number): Buffer {
  let size = HEAD + 4 * n;
  for (let i = from; i < from + n; i++) size += 2 + ms[i]!.pdu.length;
  const b = Buffer.allocUnsafe(size);
  b.writeUInt16LE(n, 0);
  let o = HEAD + 4 * n;
  for (let k = 0; k < n; k++) {
    const pdu = ms[from + k]!.pdu;
    b.writeUInt32LE(o, HEAD + 4 * k);
    o = b.writeUInt16LE(pdu.length, o);
    o += pdu.copy(b, o);
  }
  return b;
}
const frameAt = (b: Buffer, k: number) => {
  const o = b.readUInt32LE(HEAD + 4 * k);
  return Buffer.from(b.subarray(o + 2, o + 2 + b.readUInt16LE(o)));
};
const framesCommit = framesDb.transaction((ms: Rec[], from: number, n: number) => {
  let st = cRows.get(n);
  if (!st) {
    st = framesDb.prepare(
      `INSERT OR FAIL INTO messages (${C_COLS}) VALUES ${Array(n).fill('(?,?,?,?,?,?,?,?,?)').join(',')}`,
    );
    cRows.set(n, st);
    cValues.set(n, new Array<unknown>(9 * n));
  }
  const v = cValues.get(n)!;
  for (let k = 0; k < n; k++) {
    const m = ms[from + k]!;
    const at = 9 * k;
    v[at] = m.id;
    v[at + 1] = m.groupId;
    v[at + 2] = m.systemId;
    v[at + 3] = m.sourceAddr;
    v[at + 4] = m.destAddr;
    v[at + 5] = m.registeredDelivery;
    v[at + 6] = m.submittedAt;
    v[at + 7] = m.expireAt;
    v[at + 8] = m.dueAt;
  }
  st.run(...v);
  insertFrames.run(ms[from]!.id, n, packFrames(ms, from, n));
});

const cpu = () => {
  const c = process.cpuUsage();
  return c.user + c.system;
};
/** both files' messages alike: the same times */
const NOW = Date.now();
const write = (commit: (ms: Rec[], from: number, n: number) => unknown) => {
  let id = 0;
  return (count: number): number => {
    const now = NOW;
    const ms: Rec[] = [];
    for (let i = 0; i < count; i++) ms.push(record(id + 1 + i, now));
    id += count;
    const t = cpu();
    for (let i = 0; i < count; i += perCommit) commit(ms, i, Math.min(perCommit, count - i));
    return (cpu() - t) / count;
  };
};
let packed = 0;
const packOnly = (ms: Rec[], from: number, n: number) => {
  packed += pack(ms, from, n).length;
};
const writers = [write(rowsCommit), write(batchCommit), write(framesCommit), write(packOnly)];
const names = ['rows', 'batches', 'frames', "batches' packing alone"];
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (f: number) => Math.round(s[Math.floor(f * (s.length - 1))]! * 1000) / 1000;
  return { median: q(0.5), q1: q(0.25) };
};
const report = (what: string, per: number[][], unit = 'usPerMessage') =>
  process.stdout.write(
    `${JSON.stringify({ what, [unit]: Object.fromEntries(per.map((p, i) => [names[i], stats(p)])) })}\n`,
  );

// ---- insert ----
for (const w of writers) w(block);
const ins: number[][] = [[], [], [], []];
for (let b = 0; b < blocks; b++) writers.forEach((w, i) => ins[i]!.push(w(block)));
report(`insert, commits of ${perCommit}`, ins);
if (packed === 0) throw new Error('nothing packed');
/** the messages in each file: ids 1 … total */
const total = (blocks + 1) * block;
for (const db of [rowsDb, batchDb, framesDb]) db.pragma('wal_checkpoint(TRUNCATE)');
const bytes = (name: string) => Math.round(statSync(join(dir, name)).size / total);
process.stdout.write(
  `${JSON.stringify({ what: 'file bytes a message', rows: bytes('rows.db'), batches: bytes('batches.db'), frames: bytes('frames.db') })}\n`,
);

// ---- reads ----
const getRow = rowsDb.prepare('SELECT * FROM messages WHERE id=?');
const batchOf = batchDb.prepare(
  'SELECT first_id, body FROM batches WHERE first_id <= ? ORDER BY first_id DESC LIMIT 1',
);
const stateOf = batchDb.prepare('SELECT state, err, done_at FROM states WHERE id=?');
const cRow = framesDb.prepare('SELECT * FROM messages WHERE id=?');
const framesOf = framesDb.prepare(
  'SELECT first_id, body FROM frames WHERE first_id <= ? ORDER BY first_id DESC LIMIT 1',
);
const byId = [
  (id: number, now: number) => toRecord(getRow.get(id), now),
  (id: number, now: number) => {
    const r = batchOf.get(id) as { first_id: number; body: Buffer };
    return unpack(r.body, r.first_id, id - r.first_id, stateOf.get(id) as StateRow | undefined, now);
  },
  (id: number, now: number) => {
    const r = cRow.get(id) as Record<string, unknown>;
    const f = framesOf.get(id) as { first_id: number; body: Buffer };
    r.pdu = frameAt(f.body, id - f.first_id);
    return toRecord(r, now);
  },
];
// the same record both ways (a check of the bench, not a timing)
const sample = [1, 2, perCommit, perCommit + 1, total];
for (const id of sample) {
  const [a, b, c] = byId.map((f) => f(id, 0));
  const norm = (m: Rec) =>
    JSON.stringify(
      Object.fromEntries(
        Object.keys(m)
          .sort()
          .map((k) => [k, Buffer.isBuffer(m[k]) ? [...(m[k] as Buffer)] : m[k]]),
      ),
    );
  if (norm(a!) !== norm(b!) || norm(a!) !== norm(c!))
    throw new Error(`message ${id} differs:\n${norm(a!)}\n${norm(b!)}\n${norm(c!)}`);
}
const timed = (f: () => void, n: number) => {
  const t = cpu();
  f();
  return (cpu() - t) / n;
};
const reads: number[][] = [[], [], []];
for (let b = 0; b < blocks; b++)
  byId.forEach((f, i) =>
    reads[i]!.push(
      timed(() => {
        const now = Date.now();
        for (let k = 0; k < 5000; k++) f(1 + ((k * 7919) % total), now);
      }, 5000),
    ),
  );
report('a message by id (random ids)', reads, 'usPerRead');

const newestRows = rowsDb.prepare('SELECT * FROM messages ORDER BY id DESC LIMIT 100');
const lastBatches = batchDb.prepare('SELECT first_id, n, body FROM batches ORDER BY first_id DESC LIMIT ?');
const statesIn = batchDb.prepare('SELECT id, state, err, done_at FROM states WHERE id BETWEEN ? AND ?');
const cNewest = framesDb.prepare('SELECT * FROM messages ORDER BY id DESC LIMIT 100');
const cLastFrames = framesDb.prepare('SELECT first_id, n, body FROM frames ORDER BY first_id DESC LIMIT ?');
const newest = [
  (now: number) => newestRows.all().map((r) => toRecord(r, now)),
  (now: number) => {
    const out: Rec[] = [];
    const bs = lastBatches.all(Math.ceil(100 / perCommit) + 1) as Array<{ first_id: number; n: number; body: Buffer }>;
    const lo = bs[bs.length - 1]!.first_id;
    const states = new Map((statesIn.all(lo, total) as Array<StateRow & { id: number }>).map((s) => [s.id, s]));
    for (const r of bs)
      for (let k = r.n - 1; k >= 0 && out.length < 100; k--)
        out.push(unpack(r.body, r.first_id, k, states.get(r.first_id + k), now));
    return out;
  },
  (now: number) => {
    const fs = cLastFrames.all(Math.ceil(100 / perCommit) + 1) as Array<{ first_id: number; body: Buffer }>;
    return (cNewest.all() as Array<Record<string, unknown>>).map((r) => {
      const id = r.id as number;
      const f = fs.find((x) => x.first_id <= id)!;
      r.pdu = frameAt(f.body, id - f.first_id);
      return toRecord(r, now);
    });
  },
];
const lists: number[][] = [[], [], []];
for (let b = 0; b < blocks; b++)
  newest.forEach((f, i) =>
    lists[i]!.push(timed(() => [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].forEach(() => f(Date.now())), 10)),
  );
report('the newest 100 messages, as records', lists, 'usPerList');

const scanRows = rowsDb.prepare('SELECT id FROM messages WHERE dest_addr = ? AND id BETWEEN ? AND ?');
const allBatches = batchDb.prepare('SELECT first_id, n, body FROM batches');
const scan = [
  (to: string) => scanRows.all(to, 1, total).length,
  (to: string) => {
    let found = 0;
    for (const r of allBatches.iterate() as IterableIterator<{ first_id: number; n: number; body: Buffer }>)
      for (let k = 0; k < r.n; k++) {
        let o = r.body.readUInt32LE(HEAD + 4 * k) + 25;
        o += 1 + r.body[o]!;
        o += 1 + r.body[o]!;
        if (r.body[o] === to.length && r.body.toString('latin1', o + 1, o + 1 + to.length) === to) found++;
      }
    return found;
  },
];
const counts = scan.map((f) => f(dest(7)));
if (counts[0] !== counts[1]) throw new Error(`the scans found ${counts[0]} and ${counts[1]}`);
const scans: number[][] = [[], []];
for (let b = 0; b < 5; b++) scan.forEach((f, i) => scans[i]!.push(timed(() => f(dest(7 + b)), total)));
report(`a filtered scan (dest_addr), ${total} messages (frames: as rows)`, scans, 'usPerMessageScanned');

// ---- a final state for each of a block of messages, commits of the same size ----
const updateRow = rowsDb.prepare(
  'UPDATE messages SET state=?, err=?, done_at=?, due_at=NULL, done_detail=? WHERE id=?',
);
const putState = batchDb.prepare('INSERT OR REPLACE INTO states (id, state, err, done_at, detail) VALUES (?,?,?,?,?)');
const finals = [
  rowsDb.transaction((from: number, n: number, at: number) => {
    for (let id = from; id < from + n; id++) updateRow.run('DELIVERED', 0, at, 'delivered', id);
  }),
  batchDb.transaction((from: number, n: number, at: number) => {
    for (let id = from; id < from + n; id++) putState.run(id, 'DELIVERED', 0, at, 'delivered');
  }),
];
const states: number[][] = [[], []];
for (let b = 0; b < blocks; b++)
  finals.forEach((f, i) =>
    states[i]!.push(
      timed(() => {
        const at = Date.now();
        for (let k = 0; k < 2560; k += perCommit) f(1 + b * 2560 + k, perCommit, at);
      }, 2560),
    ),
  );
report(`a final state (UPDATE / states row; frames: as rows), commits of ${perCommit}`, states);
// the override is read back
const check = byId.slice(0, 2).map((f) => f(5, 0));
if (check.some((m) => m.state !== 'DELIVERED' || typeof m.doneAt !== 'number'))
  throw new Error('a final state reads back differently');

for (const db of [rowsDb, batchDb, framesDb]) db.close();
rmSync(dir, { recursive: true, force: true });
