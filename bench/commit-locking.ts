// One-row commits (window 1: each submit alone in its commit) through the message store, each store with its
// checkpointer as the simulator runs it, on two files in one process: one opened with the default locks, one with
// SMPPKIT_SQLITE_LOCKING=exclusive (SQLite's unix-excl VFS: no fcntl a commit). Rounds alternate; prints the
// process CPU per commit (user + system, the checkpoint workers' included) of each, rounds after the first.
//   node --import tsx bench/commit-locking.ts [rounds] [commitsPerRound]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Checkpointer } from '../packages/smsc-sim/src/store/checkpointer.js';
import { MessageStore } from '../packages/smsc-sim/src/store/index.js';
import { messageRecord } from '../packages/smsc-sim/test/records.js';

const ROUNDS = Number(process.argv[2] ?? 7);
const PER = Number(process.argv[3] ?? 5000);
const dir = mkdtempSync(join(tmpdir(), 'commit-locking-'));
const ENV = 'SMPPKIT_SQLITE_LOCKING';
const open = (name: string, exclusive: boolean) => {
  // read at each open (the first open with it set also turns URI filenames on: store/sqlite/driver.ts)
  if (exclusive) process.env[ENV] = 'exclusive';
  else delete process.env[ENV];
  const store = new MessageStore({ path: join(dir, name) });
  const ckpt = new Checkpointer(store, (m) => process.stderr.write(`checkpoint: ${m}\n`));
  return { store, ckpt };
};
const runs = { exclusive: open('exclusive.db', true), shared: open('shared.db', false) };
const body = Buffer.from('Your verification code is 123456');
const cpu: Record<string, number[]> = { shared: [], exclusive: [] };
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, { store }] of Object.entries(runs)) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < PER; i++) {
      const m = messageRecord(store.allocateId(), { shortMessage: body, text: body.toString(), dueAt: null });
      store.insert(m);
      store.flush();
    }
    const c = process.cpuUsage(c0);
    if (r > 0) cpu[name]!.push(+((c.user + c.system) / PER).toFixed(2));
    // a pause: the worker's checkpoints of this round are not billed to the next file's
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}
for (const { store, ckpt } of Object.values(runs)) {
  await ckpt.stop();
  store.close();
}
rmSync(dir, { recursive: true, force: true });
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
process.stdout.write(
  `${JSON.stringify({ usPerCommit: cpu, median: { shared: median(cpu.shared!), exclusive: median(cpu.exclusive!) } })}\n`,
);
