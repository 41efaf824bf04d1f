// A server for the benchmark, in its own process so that it and the client each have a core:
//   smsc-sim     the simulator with its SQLite store on a temp file (persistence on)
//   smpp-server  a minimal server built on the npm smpp package (binds, answers submit_sm with an id)
// Reports its port over IPC, then its CPU time and RSS when asked; 'memory' (the scale cases): RSS and heap after a
// full collection, and the sessions bound; {snapshot: path} writes a heap snapshot there.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import v8 from 'node:v8';
// the simulator as built (dist/, what the CLI runs; scripts/run.mjs bench builds first), not its source through tsx,
// whose keepNames gives every closure a property array: +0.6 KB of heap a connection in the binds case.
// BENCH_SIM=path/to/dist/index.js: another build of it (A/B against another worktree in the same run).
import type { startSmsc as StartSmsc } from '@smppkit/smsc-sim';

import smpp from 'smpp';

const { startSmsc }: { startSmsc: typeof StartSmsc } = await import(process.env.BENCH_SIM ?? '@smppkit/smsc-sim');

const kind = process.argv[2];
const dir = mkdtempSync(join(tmpdir(), 'smsc-bench-'));
let close: () => Promise<void>;
let port: number;
let bound = () => 0;

if (kind === 'smsc-sim') {
  const sim = await startSmsc({
    port: 0,
    store: { path: join(dir, 'bench.db') },
    logLevel: 'silent',
    defaultDelayMs: 50,
    // every bench bind comes from 127.0.0.1, thousands at once (BENCH_BINDS)
    limits: { unboundPerSource: 0 },
  });
  port = sim.port;
  close = () => sim.close();
  bound = () => {
    let n = 0;
    for (const c of sim.smsc.connections.values()) if (c.session.state.startsWith('BOUND')) n++;
    return n;
  };
} else {
  let id = 0;
  const server = smpp.createServer((s: any) => {
    s.on('error', () => {});
    for (const b of ['bind_transceiver', 'bind_transmitter', 'bind_receiver', 'enquire_link'])
      s.on(b, (pdu: any) => s.send(pdu.response()));
    s.on('submit_sm', (pdu: any) => s.send(pdu.response({ message_id: String(++id) })));
    s.on('unbind', (pdu: any) => {
      s.send(pdu.response());
      s.close();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = server.address().port;
  close = () => new Promise<void>((r) => server.close(() => r()));
}

let mark = process.cpuUsage();
process.on('message', async (m: string | { snapshot: string }) => {
  if (typeof m === 'object') {
    global.gc?.();
    v8.writeHeapSnapshot(m.snapshot);
    process.send!({ ok: true });
  }
  if (m === 'memory') {
    global.gc?.();
    const u = process.memoryUsage();
    process.send!({
      rssMb: u.rss / 2 ** 20,
      heapMb: u.heapUsed / 2 ** 20,
      externalMb: u.external / 2 ** 20,
      bound: bound(),
    });
  }
  if (m === 'mark') {
    mark = process.cpuUsage();
    process.send!({ ok: true });
  }
  if (m === 'usage') {
    const u = process.cpuUsage(mark);
    process.send!({ cpuMs: (u.user + u.system) / 1000, rssMb: process.memoryUsage().rss / 2 ** 20 });
  }
  if (m === 'stop') {
    await close();
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  }
});
process.send!({ port });
