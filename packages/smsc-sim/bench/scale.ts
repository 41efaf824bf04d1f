// The scale cases of bench:smsc (issue 16: 10,000 concurrent binds and 10 million stored messages, RSS and start-up
// reported and bounded; memory must not grow with the number of stored or owed messages). Each prints one JSON line
// when run alone (BENCH_ONLY_SCALE=1, smsc.bench.ts).
//  - binds: BENCH_BINDS (default 10,000) connections from BENCH_BIND_CLIENTS (2) client processes that cost next to
//    nothing (binds-child.ts: pre-encoded PDUs, header-only parsing), each bound session doing a submit_sm and an
//    enquire_link; then one more enquire_link on every session (all still bound). The simulator's RSS and heap
//    after a full collection before and after, per bind, and its CPU per bind. BENCH_HEAP_SNAPSHOT=path: heap
//    snapshots of the simulator before (path.before) and with them all bound (bench/heap-summary.ts compares them).
//  - stored: each count of BENCH_STORED (a simulator started on a file holding that many messages; million-child.ts).
//  - owed: each count of BENCH_OWED receipts owed at a restart, taken by a raw receiver (owed-child.ts).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bindPdu } from '../test/pdus.js';
import { type Child, startChild, stopChild } from './children.js';
import { connectBound, drive } from './smpp-driver.js';

const BINDS = Number(process.env.BENCH_BINDS ?? 10_000);
const BIND_CLIENTS = Number(process.env.BENCH_BIND_CLIENTS ?? 2);
/** accounts the binds spread over (esme0 … esme99) */
const BIND_ACCOUNTS = 100;
const SERVE_SUBMITS = 50_000;
const mb = (x: number) => Math.round(x);

/** open files a process holding `sockets` sockets needs (its own files, SQLite's, node's, with room) */
const filesFor = (sockets: number) => sockets + 1000;

/** The kernel's count of connections dropped at a full listen backlog (Linux; null elsewhere), every process's. */
function listenOverflows(): number | null {
  if (!existsSync('/proc/net/netstat')) return null;
  const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n');
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const names = lines[i]!.split(' ');
    const at = names.indexOf('ListenOverflows');
    if (at > 0) return Number(lines[i + 1]!.split(' ')[at]);
  }
  return null;
}

export async function binds(n = BINDS) {
  const server = await startChild('./server-child.ts', ['smsc-sim'], { files: filesFor(n) });
  const share = (k: number) => Math.floor(n / BIND_CLIENTS) + (k < n % BIND_CLIENTS ? 1 : 0);
  const clients = await Promise.all(
    Array.from({ length: BIND_CLIENTS }, (_, k) => startChild('./binds-child.ts', [], { files: filesFor(share(k)) })),
  );
  try {
    const snapshot = process.env.BENCH_HEAP_SNAPSHOT;
    if (snapshot) await server.ask({ snapshot: `${snapshot}.before` });
    const before = await server.ask('memory');
    await server.ask('mark');
    const overflows = listenOverflows();
    const t0 = process.hrtime.bigint();
    const runs: any[] = await Promise.all(
      clients.map((c, k) =>
        c.ask({ go: { port: server.port, count: share(k), prefix: 'esme', accounts: BIND_ACCOUNTS } }),
      ),
    );
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const overflowed = overflows === null ? null : listenOverflows()! - overflows;
    const cpu = await server.ask('usage');
    const after = await server.ask('memory');
    const checks: any[] = await Promise.all(clients.map((c) => c.ask('check')));
    if (snapshot) await server.ask({ snapshot });
    const sum = (k: string, xs: any[] = runs) => xs.reduce((a, r) => a + r[k], 0);
    return {
      case: 'binds',
      binds: n,
      clientProcesses: BIND_CLIENTS,
      bound: sum('bound'),
      bindFailed: sum('bindFailed'),
      connectFailed: sum('connectFailed'),
      submitsAccepted: sum('submitted'),
      submitsRefused: sum('submitFailed'),
      enquireLinksAnswered: sum('enquired'),
      // one more enquire_link on every session after all were bound: answered by each, none closed
      stillBound: { answered: sum('answered', checks), closedByServer: sum('closedByServer', checks) },
      simBoundSessions: after.bound,
      secondsToBindAll: +Math.max(...runs.map((r) => r.bindSeconds)).toFixed(2),
      secondsToBindSubmitEnquireAll: +seconds.toFixed(2),
      simCpuMicrosPerBind: Math.round((cpu.cpuMs * 1000) / n),
      clientsCpuMicrosPerBind: Math.round((sum('cpuMs') * 1000) / n),
      // connections the kernel dropped at a full listen backlog meanwhile (any process's; 0: no SYN retry in the time)
      listenOverflows: overflowed,
      simRssMbBefore: mb(before.rssMb),
      simRssMbWithBinds: mb(after.rssMb),
      simHeapMbBefore: mb(before.heapMb),
      simHeapMbWithBinds: mb(after.heapMb),
      simRssKbPerBind: +(((after.rssMb - before.rssMb) * 1024) / n).toFixed(1),
      simHeapKbPerBind: +(((after.heapMb - before.heapMb) * 1024) / n).toFixed(2),
      simExternalKbPerBind: +(((after.externalMb - before.externalMb) * 1024) / n).toFixed(2),
    };
  } finally {
    for (const c of clients) await stopChild(c);
    await stopChild(server);
  }
}

/**
 * n stored messages: a simulator started on a file holding them, its RSS before / after the start and while
 * serving submits, start time, query times. BENCH_STORED_FILE=dir: the files are kept there (stored-N.db) and
 * reused (a file cut short is filled on from where it stopped), so 10,000,000 rows are written once.
 */
export async function stored(n: number) {
  const keep = process.env.BENCH_STORED_FILE;
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'smsc-million-'));
  try {
    const args = [join(dir, `stored-${n}.db`), String(n)];
    const filler = await startChild('./million-child.ts', args);
    const filled = await filler.ask('fill');
    await stopChild(filler);
    // the first start after the rows were written reads them once (settled.ts); a restart reads what is above the mark
    const first = await startChild('./million-child.ts', args);
    const firstStart = await first.ask('start');
    await stopChild(first);
    const child = await startChild('./million-child.ts', args);
    const started = await child.ask('start');
    const queries = await child.ask('queries');
    const sessions = await Promise.all([0, 1].map((i) => connectBound(started.port, `stored${i}`)));
    const t0 = process.hrtime.bigint();
    const errors = await drive(sessions, SERVE_SUBMITS, 50);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const usage = await child.ask('usage');
    for (const s of sessions) s.destroy();
    await stopChild(child);
    return {
      case: 'stored',
      messages: n,
      ...filled,
      firstStart: {
        simStartSeconds: firstStart.simStartSeconds,
        rssMbBefore: firstStart.rssMbBefore,
        rssMbAfterStart: firstStart.rssMbAfterStart,
      },
      rssMbBefore: started.rssMbBefore,
      rssMbAfterStart: started.rssMbAfterStart,
      heapMbAfterStart: started.heapMbAfterStart,
      simStartSeconds: started.simStartSeconds,
      queries,
      served: { submits: SERVE_SUBMITS, errors, submitsPerSecond: Math.round(SERVE_SUBMITS / seconds) },
      rssMbWhileServing: usage.rssMb,
      rssMbPeak: usage.peakRssMb,
    };
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A receiver that costs next to nothing: binds as a receiver and answers every deliver_sm with a pre-encoded
 * deliver_sm_resp (its sequence number written in), header-only parsing; resolves once n have arrived.
 */
export async function receiveRaw(port: number, systemId: string, n: number): Promise<number> {
  const socket = net.connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  await new Promise((r) => socket.once('connect', r));
  let got = 0;
  let pending: Buffer | null = null;
  const done = new Promise<void>((resolve, reject) => {
    socket.once('close', () => reject(new Error(`receiver closed after ${got} of ${n}`)));
    socket.on('data', (chunk: Buffer) => {
      const buf: Buffer = pending ? Buffer.concat([pending, chunk]) : chunk;
      let off = 0;
      let answers = 0;
      const out = Buffer.allocUnsafe(Math.ceil(buf.length / 16) * 17);
      while (buf.length - off >= 16) {
        const len = buf.readUInt32BE(off);
        if (buf.length - off < len) break;
        if (buf.readUInt32BE(off + 4) === 0x00000005) {
          const at = answers++ * 17;
          out.writeUInt32BE(17, at);
          out.writeUInt32BE(0x80000005, at + 4);
          out.writeUInt32BE(0, at + 8);
          out.writeUInt32BE(buf.readUInt32BE(off + 12), at + 12);
          out[at + 16] = 0;
          got++;
        }
        off += len;
      }
      pending = off < buf.length ? Buffer.from(buf.subarray(off)) : null;
      if (answers) socket.write(out.subarray(0, answers * 17));
      if (got >= n) resolve();
    });
  });
  socket.write(bindPdu(1, systemId, 'pw', 'bind_receiver'));
  await done.finally(() => socket.destroy());
  return got;
}

/** n receipts owed at a restart: RSS before and after the start, and its peak while a raw receiver takes them all. */
export async function owed(n: number) {
  const dir = mkdtempSync(join(tmpdir(), 'smsc-owed-'));
  try {
    const args = [join(dir, 'owed.db'), String(n)];
    const filler = await startChild('./owed-child.ts', args);
    const filled = await filler.ask('fill');
    await stopChild(filler);
    const child: Child = await startChild('./owed-child.ts', args);
    const started = await child.ask('start');
    const t0 = process.hrtime.bigint();
    await receiveRaw(started.port, 'owed', n);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const usage = await child.ask('usage');
    await stopChild(child);
    return {
      case: 'owed',
      owed: started.owed,
      ...filled,
      rssMbBefore: started.rssMbBefore,
      rssMbAfterStart: started.rssMbAfterStart,
      heapMbAfterStart: started.heapMbAfterStart,
      simStartSeconds: started.simStartSeconds,
      secondsToDeliverAll: +seconds.toFixed(2),
      receiptsPerSecond: Math.round(n / seconds),
      rssMbPeakWhileDelivering: usage.peakRssMb,
      heapMbPeakWhileDelivering: usage.peakHeapMb,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
