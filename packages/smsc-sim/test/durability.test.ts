// An acknowledged message survives kill -9: a child simulator on a SQLite file acknowledges submits and is killed
// with SIGKILL mid-stream; a new process on the same file has every acknowledged message and delivers every
// pending receipt when the ESME binds again.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boundPeer, type Peer } from './smpp-peer.js';
import { CLI, cliBuilt, type SpawnedSim, spawnSim } from './spawn-sim.js';

let dir: string;
const children: SpawnedSim[] = [];
const peers: Peer[] = [];

beforeAll(() => {
  if (!cliBuilt()) throw new Error(`${CLI} is missing: build first (node_modules/.bin/tsc -b packages/smsc-sim)`);
  dir = mkdtempSync(join(tmpdir(), 'smsc-durable-'));
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({
      accounts: [{ systemId: 'durable', password: 'pw', window: 1000 }],
      defaultDelayMs: 30,
    }),
  );
});

afterAll(() => {
  for (const p of peers) p.close();
  for (const c of children) c.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('durability', () => {
  it('keeps every acknowledged message and its receipt across SIGKILL', async () => {
    const args = [
      '--config',
      join(dir, 'config.json'),
      '--db',
      join(dir, 'smsc.db'),
      '--port',
      '0',
      '--http-port',
      '0',
      '--log-level',
      'error',
    ];
    const first = await spawnSim(args, dir);
    children.push(first);
    const tx = await boundPeer(first.port, 'transmitter', 'durable', 'pw');
    peers.push(tx);

    const acked: string[] = [];
    const total = 600;
    const killAt = 400;
    let sent = 0;
    let killed = false;
    await new Promise<void>((resolve) => {
      const pump = () => {
        while (!killed && sent < total && sent - acked.length < 50) {
          const i = sent++;
          tx.session.submit_sm(
            {
              source_addr: '12345',
              destination_addr: `4479${String(i).padStart(6, '0')}`,
              short_message: `durable ${i}`,
              registered_delivery: 1,
            },
            (r: { command_status: number; message_id: string }) => {
              if (killed) return;
              if (r.command_status === 0) acked.push(r.message_id);
              if (acked.length >= killAt) {
                killed = true;
                first.child.kill('SIGKILL');
                resolve();
              } else pump();
            },
          );
        }
      };
      pump();
    });
    const exit = await first.exited;
    expect(exit.signal).toBe('SIGKILL');
    tx.close();

    const second = await spawnSim(args, dir);
    children.push(second);
    const res = await fetch(`http://127.0.0.1:${second.httpPort}/api/messages?systemId=durable&limit=10000`);
    const body = (await res.json()) as { total: number; messages: Array<{ id: string }> };
    const stored = new Set(body.messages.map((m) => m.id));
    const missing = acked.filter((id) => !stored.has(id));
    expect(missing).toEqual([]);
    expect(body.total).toBeGreaterThanOrEqual(acked.length);

    // receipts still owed are delivered once a receiver binds
    const rx = await boundPeer(second.port, 'receiver', 'durable', 'pw');
    peers.push(rx);
    const receipted = new Set<string>();
    const deadline = Date.now() + 15_000;
    while (acked.some((id) => !receipted.has(id)) && Date.now() < deadline) {
      const d = await rx.next('deliver_sm', 15_000);
      receipted.add(d.receipted_message_id);
    }
    expect(acked.filter((id) => !receipted.has(id))).toEqual([]);

    second.child.kill('SIGTERM');
    const end = await second.exited;
    expect(end.code).toBe(0);
  });
});
