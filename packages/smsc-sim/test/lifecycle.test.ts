// Message lifecycle details: data_sm, schedule_delivery_time and validity_period honoured, EXPIRED receipts,
// a 16-bit-reference UDH message, and random bytes on many connections while a good session keeps working.

import net from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SmscHandle, startSmsc } from '../src/index.js';
import { boundPeer, type Peer } from './smpp-peer.js';

let smsc: SmscHandle;
let p: Peer;

beforeAll(async () => {
  smsc = await startSmsc({
    port: 0,
    store: 'memory',
    logLevel: 'silent',
    defaultDelayMs: 10,
    accounts: [{ systemId: 'life', password: 'pw' }],
    rules: [{ match: { destination: '4475' }, outcome: { state: 'DELIVERED', delayMs: 60_000 } }],
  });
  p = await boundPeer(smsc.port, 'transceiver', 'life', 'pw');
});
afterAll(async () => {
  p.close();
  await smsc.close();
});

const rel = (seconds: number) => `0000000000${String(seconds).padStart(2, '0')}000R`;

describe('lifecycle', () => {
  it('accepts data_sm with message_payload and refuses one without', async () => {
    const ok = await p.call('data_sm', {
      source_addr: '1',
      destination_addr: '4479000100',
      message_payload: Buffer.from('payload text'),
      registered_delivery: 1,
    });
    expect(ok.command_status).toBe(0);
    const dr = await p.next('deliver_sm');
    expect(dr.receipted_message_id).toBe(ok.message_id);
    expect((await smsc.waitForMessage({ to: '4479000100' })).text).toBe('payload text');
    const missing = await p.call('data_sm', { source_addr: '1', destination_addr: '4479000100' });
    expect(missing.command_status).toBe(0xc3);
  });

  it('holds a scheduled message until its schedule_delivery_time', async () => {
    const t0 = Date.now();
    const r = await p.call('submit_sm', {
      source_addr: '1',
      destination_addr: '4479000101',
      short_message: 'later',
      registered_delivery: 1,
      schedule_delivery_time: rel(1),
    });
    expect(r.command_status).toBe(0);
    const view = smsc.message(r.message_id)!;
    expect(view.state).toBe('ENROUTE');
    expect(view.scheduledAt).not.toBeNull();
    const dr = await p.next('deliver_sm', 10_000);
    expect(dr.receipted_message_id).toBe(r.message_id);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
  });

  it('expires a message whose validity period ends first, with an EXPIRED receipt', async () => {
    const r = await p.call('submit_sm', {
      source_addr: '1',
      destination_addr: '4475000001',
      short_message: 'too slow',
      registered_delivery: 1,
      validity_period: rel(1),
    });
    const dr = await p.next('deliver_sm', 10_000);
    expect(dr.receipted_message_id).toBe(r.message_id);
    expect(dr.message_state).toBe(3);
    expect(dr.short_message.message).toContain('stat:EXPIRED');
    expect(smsc.message(r.message_id)!.history.map((h) => h.state)).toEqual(['ENROUTE', 'EXPIRED']);
  });

  it('reassembles a 16-bit-reference UDH message, one receipt per part', async () => {
    const parts = ['sixteen ', 'bit ref'];
    const ids: string[] = [];
    for (const [i, t] of parts.entries()) {
      const udh = Buffer.from([0x06, 0x08, 0x04, 0x12, 0x34, 2, i + 1]);
      ids.push(
        (
          await p.call('submit_sm', {
            source_addr: '1',
            destination_addr: '4479000102',
            short_message: { udh, message: t },
            registered_delivery: 1,
          })
        ).message_id,
      );
    }
    const got = [await p.next('deliver_sm'), await p.next('deliver_sm')].map((d) => d.receipted_message_id).sort();
    expect(got).toEqual([...ids].sort());
    expect(smsc.messages({ to: '4479000102' })[0].text).toBe('sixteen bit ref');
  });
});

describe('random bytes', () => {
  it('never takes the simulator down, and a bound session keeps working', async () => {
    const before = smsc.messages({ limit: 10_000 }).length;
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.boolean(), async (bytes, framed) => {
        const s = net.connect(smsc.port, '127.0.0.1');
        s.on('error', () => {});
        await new Promise((r) => s.once('connect', r));
        const data = Buffer.from(bytes);
        if (framed && data.length >= 16) data.writeUInt32BE(data.length, 0); // a plausible length, random header and body
        s.end(data);
        await new Promise((r) => {
          s.once('close', r);
          setTimeout(() => {
            s.destroy();
            r(null);
          }, 40);
        });
      }),
      { numRuns: 60, seed: 42 },
    );
    const r = await p.call('submit_sm', {
      source_addr: '1',
      destination_addr: '4479000103',
      short_message: 'still here',
    });
    expect(r.command_status).toBe(0);
    expect(smsc.messages({ limit: 10_000 }).length).toBeGreaterThanOrEqual(before + 1);
  });
});
