// Fills a SQLite store with N delivered messages and their acknowledged receipts (through the store's batched writes), then starts the simulator on it and
// reports its RSS and how long typical queries take — the store stays on disk, memory stays bounded.

import { startSmsc } from '../src/index.js';
import { MessageStore } from '../src/store/index.js';
import { messageRecord } from '../test/records.js';

const [path, nText] = process.argv.slice(2);
const n = Number(nText);

async function run() {
  const t0 = Date.now();
  const store = new MessageStore({ path });
  const now = Date.now();
  const body = Buffer.from('Your verification code is 123456');
  for (let i = 0; i < n; i++) {
    const id = store.allocateId();
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
    store.insert(m);
    // delivered and its receipt acknowledged, as after real traffic (a receipt still owed would be sent on start)
    const receipt = store.enqueueOutbox('receipt', id, m.systemId, now);
    receipt.status = 'acked';
    receipt.attempts = 1;
    store.setOutboxStatus(receipt);
    if (i % 20_000 === 19_999) store.flush();
  }
  store.close();
  const fillSeconds = (Date.now() - t0) / 1000;
  const fillRss = process.memoryUsage().rss / 2 ** 20;
  global.gc?.();
  const t1 = Date.now();
  const sim = await startSmsc({ port: 0, store: { path }, logLevel: 'silent' });
  const startSeconds = (Date.now() - t1) / 1000;
  const q = (f: Parameters<typeof sim.smsc.messages>[0]) => {
    const t = process.hrtime.bigint();
    const r = sim.smsc.messages(f);
    return { total: r.total, returned: r.messages.length, ms: +(Number(process.hrtime.bigint() - t) / 1e6).toFixed(1) };
  };
  const byNumber = q({ to: '44790500000', limit: 10 });
  const newest = q({ limit: 100 });
  const byAccount = q({ systemId: 'acct7', limit: 100 });
  const rss = process.memoryUsage().rss / 2 ** 20;
  await sim.close();
  return {
    messages: n,
    fillSeconds: +fillSeconds.toFixed(1),
    insertsPerSecond: Math.round(n / fillSeconds),
    rssMbAfterFill: Math.round(fillRss),
    simStartSeconds: +startSeconds.toFixed(2),
    simRssMbWithStore: Math.round(rss),
    queries: { newest100: newest, byDestination: byNumber, byAccountTotal: byAccount },
  };
}

process.on('message', async (m: string) => {
  if (m === 'run') process.send!(await run());
  if (m === 'stop') process.exit(0);
});
process.send!({ port: 0 });
