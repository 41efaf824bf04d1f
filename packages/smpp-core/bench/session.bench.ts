// Session round trips over loopback: an ESME keeps WINDOW submit_sm outstanding against an MC that answers each
// at once; both ends in this process. Ours (Session) vs the npm `smpp` package (its Session/Server, no window of
// its own: the same WINDOW is kept by the driver). Prints JSON with submit_sm round trips per second and the ratio.
//   node --import tsx packages/smpp-core/bench/session.bench.ts

import { once } from 'node:events';
import { createRequire } from 'node:module';
import net from 'node:net';
import { Session } from '../src/index.js';

const require = createRequire(import.meta.url);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const smpp = require('smpp') as any;

const WINDOW = Number(process.env.BENCH_WINDOW ?? 100);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 500);
const RUN_MS = Number(process.env.BENCH_RUN_MS ?? 3000);
const TEXT = 'Your verification code is 482913. It expires in 10 minutes. Do not share it.';

/** Keeps WINDOW requests in flight for warm-up + run; returns completed round trips per second of the run. */
function drive(send: (done: () => void) => void): Promise<number> {
  return new Promise((resolve) => {
    let counting = false;
    let count = 0;
    let stopped = false;
    const next = () => {
      if (counting) count++;
      if (!stopped) send(next);
    };
    const t0 = performance.now();
    setTimeout(() => {
      counting = true;
      const start = performance.now();
      setTimeout(() => {
        stopped = true;
        resolve(count / ((performance.now() - start) / 1000));
      }, RUN_MS);
    }, WARMUP_MS);
    for (let i = 0; i < WINDOW; i++) send(next);
    void t0;
  });
}

async function ours(): Promise<number> {
  const server = net.createServer((socket) => {
    const mc = new Session(socket, { role: 'mc', windowSize: WINDOW, enquireLinkIntervalMs: 0 });
    let id = 0;
    mc.on('request', (pdu) => {
      if (pdu.command === 'submit_sm') mc.respond(pdu, { message_id: String(++id) });
      else if (pdu.command === 'bind_transceiver') mc.respond(pdu, { system_id: 'SMSC' });
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const socket = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  await once(socket, 'connect');
  const esme = new Session(socket, { role: 'esme', windowSize: WINDOW, enquireLinkIntervalMs: 0 });
  await esme.bind({ type: 'transceiver', system_id: 'bench', password: 'pw' });
  const short_message = Buffer.from(TEXT);
  const rate = await drive((done) => {
    esme
      .request({
        command: 'submit_sm',
        source_addr: 'ACME',
        destination_addr: '447700900123',
        registered_delivery: 1,
        short_message,
      })
      .then(done, () => {});
  });
  await esme.unbind();
  server.close();
  return rate;
}

async function theirs(): Promise<number> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const server = smpp.createServer((session: any) => {
    let id = 0;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    session.on('bind_transceiver', (pdu: any) => session.send(pdu.response({ system_id: 'SMSC' })));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    session.on('submit_sm', (pdu: any) => session.send(pdu.response({ message_id: String(++id) })));
    session.on('error', () => {});
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const session = smpp.connect({ host: '127.0.0.1', port: server.address().port });
  session.on('error', () => {});
  await once(session, 'connect');
  await new Promise<void>((resolve) =>
    session.bind_transceiver({ system_id: 'bench', password: 'pw' }, () => resolve()),
  );
  const rate = await drive((done) => {
    session.submit_sm(
      { source_addr: 'ACME', destination_addr: '447700900123', registered_delivery: 1, short_message: TEXT },
      () => done(),
    );
  });
  session.destroy();
  server.close();
  return rate;
}

const only = process.env.BENCH_ONLY; // 'ours' | 'smpp' (for profiling one side)
const smppRate = only === 'ours' ? NaN : await theirs();
const ourRate = only === 'smpp' ? NaN : await ours();
console.log(
  JSON.stringify(
    {
      benchmark: 'session submit_sm round trips over loopback, both ends in one process',
      window: WINDOW,
      runMs: RUN_MS,
      ours: { roundTripsPerSec: Math.round(ourRate) },
      smpp: { roundTripsPerSec: Math.round(smppRate) },
      ratio: Number((ourRate / smppRate).toFixed(2)),
    },
    null,
    2,
  ),
);
