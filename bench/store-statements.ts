// Which SQL statements the simulator runs per message, and what each kind costs: the simulator and `esme load` in
// this one process (window 100, receipts on by default), every better-sqlite3 statement's run/get/all counted and
// timed by its SQL (multi-row INSERTs by their row count), after a warm-up. One line per kind, sorted by time:
// calls per message, µs per message, µs per call; then the totals (main thread only: the checkpoint worker's
// statements are its own).
//   node --import tsx bench/store-statements.ts [distDir]
// distDir: a packages/smsc-sim/dist (default this checkout's). STMT_WINDOW (100), STMT_RECEIPTS (1),
// STMT_DURATION_MS (3000), STMT_WARMUP_MS (1000).
// Then the WAL frames the main thread's statements appended (read from the -shm header after each statement, and
// each new frame's page number from the -wal file): frames and bytes per message and per commit, and by table
// (which b-tree each page belongs to, from dbstat at the end; page 1 is the file header's).
import { closeSync, existsSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runLoadTest } from '@smppkit/esme-client';

const here = fileURLToPath(new URL('.', import.meta.url));
const env = process.env;
const dist = resolve(process.argv[2] ?? join(here, '../packages/smsc-sim/dist'));
const window = Number(env.STMT_WINDOW ?? 100);
const dlr = (env.STMT_RECEIPTS ?? '1') === '1';

const Database = createRequire(join(dist, '../package.json'))('better-sqlite3') as new (
  p: string,
) => {
  prepare(sql: string): object;
  close(): void;
};
const probe = new Database(':memory:');
const proto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<string, (...a: unknown[]) => unknown>;
probe.close();

interface Kind {
  calls: number;
  ns: bigint;
}
const kinds = new Map<string, Kind>();
let counting = false;
const nameOf = (sql: string): string => {
  const s = sql.replace(/\s+/g, ' ').trim();
  const rows = s.match(/\),\s*\(/g)?.length;
  const head = s.length > 110 ? `${s.slice(0, 110)}…` : s;
  return rows ? `${head.slice(0, 60)}… [${rows + 1} rows]` : head;
};
const names = new Map<string, string>();
/** WAL frames appended by the statements counted, by page number; statements that appended any */
const framesOfPage = new Map<number, number>();
let frames = 0;
let appending = 0;
let shmFd = -1;
let walFd = -1;
let lastMx = 0;
/** the file's page size (the WAL header's, read when the count starts) */
let pageSize = 4096;
const header = Buffer.alloc(24);
/** the WAL's last frame (the wal-index header's mxFrame, native byte order) */
const mxFrame = (): number => {
  if (shmFd < 0) return 0;
  readSync(shmFd, header, 0, 24, 0);
  return header.readUInt32LE(16);
};
const walFrames = (): void => {
  const mx = mxFrame();
  if (mx === lastMx) return;
  // a restart of the WAL sets mxFrame back: its frames from 1
  const from = mx > lastMx ? lastMx : 0;
  lastMx = mx;
  appending++;
  for (let f = from; f < mx; f++) {
    readSync(walFd, header, 0, 24, 32 + f * (24 + pageSize));
    const page = header.readUInt32BE(0);
    framesOfPage.set(page, (framesOfPage.get(page) ?? 0) + 1);
    frames++;
  }
};
for (const method of ['run', 'get', 'all']) {
  const original = proto[method]!;
  proto[method] = function (this: { source: string }, ...args: unknown[]) {
    if (!counting) return original.apply(this, args);
    const t0 = process.hrtime.bigint();
    try {
      return original.apply(this, args);
    } finally {
      const ns = process.hrtime.bigint() - t0;
      let name = names.get(this.source);
      if (name === undefined) names.set(this.source, (name = `${method} ${nameOf(this.source)}`));
      const k = kinds.get(name) ?? { calls: 0, ns: 0n };
      k.calls++;
      k.ns += ns;
      kinds.set(name, k);
      if (method === 'run') walFrames();
    }
  };
}

const { startSmsc } = (await import(pathToFileURL(join(dist, 'index.js')).href)) as typeof import('@smppkit/smsc-sim');
const dir = mkdtempSync(join(tmpdir(), 'store-statements-'));
const smsc = await startSmsc({
  store: { path: join(dir, 'smsc.db') },
  accounts: [{ systemId: 'bench', password: 'bench', maxBinds: 10 }],
  defaultDelayMs: 0,
  logLevel: 'error',
});
const load = (ms: number) =>
  runLoadTest({
    urls: [`smpp://bench:bench@127.0.0.1:${smsc.port}`],
    binds: 1,
    window,
    mode: 'closed',
    durationMs: ms,
    dlr,
    receiptWaitMs: 10_000,
    messages: [{ from: 'LOADTEST', to: '4790000001', text: 'Your verification code is 123456.', dlr }],
  });
await load(Number(env.STMT_WARMUP_MS ?? 1000));
const dbPath = join(dir, 'smsc.db');
if (existsSync(`${dbPath}-shm`)) {
  shmFd = openSync(`${dbPath}-shm`, 'r');
  walFd = openSync(`${dbPath}-wal`, 'r');
  readSync(walFd, header, 0, 12, 0);
  pageSize = header.readUInt32BE(8);
  lastMx = mxFrame();
}
counting = true;
const r = await load(Number(env.STMT_DURATION_MS ?? 3000));
counting = false;
const n = dlr ? (r.receipts?.received ?? 0) : r.acknowledged;
/** the b-tree of each page written (dbstat, before close) */
const treeOf = new Map<number, string>();
let rowBytes: unknown = null;
if (shmFd >= 0) {
  const db = new Database(dbPath) as unknown as { prepare(sql: string): { all(): unknown[] }; close(): void };
  for (const p of db.prepare('SELECT pageno, name, pagetype FROM dbstat').all() as Array<{
    pageno: number;
    name: string;
    pagetype: string;
  }>)
    treeOf.set(p.pageno, p.pageno === 1 ? `${p.name} (page 1, file header)` : `${p.name} ${p.pagetype}`);
  // what a row of messages takes in its leaf: its cell (payload and its header) and its pointer
  rowBytes = db
    .prepare(
      "SELECT ROUND(SUM(payload) * 1.0 / SUM(ncell), 1) AS payload, ROUND((SUM(pgsize) - SUM(unused)) * 1.0 / SUM(ncell), 1) AS used, ROUND(AVG(LENGTH(m.pdu)), 1) AS pdu FROM dbstat d, (SELECT pdu FROM messages ORDER BY id DESC LIMIT 1000) m WHERE d.name = 'messages' AND d.pagetype = 'leaf'",
    )
    .all()[0];
  db.close();
  closeSync(shmFd);
  closeSync(walFd);
}
await smsc.close();
rmSync(dir, { recursive: true, force: true });

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
let calls = 0;
let ns = 0n;
for (const [name, k] of [...kinds].sort((a, b) => Number(b[1].ns - a[1].ns))) {
  calls += k.calls;
  ns += k.ns;
  const us = Number(k.ns) / 1000;
  process.stdout.write(
    `${JSON.stringify({ perMessage: round(k.calls / n, 4), usPerMessage: round(us / n), usPerCall: round(us / k.calls, 2), name })}\n`,
  );
}
const byTree = new Map<string, number>();
for (const [page, k] of framesOfPage) {
  const t = treeOf.get(page) ?? 'freed or past the end';
  byTree.set(t, (byTree.get(t) ?? 0) + k);
}
for (const [tree, k] of [...byTree].sort((a, b) => b[1] - a[1]))
  process.stdout.write(`${JSON.stringify({ walFramesPerMessage: round(k / n, 4), tree })}\n`);
if (rowBytes) process.stdout.write(`${JSON.stringify({ messagesRowBytes: rowBytes })}\n`);
process.stdout.write(
  `${JSON.stringify({ walFramesPerMessage: round(frames / n, 4), walBytesPerMessage: Math.round((frames * (24 + pageSize)) / n), framesPerAppend: round(frames / Math.max(1, appending), 2), messagesPerAppend: round(n / Math.max(1, appending), 1) })}\n`,
);
process.stdout.write(
  `${JSON.stringify({ messages: n, window, receipts: dlr, statementsPerMessage: round(calls / n), usPerMessage: round(Number(ns) / 1000 / n) })}\n`,
);
