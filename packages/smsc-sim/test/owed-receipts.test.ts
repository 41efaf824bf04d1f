// Receipts owed to an account that is not there or never acknowledges: what the simulator holds in memory for it is
// bounded (deliveryQueueLimit queued, plus the session windows in flight); the rest waits in the store and is read
// back in pages as room frees, also after a restart. Every receipt then arrives once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type SmscHandle, startSmsc } from '../src/index.js';
import { type DeliverSm, type Esme, esme, until } from './esme-session.js';

const N = 20_000;
const LIMIT = 1000; // deliveryQueueLimit (the default)
const WINDOW = 200; // deliveryWindow (the default)
const dir = mkdtempSync(join(tmpdir(), 'smsc-owed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const receiptId = (d: DeliverSm) => (d as { tlvs?: { receipted_message_id?: string } }).tlvs?.receipted_message_id;

/** The largest number of deliveries the simulator held in memory for the account while fn ran. */
async function peakHeld(sim: SmscHandle, systemId: string, fn: () => Promise<void>): Promise<number> {
  let peak = 0;
  const sample = () => {
    peak = Math.max(peak, sim.smsc.delivery.held(systemId));
  };
  const t = setInterval(sample, 2);
  try {
    await fn();
  } finally {
    clearInterval(t);
  }
  sample();
  return peak;
}

/** Submits n messages asking for a receipt, in batches. */
async function submitAll(tx: Esme, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 2000) ids.push(...(await tx.submit(Math.min(2000, n - i))));
  return ids;
}

/** Binds an acknowledging receiver and waits for every receipt; each must arrive exactly once. */
async function receiveAll(sim: SmscHandle, systemId: string, ids: string[]): Promise<Esme> {
  const rx = await esme(sim.port, 'receiver', systemId);
  await until(() => rx.delivered.length >= ids.length, 60_000, `all ${ids.length} receipts`);
  await new Promise((r) => setTimeout(r, 300)); // and nothing more
  expect(rx.delivered).toHaveLength(ids.length);
  const got = new Set(rx.delivered.map(receiptId));
  expect(got.size).toBe(ids.length);
  for (const id of ids) expect(got.has(id)).toBe(true);
  return rx;
}

describe('receipts owed, memory bounded', () => {
  it(`to an account with no receiver: ${N} owed, at most deliveryQueueLimit held, then all arrive once`, async () => {
    const sim = await startSmsc({ port: 0, store: 'memory', logLevel: 'silent', defaultDelayMs: 0 });
    try {
      const tx = await esme(sim.port, 'transmitter', 'absent');
      let ids: string[] = [];
      const whileOwed = await peakHeld(sim, 'absent', async () => {
        ids = await submitAll(tx, N);
        await until(() => sim.smsc.delivery.depth().receipts === N, 10_000, `${N} receipts owed`);
      });
      expect(whileOwed).toBeLessThanOrEqual(LIMIT);
      expect(sim.smsc.delivery.depth().inStore).toBe(N - LIMIT);
      let rx: Esme | undefined;
      const whileSent = await peakHeld(sim, 'absent', async () => {
        rx = await receiveAll(sim, 'absent', ids);
      });
      expect(whileSent).toBeLessThanOrEqual(LIMIT + WINDOW);
      expect(sim.smsc.delivery.depth()).toMatchObject({ receipts: 0, inStore: 0 });
      await rx!.close();
      await tx.close();
    } finally {
      await sim.close();
    }
  }, 60_000);

  it(`to a receiver that never acknowledges: bounded in memory; once one acknowledges, all ${N} arrive on it once`, async () => {
    const sim = await startSmsc({ port: 0, store: 'memory', logLevel: 'silent', defaultDelayMs: 0 });
    try {
      const mute = await esme(sim.port, 'receiver', 'mute', () => null);
      const tx = await esme(sim.port, 'transmitter', 'mute');
      let ids: string[] = [];
      const whileMute = await peakHeld(sim, 'mute', async () => {
        ids = await submitAll(tx, N);
        await until(() => sim.smsc.delivery.depth().receipts === N - WINDOW, 10_000, 'receipts owed');
      });
      expect(mute.delivered).toHaveLength(WINDOW); // its window, unanswered
      expect(whileMute).toBeLessThanOrEqual(LIMIT + WINDOW);
      mute.session.close(); // its deliver_sm in flight are owed again
      let rx: Esme | undefined;
      const whileSent = await peakHeld(sim, 'mute', async () => {
        rx = await receiveAll(sim, 'mute', ids);
      });
      expect(whileSent).toBeLessThanOrEqual(LIMIT + WINDOW);
      await rx!.close();
      await tx.close();
    } finally {
      await sim.close();
    }
  }, 60_000);

  it(`after a restart: ${N} owed receipts in the SQLite file are not all read into memory; all arrive once`, async () => {
    const path = join(dir, 'owed.db');
    const before = await startSmsc({ port: 0, store: { path }, logLevel: 'silent', defaultDelayMs: 0 });
    let ids: string[];
    try {
      const tx = await esme(before.port, 'transmitter', 'later');
      ids = await submitAll(tx, N);
      await until(() => before.smsc.delivery.depth().receipts === N, 10_000, `${N} receipts owed`);
      await tx.close();
    } finally {
      await before.close();
    }
    const sim = await startSmsc({ port: 0, store: { path }, logLevel: 'silent', defaultDelayMs: 0 });
    try {
      // nothing read yet (no receiver): all owed, all in the store
      expect(sim.smsc.delivery.held()).toBe(0);
      expect(sim.smsc.delivery.depth()).toMatchObject({ receipts: N, inStore: N });
      let rx: Esme | undefined;
      const whileSent = await peakHeld(sim, 'later', async () => {
        rx = await receiveAll(sim, 'later', ids);
      });
      expect(whileSent).toBeLessThanOrEqual(LIMIT + WINDOW);
      await until(() => ids.every((id) => sim.smsc.message(id)?.deliveries[0]?.status === 'acked'));
      await rx!.close();
    } finally {
      await sim.close();
    }
    // and none is owed after one more restart
    const again = await startSmsc({ port: 0, store: { path }, logLevel: 'silent' });
    try {
      expect(again.smsc.delivery.depth()).toMatchObject({ receipts: 0, inStore: 0 });
    } finally {
      await again.close();
    }
  }, 90_000);
});
