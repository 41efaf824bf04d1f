// Receipts as an ESME meets them: the receipt text in the GSM default alphabet (data_coding 0), a receiver whose
// receive queue is full (ESME_RMSGQFUL / ESME_RTHROTTLED: the session's window shrinks and backs off, then grows
// again), and a receiver that refuses deliveries while it unbinds (kept owed, sent on the next bind at once).

import { CommandStatus } from '@smppkit/core';
import { encodeUtf16be } from '@smppkit/encoding';
import { describe, expect, it } from 'vitest';
import { startSmsc } from '../src/index.js';
import { type DeliverSm, esme, until } from './esme-session.js';

const receiptId = (d: DeliverSm) => (d as { tlvs?: { receipted_message_id?: string } }).tlvs?.receipted_message_id;

describe('receipt text', () => {
  it('carries the text: excerpt in the GSM default alphabet for data_coding 0, unrepresentable characters as ?', async () => {
    const sim = await startSmsc({ port: 0, store: 'memory', logLevel: 'silent', defaultDelayMs: 0 });
    try {
      const e = await esme(sim.port, 'transceiver', 'gsm');
      const text = '£5 € Привет 👋';
      await e.submit(1, { data_coding: 8, short_message: encodeUtf16be(text) });
      await until(() => e.delivered.length === 1);
      const d = e.delivered[0];
      expect(d.data_coding).toBe(0);
      const sm = d.short_message;
      const at = sm.indexOf(Buffer.from(' Text:')); // the default style's key (v3.4's example)
      expect(at).toBeGreaterThan(0);
      // everything before the excerpt is ASCII, the same octets in GSM 7-bit
      expect(sm.subarray(0, 3).toString('latin1')).toBe('id:');
      // £ 0x01, € ESC 0x65, Cyrillic and the emoji are not in the GSM default alphabet: one ? (0x3F) each
      expect([...sm.subarray(at + 6)]).toEqual([
        0x01, 0x35, 0x20, 0x1b, 0x65, 0x20, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x20, 0x3f,
      ]);
      await e.close();
    } finally {
      await sim.close();
    }
  });
});

describe('receipt order', () => {
  it('receipts due at once leave in the order their messages were accepted', async () => {
    const sim = await startSmsc({ port: 0, store: 'memory', logLevel: 'silent', defaultDelayMs: 0 });
    try {
      const e = await esme(sim.port, 'transceiver', 'order');
      const ids: string[] = [];
      for (let round = 0; round < 4; round++) ids.push(...(await e.submit(250)));
      await until(() => e.delivered.length === ids.length, 10_000, `${ids.length} receipts`);
      expect(e.delivered.map(receiptId)).toEqual(ids);
      await e.close();
    } finally {
      await sim.close();
    }
  });
});

describe('a message whose insert failed', () => {
  it('is answered ESME_RSYSERR and gets no receipt; the next one stored does', async () => {
    const sim = await startSmsc({ port: 0, store: 'memory', logLevel: 'silent', defaultDelayMs: 0 });
    try {
      const e = await esme(sim.port, 'transceiver', 'lost');
      const db = sim.smsc.store.db;
      db.exec("CREATE TRIGGER refuse BEFORE INSERT ON messages BEGIN SELECT RAISE(ABORT, 'disk on fire'); END");
      await expect(e.submit(20)).rejects.toThrow(`submit refused: ${CommandStatus.ESME_RSYSERR}`);
      db.exec('DROP TRIGGER refuse');
      const [id] = await e.submit(1);
      await until(() => e.delivered.length === 1, 5000, "the stored message's receipt");
      await new Promise((r) => setTimeout(r, 100)); // nothing more comes
      expect(e.delivered.map(receiptId)).toEqual([id]);
      await e.close();
    } finally {
      await sim.close();
    }
  });
});

describe('a receiver that cannot take more now', () => {
  it('ESME_RMSGQFUL: the session backs off with a smaller window, every receipt arrives soon, once; the window grows back', async () => {
    // deliveryRetryMs is the default 10 s: a refused receipt waiting for it would fail the 5 s bound below
    const sim = await startSmsc({ port: 0, store: 'memory', logLevel: 'silent', defaultDelayMs: 0 });
    const inQueue: DeliverSm[] = [];
    let queueLimit = 100;
    const drain = setInterval(() => inQueue.splice(0, 20), 10); // the application takes 20 every 10 ms
    try {
      const tx = await esme(sim.port, 'transmitter', 'q');
      await tx.submit(200);
      await until(() => sim.smsc.delivery.depth().receipts === 200, 5000, '200 receipts owed');
      // a receive queue of 100 (jSMPP's default): beyond it, ESME_RMSGQFUL
      let refused = 0;
      const taken = new Map<string, number>();
      const rx = await esme(sim.port, 'receiver', 'q', (d) => {
        if (inQueue.length >= queueLimit) {
          refused++;
          return CommandStatus.ESME_RMSGQFUL;
        }
        inQueue.push(d);
        const id = receiptId(d)!;
        taken.set(id, (taken.get(id) ?? 0) + 1);
        return 0;
      });
      await until(() => taken.size === 200, 5000, 'all 200 receipts taken');
      expect([...taken.values()].every((n) => n === 1)).toBe(true);
      expect(refused).toBeGreaterThan(0); // the first burst: 200 sent, ~100 taken (the application drains meanwhile)
      const info = () => sim.sessions().find((s) => s.bindType === 'receiver')!;
      expect(info().deliveriesThrottled).toBe(refused);
      expect(sim.smsc.delivery.refusals().throttled).toBe(refused);
      const shrunk = info().deliveryWindow!;
      expect(shrunk).toBeLessThan(200); // halved to 100, perhaps grown by one or two since
      // recovery once it takes everything: +1 per window of acknowledged deliveries
      queueLimit = Number.POSITIVE_INFINITY;
      await tx.submit(2000);
      await until(() => taken.size === 2200, 20_000, 'all 2,200 receipts taken');
      expect(info().deliveryWindow!).toBeGreaterThan(shrunk);
      expect(info().deliveriesThrottled).toBe(refused);
      await rx.close();
      await tx.close();
    } finally {
      clearInterval(drain);
      await sim.close();
    }
  });

  it('ESME_RTHROTTLED: the same back-off; the refusals are counted (session info and /metrics)', async () => {
    const sim = await startSmsc({ port: 0, httpPort: 0, store: 'memory', logLevel: 'silent', defaultDelayMs: 0 });
    try {
      let inFlight = 0;
      let throttled = 0;
      const held: DeliverSm[] = [];
      // answers at most 10 at a time, 5 every 5 ms, the rest ESME_RTHROTTLED at once
      const rx = await esme(sim.port, 'transceiver', 't', (d) => {
        if (inFlight >= 10) {
          throttled++;
          return CommandStatus.ESME_RTHROTTLED;
        }
        inFlight++;
        held.push(d);
        return null;
      });
      const release = setInterval(() => {
        for (const d of held.splice(0, 5)) {
          inFlight--;
          rx.session.respond(d);
        }
      }, 5);
      try {
        await rx.submit(300);
        await until(() => rx.delivered.length - throttled === 300 && held.length === 0, 10_000, '300 receipts taken');
        expect(throttled).toBeGreaterThan(0);
        const info = sim.sessions().find((s) => s.systemId === 't')!;
        expect(info.deliveriesThrottled).toBe(throttled);
        expect(new Set(rx.delivered.map(receiptId)).size).toBe(300);
        const metrics = await (await fetch(`http://127.0.0.1:${sim.httpPort}/metrics`)).text();
        expect(metrics).toContain(`smsc_deliveries_refused_total{reason="capacity"} ${throttled}`);
        expect(metrics).toMatch(/smsc_queue_depth\{queue="held_in_memory"\} 0/);
        expect(metrics).toMatch(/smsc_queue_depth\{queue="in_store"\} 0/);
      } finally {
        clearInterval(release);
      }
      await rx.close();
    } finally {
      await sim.close();
    }
  });
});

describe('a receiver that unbinds', () => {
  it('a receipt refused ESME_RINVBNDSTS stays owed, is not an attempt, and goes out on the next bind at once', async () => {
    // a refused receipt waiting for deliveryRetryMs (60 s here) would fail the 5 s bound below
    const sim = await startSmsc({
      port: 0,
      store: 'memory',
      logLevel: 'silent',
      defaultDelayMs: 0,
      deliveryRetryMs: 60_000,
    });
    try {
      const tx = await esme(sim.port, 'transmitter', 'u');
      const ids = await tx.submit(5);
      await until(() => sim.smsc.delivery.depth().receipts === 5, 5000, '5 receipts owed');
      // an ESME that has begun to unbind: it refuses what arrives (as @smppkit/core's session does then)
      const leaving = await esme(sim.port, 'receiver', 'u', () => CommandStatus.ESME_RINVBNDSTS);
      await until(() => leaving.delivered.length === 5, 5000, 'the 5 receipts offered');
      await until(() => sim.sessions().find((s) => s.bindType === 'receiver')?.deliveriesDeferred === 5);
      expect(sim.smsc.delivery.refusals().deferred).toBe(5);
      await new Promise((r) => setTimeout(r, 100));
      expect(leaving.delivered).toHaveLength(5); // nothing more sent to the session that is leaving
      await leaving.close();
      const back = await esme(sim.port, 'receiver', 'u');
      await until(() => back.delivered.length === 5, 5000, 'the 5 receipts on the next bind');
      expect(back.delivered.map(receiptId).sort()).toEqual([...ids].sort());
      await until(() => ids.every((id) => sim.smsc.message(id)!.deliveries[0]?.status === 'acked'));
      for (const id of ids)
        expect(sim.smsc.message(id)!.deliveries).toEqual([
          expect.objectContaining({ kind: 'receipt', status: 'acked', attempts: 1 }),
        ]);
      await back.close();
      await tx.close();
    } finally {
      await sim.close();
    }
  });
  it('a receipt not sent because our side unbinds the session stays owed and goes out on the next bind at once', async () => {
    const sim = await startSmsc({
      port: 0,
      store: 'memory',
      logLevel: 'silent',
      defaultDelayMs: 0,
      deliveryRetryMs: 60_000,
      faults: { unbindAfterPdus: 3 }, // the bind and two submits, then the simulator unbinds
    });
    try {
      const first = await esme(sim.port, 'transceiver', 'ub');
      const ids = await first.submit(2);
      // the receipts come due right after the second submit's commit, once our unbind has begun: not sent
      await until(() => first.session.state === 'CLOSED', 5000, 'the simulator unbound the session');
      const next = await esme(sim.port, 'receiver', 'ub');
      await until(() => first.delivered.length + next.delivered.length === 2, 5000, 'both receipts');
      expect(next.delivered.length).toBeGreaterThan(0);
      expect([...first.delivered, ...next.delivered].map(receiptId).sort()).toEqual([...ids].sort());
      await until(() => ids.every((id) => sim.smsc.message(id)!.deliveries[0]?.status === 'acked'));
      for (const id of ids) expect(sim.smsc.message(id)!.deliveries[0]).toMatchObject({ attempts: 1 });
      await next.close();
    } finally {
      await sim.close();
    }
  });
});
