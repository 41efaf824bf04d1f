// Which SQL statements the simulator runs per message, and what each kind costs: the simulator and `esme load` in
// this one process (window 100, receipts on by default), every better-sqlite3 statement's run/get/all counted and
// timed by its SQL (multi-row INSERTs by their row count), after a warm-up. One line per kind, sorted by time:
// calls per message, µs per message, µs per call; then the totals (main thread only: the checkpoint worker's
// statements are its own).
//   node --import tsx bench/store-statements.ts [distDir]
// distDir: a packages/smsc-sim/dist (default this checkout's). STMT_WINDOW (100), STMT_RECEIPTS (1),
// STMT_DURATION_MS (3000), STMT_WARMUP_MS (1000).
import { mkdtempSync, rmSync } from 'node:fs';
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
counting = true;
const r = await load(Number(env.STMT_DURATION_MS ?? 3000));
counting = false;
const n = dlr ? (r.receipts?.received ?? 0) : r.acknowledged;
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
process.stdout.write(
  `${JSON.stringify({ messages: n, window, receipts: dlr, statementsPerMessage: round(calls / n), usPerMessage: round(Number(ns) / 1000 / n) })}\n`,
);
