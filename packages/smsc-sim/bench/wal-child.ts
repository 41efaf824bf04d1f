// Steady writes through the message store on a SQLite file with its checkpointer, for how the WAL behaves: each
// event-loop turn inserts BATCH messages and commits them (as a loaded simulator does), for DURATION ms. Prints the
// -wal file's largest size, the longest commits (a commit that waited for a checkpoint), the event loop's longest
// delay and the process CPU per insert (the worker's checkpoints included). bench only: not run by CI.
//   node --import tsx bench/wal-child.ts <file.db> [durationMs] [batch]
import { statSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Checkpointer } from '../src/store/checkpointer.js';
import { MessageStore } from '../src/store/index.js';
import { messageRecord } from '../test/records.js';

const [path, durationText, batchText] = process.argv.slice(2);
const DURATION = Number(durationText ?? 5000);
const BATCH = Number(batchText ?? 50);

const store = new MessageStore({ path: path! });
const ckpt = new Checkpointer(store, (m) => process.stderr.write(`checkpoint: ${m}\n`));
const body = Buffer.from('Your verification code is 123456');
const commits: number[] = [];
let maxWal = 0;
let inserts = 0;
const eld = monitorEventLoopDelay({ resolution: 1 });
eld.enable();
const cpu0 = process.cpuUsage();
const t0 = Date.now();
await new Promise<void>((done) => {
  const turn = () => {
    for (let i = 0; i < BATCH; i++) {
      const id = store.allocateId();
      store.insert(messageRecord(id, { shortMessage: body, text: body.toString(), dueAt: null, state: 'DELIVERED' }));
    }
    inserts += BATCH;
    const t = process.hrtime.bigint();
    store.flush();
    commits.push(Number(process.hrtime.bigint() - t) / 1e3);
    if (commits.length % 20 === 0) maxWal = Math.max(maxWal, statSync(`${path}-wal`).size);
    if (Date.now() - t0 < DURATION) setImmediate(turn);
    else done();
  };
  turn();
});
const cpu = process.cpuUsage(cpu0);
const stats = await ckpt.stats();
await ckpt.stop();
store.close();
commits.sort((a, b) => a - b);
const q = (p: number) => +(commits[Math.min(commits.length - 1, Math.floor(commits.length * p))]! / 1000).toFixed(2);
process.stdout.write(
  `${JSON.stringify({
    inserts,
    commits: commits.length,
    maxWalMB: +(maxWal / 2 ** 20).toFixed(1),
    commitMs: { p50: q(0.5), p999: q(0.999), max: q(1) },
    commitsOver5ms: commits.filter((c) => c > 5000).length,
    loopDelayMaxMs: +(eld.max / 1e6).toFixed(1),
    cpuUsPerInsert: { user: +(cpu.user / inserts).toFixed(2), system: +(cpu.system / inserts).toFixed(2) },
    checkpointer: stats,
  })}\n`,
);
