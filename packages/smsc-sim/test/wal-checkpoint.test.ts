// The WAL stays bounded under steady writes: a store on a SQLite file with its Checkpointer takes commit after commit,
// one per event-loop turn as under load, and the -wal file never grows much past the point where the WAL restarts
// (a PASSIVE pass alone always finds frames written during it, so the WAL used to grow to the autocheckpoint's
// ~80 MB, and that checkpoint then ran on the event loop). Every row committed is there after a reopen.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { Checkpointer } from '../src/store/checkpointer.js';
import { MessageStore } from '../src/store/index.js';
import { messageRecord } from './records.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const PAGE = 4096;
const RESTART_PAGES = 128;

it('keeps the -wal file bounded under steady commits, and loses none of them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'smsc-wal-'));
  dirs.push(dir);
  const path = join(dir, 'smsc.db');
  const store = new MessageStore({ path });
  const errors: string[] = [];
  const ckpt = new Checkpointer(store, (m) => errors.push(m), { intervalMs: 5, restartPages: RESTART_PAGES });
  const body = Buffer.alloc(140, 0x41);
  const COMMITS = 6000;
  const PER_COMMIT = 20;
  let maxWal = 0;
  for (let c = 0; c < COMMITS; c++) {
    for (let i = 0; i < PER_COMMIT; i++)
      store.insert(messageRecord(store.allocateId(), { shortMessage: body, text: body.toString() }));
    store.flush();
    if (c % 10 === 0) maxWal = Math.max(maxWal, statSync(`${path}-wal`).size);
    await new Promise((r) => setImmediate(r));
  }
  const stats = await ckpt.stats();
  await ckpt.stop();
  // what went through the WAL: far more than the bound below (each commit appends its pages)
  const written = COMMITS * PER_COMMIT * (body.length + 100);
  expect(written).toBeGreaterThan(15 * 2 ** 20);
  expect(maxWal).toBeLessThan(16 * RESTART_PAGES * PAGE);
  expect(stats.finished).toBeGreaterThan(0);
  expect(errors).toEqual([]);
  store.close();
  const again = new MessageStore({ path });
  expect(again.count()).toBe(COMMITS * PER_COMMIT);
  again.close();
}, 60_000);
