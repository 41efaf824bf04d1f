// pnpm bench:smsc — prints JSON.
//  1. throughput: the npm smpp package's client submitting to this simulator (SQLite persistence on, temp file)
//     and to a minimal server built on the npm smpp package, same connections, window and message, in one run;
//     each server in its own process. Submits/s, the server's CPU time per submit, and the ratios.
//  2. scale (scale.ts): BENCH_BINDS (default 10,000) concurrent binds from lightweight raw clients, each doing a
//     submit_sm and an enquire_link: bind time, the simulator's RSS and heap per bind, all still bound after.
//  3. stored messages (BENCH_STORED, default 1,000,000; 1,000,000 and 10,000,000 with BENCH_ONLY_SCALE): a simulator
//     started on a SQLite file holding them, its RSS after the start and while serving submits, start time, query
//     times and a get by id.
//  4. BENCH_OWED (default 200,000; 200,000 and 1,000,000 with BENCH_ONLY_SCALE) receipts owed in a SQLite file: the
//     simulator's RSS before and after its start, and while a raw receiver takes them all (read back in pages).
//  1b. the same with BENCH_CLIENTS (default 3) npm smpp client processes driving each server at once: one npm smpp
//     client process saturates its own core before either server does, so with one client both servers run at the
//     client's pace; with several, the server is the bottleneck (each server's busy fraction says whether it was).
// Also each server's capacity: a client that costs next to nothing (pre-encoded, pipelined), so the server is the
// bottleneck; and sparse traffic: the same client with one submit outstanding (window 1), each submit alone through
// the server with a commit of its own. Knobs: BENCH_CONNECTIONS, BENCH_WINDOW, BENCH_SUBMITS, BENCH_CLIENTS,
// BENCH_BINDS, BENCH_STORED (counts, e.g. 1000000,10000000), BENCH_STORED_FILE (dir: keep and reuse those files),
// BENCH_SPARSE_SUBMITS (default 20000); BENCH_PROF=dir writes CPU profiles of the server
// processes; BENCH_ONLY_CAPACITY=1 runs only the simulator's capacity, BENCH_ONLY_SPARSE=1 only the window-1 runs,
// BENCH_ONLY_BINDS=1 only the binds, BENCH_ONLY_OWED=1 only the owed receipts, BENCH_ONLY_STORED=1 only the stored
// messages, BENCH_ONLY_SCALE=1 the three of them (one JSON line each); BENCH_SKIP_STORAGE=1 leaves them out.
//  4. flood (flood.ts): a good ESME's throughput alone vs with BENCH_HOSTILE (200) hostile connections, the ratio;
//     BENCH_ONLY_FLOOD=1 runs only this.

import net from 'node:net';
import { bindPdu, submitSmPdu } from '../test/pdus.js';
import { startChild, stopChild } from './children.js';
import { flood } from './flood.js';
import { binds, owed, stored } from './scale.js';
import { connectBound, drive as driveSubmits, MESSAGE } from './smpp-driver.js';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 2);
const WINDOW = Number(process.env.BENCH_WINDOW ?? 50);
const SUBMITS = Number(process.env.BENCH_SUBMITS ?? 100_000);
const WARMUP = 4_000;
const SCALE = !!process.env.BENCH_ONLY_SCALE;
const counts = (text: string) => text.split(',').map(Number);
// the scale run (BENCH_ONLY_SCALE) measures both counts of each, to show what grows with them and what does not
const STORED = counts(process.env.BENCH_STORED ?? (SCALE ? '1000000,10000000' : '1000000'));
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 3);
const OWED = counts(process.env.BENCH_OWED ?? (SCALE ? '200000,1000000' : '200000'));

/** Each connection keeps WINDOW submits outstanding until it has sent its share. */
async function drive(sessions: any[], total: number): Promise<{ seconds: number; errors: number }> {
  const t0 = process.hrtime.bigint();
  const errors = await driveSubmits(sessions, total, WINDOW);
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, errors };
}

async function throughput(kind: 'smsc-sim' | 'smpp-server') {
  const child = await startChild('./server-child.ts', [kind]);
  const sessions = await Promise.all(
    Array.from({ length: CONNECTIONS }, (_, i) => connectBound(child.port, `bench${i}`)),
  );
  await drive(sessions, WARMUP);
  await child.ask('mark');
  const clientMark = process.cpuUsage();
  const { seconds, errors } = await drive(sessions, SUBMITS);
  const clientCpu = process.cpuUsage(clientMark);
  const usage = await child.ask('usage');
  for (const s of sessions) s.destroy();
  await stopChild(child);
  return {
    server: kind,
    submits: SUBMITS,
    errors,
    seconds: +seconds.toFixed(3),
    submitsPerSecond: Math.round(SUBMITS / seconds),
    serverCpuMicrosPerSubmit: +((usage.cpuMs * 1000) / SUBMITS).toFixed(1),
    serverRssMb: Math.round(usage.rssMb),
    // share of the run the server spent on the CPU: well below 1 means the client, not the server, set the pace
    serverBusyFraction: +(usage.cpuMs / 1000 / seconds).toFixed(2),
    clientBusyFraction: +((clientCpu.user + clientCpu.system) / 1e6 / seconds).toFixed(2),
  };
}

/** BENCH_CLIENTS npm smpp client processes (CONNECTIONS connections, WINDOW each) driving one server together. */
async function multiClient(kind: 'smsc-sim' | 'smpp-server') {
  const child = await startChild('./server-child.ts', [kind]);
  const clients = await Promise.all(
    Array.from({ length: CLIENTS }, (_, i) =>
      startChild('./client-child.ts', [String(child.port), String(CONNECTIONS), String(WINDOW), `c${i}_`]),
    ),
  );
  const share = (n: number) => Math.ceil(n / CLIENTS);
  await Promise.all(clients.map((c) => c.ask({ go: share(WARMUP) } as never)));
  await child.ask('mark');
  const t0 = process.hrtime.bigint();
  const results: Array<{ seconds: number; errors: number; cpuMs: number }> = await Promise.all(
    clients.map((c) => c.ask({ go: share(SUBMITS) } as never)),
  );
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const usage = await child.ask('usage');
  for (const c of clients) await stopChild(c);
  await stopChild(child);
  const submits = share(SUBMITS) * CLIENTS;
  return {
    server: kind,
    submits,
    errors: results.reduce((a, r) => a + r.errors, 0),
    seconds: +seconds.toFixed(3),
    submitsPerSecond: Math.round(submits / seconds),
    serverCpuMicrosPerSubmit: +((usage.cpuMs * 1000) / submits).toFixed(1),
    serverBusyFraction: +(usage.cpuMs / 1000 / seconds).toFixed(2),
    // CPU of all client processes together per second of the run (2 = both cores)
    clientsBusyFraction: +(results.reduce((a, r) => a + r.cpuMs, 0) / 1000 / seconds).toFixed(2),
  };
}

/**
 * Server capacity: a client that costs next to nothing (pre-encoded submit_sm, pipelined RAW_WINDOW deep, written in
 * batches, responses only counted), so the server is the bottleneck. Same message.
 */
const RAW_WINDOW = 400;
async function capacity(kind: 'smsc-sim' | 'smpp-server') {
  const child = await startChild('./server-child.ts', [kind]);
  const socket = net.connect(child.port, '127.0.0.1');
  socket.setNoDelay(true);
  await new Promise((r) => socket.once('connect', r));
  const template = submitSmPdu(1, { short_message: Buffer.from(MESSAGE) });
  const bind = bindPdu(1, 'raw');
  let seq = 1;
  let answered = 0;
  let errors = 0;
  let pending: Buffer = Buffer.alloc(0);
  let onProgress: () => void = () => {};
  socket.on('data', (chunk: Buffer) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    let off = 0;
    while (pending.length - off >= 16) {
      const len = pending.readUInt32BE(off);
      if (pending.length - off < len) break;
      if (pending.readUInt32BE(off + 4) === 0x80000004) {
        answered++;
        if (pending.readUInt32BE(off + 8) !== 0) errors++;
      }
      off += len;
    }
    pending = pending.subarray(off);
    onProgress();
  });
  socket.write(bind);
  await new Promise((r) => setTimeout(r, 200));
  const total = SUBMITS;
  let sent = 0;
  const sendMore = () => {
    const n = Math.min(total - sent, RAW_WINDOW - (sent - answered));
    if (n <= 0) return;
    const buf = Buffer.allocUnsafe(template.length * n);
    for (let i = 0; i < n; i++) {
      template.copy(buf, i * template.length);
      buf.writeUInt32BE(++seq, i * template.length + 12);
    }
    sent += n;
    socket.write(buf);
  };
  await child.ask('mark');
  const t0 = process.hrtime.bigint();
  await new Promise<void>((resolve) => {
    onProgress = () => {
      if (answered >= total) resolve();
      else sendMore();
    };
    sendMore();
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const usage = await child.ask('usage');
  socket.destroy();
  await stopChild(child);
  return {
    server: kind,
    submits: total,
    errors,
    submitsPerSecond: Math.round(total / seconds),
    serverCpuMicrosPerSubmit: +((usage.cpuMs * 1000) / total).toFixed(1),
    serverBusyFraction: +(usage.cpuMs / 1000 / seconds).toFixed(2),
  };
}

/**
 * Sparse traffic: one submit outstanding at a time (window 1) from the same pre-encoded client, so every submit pays
 * the server's whole path alone (a read, the handler, a commit of its own, a write). Submits/s and the server's CPU
 * per submit: the part of issue 16 that batching cannot help.
 */
const SPARSE_SUBMITS = Number(process.env.BENCH_SPARSE_SUBMITS ?? 20_000);
async function sparse(kind: 'smsc-sim' | 'smpp-server') {
  const child = await startChild('./server-child.ts', [kind]);
  const socket = net.connect(child.port, '127.0.0.1');
  socket.setNoDelay(true);
  await new Promise((r) => socket.once('connect', r));
  const template = submitSmPdu(1, { short_message: Buffer.from(MESSAGE) });
  let seq = 1;
  let answered = 0;
  let errors = 0;
  let pending: Buffer = Buffer.alloc(0);
  let onAnswer: () => void = () => {};
  socket.on('data', (chunk: Buffer) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    let off = 0;
    while (pending.length - off >= 16) {
      const len = pending.readUInt32BE(off);
      if (pending.length - off < len) break;
      if (pending.readUInt32BE(off + 4) === 0x80000004) {
        answered++;
        if (pending.readUInt32BE(off + 8) !== 0) errors++;
        onAnswer();
      }
      off += len;
    }
    pending = pending.subarray(off);
  });
  socket.write(bindPdu(1, 'sparse'));
  await new Promise((r) => setTimeout(r, 200));
  const send = () => {
    const b = Buffer.from(template);
    b.writeUInt32BE(++seq, 12);
    socket.write(b);
  };
  const run = (n: number) =>
    new Promise<void>((resolve) => {
      const target = answered + n;
      onAnswer = () => (answered >= target ? resolve() : send());
      send();
    });
  await run(Math.min(WARMUP, SPARSE_SUBMITS));
  await child.ask('mark');
  const t0 = process.hrtime.bigint();
  await run(SPARSE_SUBMITS);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const usage = await child.ask('usage');
  socket.destroy();
  await stopChild(child);
  return {
    server: kind,
    submits: SPARSE_SUBMITS,
    errors,
    submitsPerSecond: Math.round(SPARSE_SUBMITS / seconds),
    serverCpuMicrosPerSubmit: +((usage.cpuMs * 1000) / SPARSE_SUBMITS).toFixed(1),
    serverBusyFraction: +(usage.cpuMs / 1000 / seconds).toFixed(2),
  };
}

/** Each count of a list like '1000000,10000000' in turn. */
async function each<T>(counts: number[], run: (n: number) => Promise<T>): Promise<T[]> {
  const out = [];
  for (const n of counts) out.push(await run(n));
  return out;
}
const storedMessages = () => each(STORED, stored);
const owedAtRestart = async () => (await each(OWED, owed)).map(({ case: _, ...r }) => r);

if (process.env.BENCH_ONLY_SCALE) {
  // one JSON line each, as it is measured
  const line = (r: object) => process.stdout.write(JSON.stringify(r) + '\n');
  line(await binds());
  for (const n of STORED) line(await stored(n));
  for (const n of OWED) line(await owed(n));
  process.exit(0);
}

if (process.env.BENCH_ONLY_FLOOD) {
  process.stdout.write(JSON.stringify({ flood: await flood(startChild, stopChild) }, null, 2) + '\n');
  process.exit(0);
}

if (process.env.BENCH_ONLY_SPARSE) {
  process.stdout.write(
    JSON.stringify({ smscSim: await sparse('smsc-sim'), smppServer: await sparse('smpp-server') }) + '\n',
  );
  process.exit(0);
}

if (process.env.BENCH_ONLY_OWED) {
  process.stdout.write(JSON.stringify({ owedReceiptsAtRestart: await owedAtRestart() }, null, 2) + '\n');
  process.exit(0);
}
if (process.env.BENCH_ONLY_STORED) {
  process.stdout.write(JSON.stringify({ storedMessages: await storedMessages() }, null, 2) + '\n');
  process.exit(0);
}
if (process.env.BENCH_ONLY_BINDS) {
  process.stdout.write(JSON.stringify(await binds(), null, 2) + '\n');
  process.exit(0);
}
if (process.env.BENCH_ONLY_CAPACITY) {
  process.stdout.write(JSON.stringify(await capacity('smsc-sim')) + '\n');
  process.exit(0);
}
const sim = await throughput('smsc-sim');
const ref = await throughput('smpp-server');
const multi = { smscSim: await multiClient('smsc-sim'), smppServer: await multiClient('smpp-server') };
const cap = { smscSim: await capacity('smsc-sim'), smppServer: await capacity('smpp-server') };
const sparseRuns = { smscSim: await sparse('smsc-sim'), smppServer: await sparse('smpp-server') };
const ratio = (a: { submitsPerSecond: number }, b: { submitsPerSecond: number }) =>
  +(a.submitsPerSecond / b.submitsPerSecond).toFixed(2);
const result = {
  benchmark: 'smsc-sim vs a minimal npm smpp server, both driven by the npm smpp client',
  machine: { cpus: (await import('node:os')).cpus().length, node: process.version },
  connections: CONNECTIONS,
  window: WINDOW,
  message: MESSAGE,
  persistence: 'SQLite file (WAL), every submit committed before its response',
  what: {
    smscSim_smppServer_ratio:
      'one npm smpp client process (CONNECTIONS connections, WINDOW each) driving each server: submits/s sim ÷ submits/s npm smpp server',
    multiClient: `${CLIENTS} npm smpp client processes at once (each CONNECTIONS connections, WINDOW each) driving each server`,
    sparse:
      'the same pre-encoded client with one submit outstanding (window 1): each submit alone through the server (its own commit)',
    capacity: `a pre-encoded pipelined client (${RAW_WINDOW} outstanding) that costs next to nothing: each server's own limit`,
    serverBusyFraction:
      'server CPU seconds per second of the run (1 = one core; above 1 = its SQLite checkpoint thread and GC too)',
  },
  smscSim: sim,
  smppServer: ref,
  ratio: ratio(sim, ref),
  serverCpuEfficiencyRatio: +(ref.serverCpuMicrosPerSubmit / sim.serverCpuMicrosPerSubmit).toFixed(2),
  multiClient: {
    clients: CLIENTS,
    connectionsPerClient: CONNECTIONS,
    window: WINDOW,
    ...multi,
    ratio: ratio(multi.smscSim, multi.smppServer),
  },
  capacity: { window: RAW_WINDOW, ...cap, ratio: ratio(cap.smscSim, cap.smppServer) },
  flood: await flood(startChild, stopChild),
  sparse: { window: 1, ...sparseRuns, ratio: ratio(sparseRuns.smscSim, sparseRuns.smppServer) },
  ...(process.env.BENCH_SKIP_STORAGE ? {} : { concurrentBinds: await binds(), storedMessages: await storedMessages() }),
  ...(process.env.BENCH_SKIP_STORAGE ? {} : { owedReceiptsAtRestart: await owedAtRestart() }),
};
process.stdout.write(JSON.stringify(result, null, 2) + '\n');
