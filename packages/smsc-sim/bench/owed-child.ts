// 'fill': fills a SQLite store with N delivered messages whose receipts are still owed (as after a restart with the
// ESME away). 'start' (in a fresh process): starts the simulator on it and reports its RSS before and after the
// start; then, while the parent's receiver takes every receipt, the peak RSS. What is owed is read back in pages.

// the simulator as built (dist/, what the CLI runs; scripts/run.mjs bench builds first), not its source through tsx,
// whose keepNames gives every closure a property array: +0.6 KB of heap a connection in the binds case
import { startSmsc } from '@smppkit/smsc-sim';
import { MessageStore } from '../src/store/index.js';
import { messageRecord } from '../test/records.js';

const [path, nText] = process.argv.slice(2);
const n = Number(nText);
const mb = () => process.memoryUsage().rss / 2 ** 20;
const heapMb = () => process.memoryUsage().heapUsed / 2 ** 20;
let peak = 0;
let peakHeap = 0;
let close = async () => {};

function fill() {
  const t0 = Date.now();
  const store = new MessageStore({ path });
  const now = Date.now();
  const body = Buffer.from('Your verification code is 123456');
  for (let i = 0; i < n; i++) {
    const id = store.allocateId();
    store.insert(
      messageRecord(id, {
        systemId: 'owed',
        sourceAddr: '12345',
        destAddr: `4479${String(i % 1_000_000).padStart(7, '0')}`,
        shortMessage: body,
        text: 'Your verification code is 123456',
        submittedAt: now - (n - i),
        expireAt: now + 86_400_000,
        state: 'DELIVERED',
        doneAt: now,
        dueAt: null,
      }),
    );
    if (i % 20_000 === 19_999) store.flush();
  }
  store.close();
  return { filled: n, fillSeconds: +((Date.now() - t0) / 1000).toFixed(1) };
}

async function start() {
  global.gc?.();
  const before = mb();
  const t0 = Date.now();
  const sim = await startSmsc({ port: 0, store: { path }, logLevel: 'silent' });
  const startSeconds = (Date.now() - t0) / 1000;
  const after = mb();
  const heapAfter = heapMb();
  peak = after;
  peakHeap = heapAfter;
  const t = setInterval(() => {
    peak = Math.max(peak, mb());
    peakHeap = Math.max(peakHeap, heapMb());
  }, 50);
  close = async () => {
    clearInterval(t);
    await sim.close();
  };
  return {
    port: sim.port,
    owed: sim.smsc.delivery.depth().receipts,
    rssMbBefore: Math.round(before),
    rssMbAfterStart: Math.round(after),
    heapMbAfterStart: Math.round(heapAfter),
    simStartSeconds: +startSeconds.toFixed(2),
  };
}

process.on('message', async (m: string) => {
  if (m === 'fill') process.send!(fill());
  if (m === 'start') process.send!(await start());
  if (m === 'usage')
    process.send!({ rssMb: Math.round(mb()), peakRssMb: Math.round(peak), peakHeapMb: Math.round(peakHeap) });
  if (m === 'stop') {
    await close();
    process.exit(0);
  }
});
process.send!({ port: 0 });
