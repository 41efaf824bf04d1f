// For exclusive-locking.test.ts: one-row commits (as at window 1) through the message store and its checkpointer
// on a file, with restarts due every 64 WAL frames, until the main connection has finished 3 checkpoints and 2,000
// commits are in (or 20,000 commits). Prints the checkpointer's stats, the largest -wal file seen and whether a
// -shm file was there.
//   node --import tsx test/exclusive-child.ts <file.db>
import { existsSync, statSync } from 'node:fs';
import { Checkpointer } from '../src/store/checkpointer.js';
import { MessageStore } from '../src/store/index.js';
import { messageRecord } from './records.js';

const path = process.argv[2]!;
const store = new MessageStore({ path });
const ckpt = new Checkpointer(store, (m) => process.stderr.write(`checkpoint: ${m}\n`), {
  intervalMs: 5,
  restartPages: 64,
  catchUpFrames: 8,
});
let maxWal = 0;
let shm = false;
let commits = 0;
for (;;) {
  for (let i = 0; i < 100; i++) {
    store.insert(messageRecord(store.allocateId(), { dueAt: null, state: 'DELIVERED' }));
    store.flush();
    commits++;
    // a turn between commits: the worker's messages (ask the main connection to finish) come in
    await new Promise((r) => setImmediate(r));
  }
  maxWal = Math.max(maxWal, statSync(`${path}-wal`).size);
  shm ||= existsSync(`${path}-shm`);
  if (((await ckpt.stats()).finished >= 3 && commits >= 2000) || commits >= 20_000) break;
}
const stats = await ckpt.stats();
await ckpt.stop();
store.close();
process.stdout.write(`${JSON.stringify({ commits, maxWal, shm, stats })}\n`);
