// A peer that sends and never reads costs the simulator a bounded amount (issue 13: ~43 MB per such connection
// before, 10 of them +420 MB before any bind, although maxPendingWriteBytes was 4 MiB: the answers were held one
// 16-octet Buffer each). The spawned CLI, 10 raw connections pipelining requests before a bind and reading nothing:
// every session's queued bytes stay within limits.unboundPendingWriteBytes (shown by /api/sessions), the process
// grows by far less, and once the peers read, every request has its one answer.
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { submitSmPdu } from './pdus.js';
import { cliBuilt, type SpawnedSim, spawnSim } from './spawn-sim.js';

let sim: SpawnedSim | undefined;
const sockets: net.Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  sim?.child.kill('SIGKILL');
  await sim?.exited;
  sim = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

/** Writes `chunk` until the socket's writes stop draining for a second (the simulator stopped reading); returns the count. */
async function writeUntilStalled(s: net.Socket, chunk: Buffer): Promise<number> {
  let chunks = 0;
  for (;;) {
    chunks++;
    if (!s.write(chunk)) {
      const drained = await Promise.race([
        new Promise<boolean>((r) => s.once('drain', () => r(true))),
        sleep(1000).then(() => false),
      ]);
      if (!drained) return chunks;
    }
  }
}

async function sessions(port: number): Promise<Array<{ pendingWriteBytes: number; peakPendingWriteBytes: number }>> {
  const r = await fetch(`http://127.0.0.1:${port}/api/sessions`);
  return ((await r.json()) as { sessions: never[] }).sessions;
}

describe.skipIf(!cliBuilt())('a peer that sends and never reads', () => {
  it('costs the spawned simulator a bounded amount; all its answers arrive once it reads', async () => {
    sim = await spawnSim(['--port', '0', '--http-port', '0', '--memory', '--log-level', 'warn']);
    const linux = process.platform === 'linux';
    const before = linux ? rssMb(sim.child.pid!) : 0;
    // 1,000 submit_sm per chunk, each answered ESME_RINVBNDSTS (not bound) with a 16-octet submit_sm_resp
    const perChunk = 1000;
    const chunk = Buffer.concat(Array.from({ length: perChunk }, (_, i) => submitSmPdu(i + 1)));
    const n = 10;
    for (let i = 0; i < n; i++) {
      const s = net.connect(sim.port, '127.0.0.1');
      s.on('error', () => {});
      await new Promise((r) => s.once('connect', r));
      s.pause(); // reads nothing
      sockets.push(s);
    }
    const written = await Promise.all(sockets.map((s) => writeUntilStalled(s, chunk)));
    const list = await sessions(sim.httpPort!);
    expect(list).toHaveLength(n);
    const bound = 64 * 1024; // limits.unboundPendingWriteBytes
    for (const s of list) {
      expect(s.peakPendingWriteBytes).toBeGreaterThan(bound / 2); // it did pile up, to the bound
      expect(s.peakPendingWriteBytes).toBeLessThanOrEqual(bound + 16); // and no further than one answer over
    }
    if (linux) expect(rssMb(sim.child.pid!) - before).toBeLessThan(100); // was +420 MB
    // now they read: every request gets its answer, and the simulator reads the rest
    const answers = sockets.map(() => 0);
    sockets.forEach((s, i) => {
      s.on('data', (d: Buffer) => (answers[i] += d.length / 16));
      s.resume();
    });
    const end = Date.now() + 60_000;
    while (answers.some((a, i) => a < written[i]! * perChunk) && Date.now() < end) await sleep(50);
    expect(answers).toEqual(written.map((w) => w * perChunk));
  }, 90_000);
});
