// A peer that sends and never reads costs the simulator a bounded amount (issue 13: ~43 MB per such connection
// before, 10 of them +420 MB before any bind, although maxPendingWriteBytes was 4 MiB: the answers were held one
// 16-octet Buffer each). The spawned CLI, 5 raw connections pipelining enquire_links and reading nothing: every
// session's queued bytes stay within limits.maxPendingWriteBytes (shown by /api/sessions), the process grows by far
// less, and once the peers read, every request has its one answer. (Before a bind, the same bound over real sockets:
// core's session-bounded.test.ts.)
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bindPdu, enquireLinkPdu } from './pdus.js';
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

/** Writes `chunk` whenever the socket takes more, until stop(); counts the chunks written. */
function pump(s: net.Socket, chunk: Buffer): { chunks: () => number; stop(): void } {
  let chunks = 0;
  let stopped = false;
  const more = () => {
    while (!stopped && !s.destroyed) {
      chunks++;
      if (!s.write(chunk)) {
        s.once('drain', more);
        return;
      }
    }
  };
  more();
  return { chunks: () => chunks, stop: () => (stopped = true) };
}

async function sessions(port: number): Promise<Array<{ pendingWriteBytes: number; peakPendingWriteBytes: number }>> {
  const r = await fetch(`http://127.0.0.1:${port}/api/sessions`);
  return ((await r.json()) as { sessions: never[] }).sessions;
}

describe.skipIf(!cliBuilt())('a peer that sends and never reads', () => {
  it('costs the spawned simulator a bounded amount; all its answers arrive once it reads', async () => {
    // bound sessions (no session-init timeout to race on a loaded machine), their bound set to the unbound default
    const dir = mkdtempSync(join(tmpdir(), 'smsc-bounded-'));
    const config = join(dir, 'c.yaml');
    writeFileSync(config, 'limits:\n  maxPendingWriteBytes: 65536\n');
    sim = await spawnSim(['--config', config, '--port', '0', '--http-port', '0', '--memory', '--log-level', 'warn']);
    const linux = process.platform === 'linux';
    const before = linux ? rssMb(sim.child.pid!) : 0;
    // 1,000 enquire_links per chunk, each answered with a 16-octet enquire_link_resp
    const perChunk = 1000;
    const chunk = Buffer.concat(Array.from({ length: perChunk }, (_, i) => enquireLinkPdu(i + 1)));
    const n = 5;
    for (let i = 0; i < n; i++) {
      const s = net.connect(sim.port, '127.0.0.1');
      s.on('error', () => {});
      await new Promise((r) => s.once('connect', r));
      s.write(bindPdu(1, `flood${i}`));
      await new Promise((r) => s.once('data', r)); // the bind_transceiver_resp (open mode: any credentials)
      s.pause(); // from here on reads nothing
      sockets.push(s);
    }
    const bound = 64 * 1024; // limits.maxPendingWriteBytes
    const pumps = sockets.map((s) => pump(s, chunk));
    // until every session has stopped reading: its answers piled up to the bound (shown by the admin API)
    let list = await sessions(sim.httpPort!);
    const until = Date.now() + 60_000;
    while (Date.now() < until && !(list.length === n && list.every((s) => s.pendingWriteBytes > bound / 2))) {
      await sleep(200);
      list = await sessions(sim.httpPort!);
    }
    for (const p of pumps) p.stop();
    const written = pumps.map((p) => p.chunks());
    list = await sessions(sim.httpPort!);
    expect(list).toHaveLength(n);
    for (const s of list) {
      expect(s.peakPendingWriteBytes).toBeGreaterThan(bound / 2); // it did pile up, to the bound
      expect(s.peakPendingWriteBytes).toBeLessThanOrEqual(bound + 16); // and no further than one answer over
    }
    if (linux) expect(rssMb(sim.child.pid!) - before).toBeLessThan(80); // was ~45 MB each: +225 MB
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
