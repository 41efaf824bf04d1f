// The first start after rows were written under load (issue 16, scale): a store on a SQLite file with its
// checkpoint worker, as the simulator runs it, takes N delivered messages, each with its receipt acknowledged at
// the first attempt, a few hundred a commit, one commit per event-loop turn: the file is never idle for the
// worker's 100 ms, so only the backlog bound (store/settled.ts) moves the settled mark up meanwhile. The store is
// then closed at once, and a fresh process opens it: that open's scan (every row above the mark) is the first start's
// cost. Prints one JSON line.
//   node --import tsx bench/settle-load.ts N [backlog] [dir]    (default 2,000,000 rows; backlog: the store's default)
// SETTLE_LOAD_LIB=dir: the store as built elsewhere (a dist/ directory, e.g. of the commit before) for an A/B.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { messageRecord } from '../test/records.js';

const lib = process.env.SETTLE_LOAD_LIB;
const { Checkpointer } = (await import(
  lib ? `${lib}/store/checkpointer.js` : '../src/store/checkpointer.js'
)) as typeof import('../src/store/checkpointer.js');
const { MessageStore } = (await import(
  lib ? `${lib}/store/index.js` : '../src/store/index.js'
)) as typeof import('../src/store/index.js');
const { prepareSqlDriver } = (await import(
  lib ? `${lib}/store/sqlite/driver.js` : '../src/store/sqlite/driver.js'
)) as typeof import('../src/store/sqlite/driver.js');

const [mode, ...args] = process.argv.slice(2);
const PER_TURN = 500;

async function fill(path: string, n: number, backlog: number | undefined) {
  await prepareSqlDriver(path);
  const store = new MessageStore(backlog === undefined ? { path } : { path, settleBacklog: backlog });
  const errors: string[] = [];
  const ckpt = new Checkpointer(store, (m) => errors.push(m));
  const body = Buffer.from('Your verification code is 123456');
  const t0 = Date.now();
  const cpu0 = process.cpuUsage();
  let maxBehind = 0;
  while (store.lastId < n) {
    const now = Date.now();
    for (let i = 0; i < PER_TURN && store.lastId < n; i++) {
      const id = store.allocateId();
      store.insert(
        messageRecord(id, {
          systemId: `acct${id % 20}`,
          sourceAddr: '12345',
          destAddr: `4479${String(id % 1_000_000).padStart(7, '0')}`,
          shortMessage: body,
          text: 'Your verification code is 123456',
          submittedAt: now,
          expireAt: now + 86_400_000,
          state: 'DELIVERED',
          doneAt: now,
          dueAt: null,
        }),
      );
      const r = store.enqueueOutbox('receipt', id, `acct${id % 20}`, now);
      r.status = 'acked';
      r.attempts = 1;
      store.setOutboxStatus(r);
    }
    store.flush();
    const behind = store.committedThrough - store.settled.through;
    if (behind > maxBehind) maxBehind = behind;
    await new Promise((r) => setImmediate(r));
  }
  const seconds = (Date.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const through = store.settled.through;
  await ckpt.stop();
  store.close();
  return {
    rows: n,
    fillSeconds: +seconds.toFixed(1),
    rowsPerSecond: Math.round(n / seconds),
    fillCpuUsPerRow: +((cpu.user + cpu.system) / n).toFixed(2),
    markAtClose: through,
    aboveMarkAtClose: n - through,
    maxAboveMark: maxBehind,
    errors,
  };
}

async function open(path: string) {
  await prepareSqlDriver(path);
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const store = new MessageStore({ path });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  const r = { openSeconds: +(ms / 1000).toFixed(2), openCpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(2) };
  store.close();
  return r;
}

if (mode === 'fill') {
  const [path, n, backlog] = args;
  console.log(JSON.stringify(await fill(path!, Number(n), backlog ? Number(backlog) : undefined)));
} else if (mode === 'open') {
  console.log(JSON.stringify(await open(args[0]!)));
} else {
  const n = Number(mode ?? 2_000_000);
  const backlog = args[0];
  const dir = args[1] ?? mkdtempSync(join(tmpdir(), 'settle-load-'));
  const path = join(dir, 'settle.db');
  const self = fileURLToPath(import.meta.url);
  const run = (...a: string[]) => {
    const r = spawnSync(process.execPath, [...process.execArgv, self, ...a], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${a[0]}: ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
  };
  try {
    const filled = run('fill', path, String(n), ...(backlog ? [backlog] : []));
    const first = run('open', path);
    console.log(
      JSON.stringify({
        case: 'settle-load',
        backlog: backlog ? Number(backlog) : 'default',
        ...filled,
        firstStart: first,
      }),
    );
  } finally {
    if (!args[1]) rmSync(dir, { recursive: true, force: true });
  }
}
