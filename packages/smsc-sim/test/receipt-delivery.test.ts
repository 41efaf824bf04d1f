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
