// N stored messages in a SQLite file (delivered, receipts acknowledged, as after real traffic): 'fill' writes them
// (the store's schema and INSERT, one transaction per 100,000 rows; BENCH_STORED_FILE: a file that already holds
// them is kept, so 10,000,000 rows are written once — each run adds the submits it serves — and its settled mark
// is set back to 0, as if just written; a file cut short, e.g. by an interrupted fill, is filled on from its last
// row); 'start' (in a fresh process) starts the simulator on it and reports its
// RSS before and after the start and how long the start took; 'queries' times typical admin queries; 'usage' the
// RSS now and its peak (sampled every 50 ms) while the parent drives submits. Memory must not grow with the number
// of stored messages: the rows stay on disk.

import { existsSync } from 'node:fs';
// the simulator as built (dist/, what the CLI runs; scripts/run.mjs bench builds first), not its source through tsx,
// whose keepNames gives every closure a property array: +0.6 KB of heap a connection in the binds case
import { startSmsc } from '@smppkit/smsc-sim';
import { INSERT_SQL, runInsert } from '../src/store/columns.js';
import { MessageStore } from '../src/store/index.js';
import { SETTLED_DDL } from '../src/store/settled.js';
import { openDatabase, prepareSqlDriver } from '../src/store/sqlite/driver.js';
import { messageRecord } from '../test/records.js';

const [path, nText] = process.argv.slice(2);
const n = Number(nText);
const mb = () => process.memoryUsage().rss / 2 ** 20;
const BATCH = 100_000;
let peak = 0;
let sim: Awaited<ReturnType<typeof startSmsc>> | null = null;
let sampler: NodeJS.Timeout | null = null;

async function fill() {
  await prepareSqlDriver(path!);
  const t0 = Date.now();
  let have = 0;
  if (existsSync(path!)) {
    // kept from an earlier run (opened without the store, whose open would read the rows): as just written
    const db = openDatabase(path!);
    have = (db.prepare('SELECT COALESCE(MAX(id), 0) AS n FROM messages').get() as { n: number }).n;
    db.exec(`${SETTLED_DDL}; UPDATE store_meta SET value = 0 WHERE key = 'settled_through'`);
    db.close();
    if (have >= n) return { filled: 0, kept: have };
  }
  const store = new MessageStore({ path: path! });
  const insert = store.db.prepare(INSERT_SQL);
  const acked = store.db.prepare('INSERT INTO receipts_acked (first_id, last_id, at) VALUES (?,?,?)');
  const now = Date.now();
  const body = Buffer.from('Your verification code is 123456');
  const batch = store.db.transaction((from: number, to: number) => {
    for (let id = from; id <= to; id++) {
      const i = id - 1;
      const m = messageRecord(id, {
        systemId: `acct${i % 20}`,
        sourceAddr: '12345',
        destAddr: `4479${String(i % 1_000_000).padStart(7, '0')}`,
        shortMessage: body,
        text: 'Your verification code is 123456',
        submittedAt: now - (n - i),
        expireAt: now + 86_400_000,
        state: 'DELIVERED',
        doneAt: now,
        dueAt: null,
      });
      runInsert(insert, m, 'accepted');
    }
    // every receipt acknowledged at its first attempt: one run (receipt-runs.ts)
    acked.run(from, to, now);
  });
  for (let from = have + 1; from <= n; from += BATCH) batch(from, Math.min(n, from + BATCH - 1));
  store.close();
  const seconds = (Date.now() - t0) / 1000;
  return {
    filled: n - have,
    kept: have,
    fillSeconds: +seconds.toFixed(1),
    insertsPerSecond: Math.round((n - have) / seconds),
  };
}

async function start() {
  global.gc?.();
  const before = mb();
  const t0 = process.hrtime.bigint();
  sim = await startSmsc({ port: 0, store: { path: path! }, logLevel: 'silent' });
  const startSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const after = mb();
  const heapAfter = process.memoryUsage().heapUsed / 2 ** 20;
  peak = after;
  sampler = setInterval(() => {
    peak = Math.max(peak, mb());
  }, 50);
  return {
    port: sim.port,
    rssMbBefore: Math.round(before),
    rssMbAfterStart: Math.round(after),
    heapMbAfterStart: Math.round(heapAfter),
    simStartSeconds: +startSeconds.toFixed(2),
  };
}

function queries() {
  const q = (f: Parameters<NonNullable<typeof sim>['smsc']['messages']>[0]) => {
    const t = process.hrtime.bigint();
    const r = sim!.smsc.messages(f);
    return { total: r.total, returned: r.messages.length, ms: +(Number(process.hrtime.bigint() - t) / 1e6).toFixed(1) };
  };
  const byId = (id: number) => {
    const t = process.hrtime.bigint();
    const r = sim!.smsc.message(id.toString(16));
    return { found: r !== undefined, ms: +(Number(process.hrtime.bigint() - t) / 1e6).toFixed(2) };
  };
  return {
    newest100: q({ limit: 100 }),
    // a message in the middle of the file, by the id its ESME was given (lower-case hex)
    getById: byId(Math.ceil(n / 2)),
    byDestination: q({ to: '44790500000', limit: 10 }),
    byAccountTotal: q({ systemId: 'acct7', limit: 100 }),
  };
}

process.on('message', async (m: string) => {
  if (m === 'fill') process.send!(await fill());
  if (m === 'start') process.send!(await start());
  if (m === 'queries') process.send!(queries());
  if (m === 'usage') process.send!({ rssMb: Math.round(mb()), peakRssMb: Math.round(Math.max(peak, mb())) });
  if (m === 'stop') {
    if (sampler) clearInterval(sampler);
    await sim?.close();
    process.exit(0);
  }
});
process.send!({ port: 0 });
