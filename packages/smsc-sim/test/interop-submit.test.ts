// Submissions and what comes back (receipts in the account's style, parts, ESME-to-ESME, MO), driven by the npm `smpp` package.
import { describe, expect, it } from 'vitest';
import type { SmscHandle } from '../src/index.js';
import { useInteropSim } from './interop-sim.js';
import { status } from './smpp-peer.js';

let smsc: SmscHandle;
const { bound } = useInteropSim((s) => {
  smsc = s;
});

describe('store and forward', () => {
  it('answers submit_sm with a message id and sends a receipt carrying that id', async () => {
    const p = await bound('transceiver', 'acme', 'secret1');
    const r = await p.call('submit_sm', {
      source_addr: '12345',
      destination_addr: '4479000001',
      short_message: 'hello receipt',
      registered_delivery: 1,
    });
    expect(r.command_status).toBe(0);
    expect(r.message_id).toMatch(/^[0-9a-f]+$/);
    const dr = await p.next('deliver_sm');
    expect(dr.esm_class & 0x3c).toBe(0x04);
    expect(dr.receipted_message_id).toBe(r.message_id);
    expect(dr.message_state).toBe(2);
    expect(dr.source_addr).toBe('4479000001');
    expect(dr.destination_addr).toBe('12345');
    expect(dr.short_message.message).toMatch(
      new RegExp(
        `^id:${r.message_id} sub:001 dlvrd:001 submit date:\\d{10} done date:\\d{10} stat:DELIVRD err:000 Text:hello receipt$`,
      ),
    );
    const m = smsc.message(r.message_id)!;
    expect(m).toMatchObject({ text: 'hello receipt', state: 'DELIVERED', systemId: 'acme' });
    expect(m.history.map((h) => h.state)).toEqual(['ENROUTE', 'DELIVERED']);
  });

  it('follows the scenario: UNDELIV with an err code, in text and TLVs', async () => {
    const p = await bound('transceiver', 'acme', 'secret1');
    const r = await p.call('submit_sm', {
      source_addr: '12345',
      destination_addr: '4479999001',
      short_message: 'nobody home',
      registered_delivery: 1,
    });
    const dr = await p.next('deliver_sm');
    expect(dr.receipted_message_id).toBe(r.message_id);
    expect(dr.message_state).toBe(5);
    expect(dr.short_message.message).toContain('stat:UNDELIV err:011');
    expect(dr.network_error_code).toBeDefined();
  });

  it('writes receipts in the account dialect (decimal submit id, hex receipt id, 12-digit dates, text only, lower-case keys)', async () => {
    const p = await bound('transceiver', 'globex', 'secret2');
    const r = await p.call('submit_sm', {
      source_addr: '999',
      destination_addr: '4479000002',
      short_message: 'dialect',
      registered_delivery: 1,
    });
    expect(r.message_id).toMatch(/^\d+$/);
    const dr = await p.next('deliver_sm');
    expect(dr.receipted_message_id).toBeUndefined();
    expect(dr.short_message.message).toMatch(
      new RegExp(
        `^id:${Number(r.message_id).toString(16)} .*submit date:\\d{12} done date:\\d{12} stat:DELIVRD err:000 text:dialect$`,
      ),
    );
  });

  it('stores a long UDH message as parts with their own ids and receipts, reassembled for inspection', async () => {
    const p = await bound('transceiver', 'acme', 'secret1');
    const chunks = ['The first part of a long message, ', 'then the second part of it, ', 'and the end.'];
    const ids: string[] = [];
    for (const [i, c] of chunks.entries()) {
      const udh = Buffer.from([0x05, 0x00, 0x03, 0x2a, chunks.length, i + 1]);
      const r = await p.call('submit_sm', {
        source_addr: '12345',
        destination_addr: '4479000077',
        short_message: { udh, message: c },
        registered_delivery: 1,
      });
      expect(r.command_status).toBe(0);
      ids.push(r.message_id);
    }
    expect(new Set(ids).size).toBe(3);
    const receipts = await Promise.all(ids.map(() => p.next('deliver_sm')));
    expect(receipts.map((d) => d.receipted_message_id).sort()).toEqual([...ids].sort());
    const [m] = smsc.messages({ to: '4479000077' });
    expect(m.text).toBe(chunks.join(''));
    expect(m.ids).toEqual(ids);
    expect(m).toMatchObject({ partTotal: 3, partsReceived: 3, complete: true });
  });

  it('reassembles SAR-segmented parts too', async () => {
    const p = await bound('transmitter', 'acme', 'secret1');
    for (const [i, c] of ['sar one ', 'sar two'].entries()) {
      const r = await p.call('submit_sm', {
        source_addr: '12345',
        destination_addr: '4479000078',
        short_message: c,
        sar_msg_ref_num: 77,
        sar_total_segments: 2,
        sar_segment_seqnum: i + 1,
      });
      expect(r.command_status).toBe(0);
    }
    const m = await smsc.waitForMessage({ to: '4479000078' });
    expect(m.text).toBe('sar one sar two');
  });

  it('delivers a message to a number another account owns as deliver_sm, then receipts the sender', async () => {
    const acme = await bound('receiver', 'acme', 'secret1');
    const globex = await bound('transceiver', 'globex', 'secret2');
    const r = await globex.call('submit_sm', {
      source_addr: '4471000',
      destination_addr: '4470000123',
      short_message: 'esme to esme',
      registered_delivery: 1,
    });
    const mo = await acme.next('deliver_sm');
    expect(mo.esm_class & 0x04).toBe(0);
    expect(mo).toMatchObject({ source_addr: '4471000', destination_addr: '4470000123' });
    expect(mo.short_message.message).toBe('esme to esme');
    const dr = await globex.next('deliver_sm');
    expect(dr.short_message.message).toContain(`id:${Number(r.message_id).toString(16)} `);
    expect(dr.short_message.message).toContain('stat:DELIVRD');
  });

  it('reports unsuccessful destinations of submit_multi', async () => {
    const p = await bound('transmitter', 'acme', 'secret1');
    const r = await p.call('submit_multi', {
      source_addr: '12345',
      short_message: 'to many',
      dest_address: [
        { dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: '4479000010' },
        { dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: '44-bad' },
        { dl_name: 'friends' },
      ],
    });
    expect(r.command_status).toBe(0);
    expect(
      r.unsuccess_sme.map((u: { destination_addr: string; error_status_code: number }) => [
        u.destination_addr,
        u.error_status_code,
      ]),
    ).toEqual([
      ['44-bad', status.ESME_RINVDSTADR],
      ['friends', status.ESME_RCNTSUBDL],
    ]);
    expect(smsc.messages({ to: '4479000010' })[0].id).toBe(r.message_id);
  });

  it('answers invalid submissions with the precise status', async () => {
    const p = await bound('transmitter', 'acme', 'secret1');
    const sub = async (f: Record<string, unknown>) =>
      (await p.call('submit_sm', { source_addr: '12345', destination_addr: '4479000001', short_message: 'x', ...f }))
        .command_status;
    expect(await sub({ dest_addr_ton: 9 })).toBe(status.ESME_RINVDSTTON);
    expect(await sub({ source_addr_npi: 2 })).toBe(status.ESME_RINVSRCNPI);
    expect(await sub({ destination_addr: '' })).toBe(status.ESME_RINVDSTADR);
    expect(await sub({ esm_class: 0x04 })).toBe(status.ESME_RINVESMCLASS);
    expect(await sub({ registered_delivery: 0x80 })).toBe(status.ESME_RINVREGDLVFLG);
    expect(await sub({ replace_if_present_flag: 2 })).toBe(status.ESME_RINVREPFLAG);
    expect(await sub({ data_coding: 0x0b })).toBe(0x104);
    expect(await sub({ schedule_delivery_time: '991399000000000+' })).toBe(status.ESME_RINVSCHED);
    expect(await sub({ validity_period: '000000000000000R' })).toBe(status.ESME_RINVEXPIRY);
    expect(await sub({ short_message: { udh: Buffer.from([0x05, 0x00, 0x03, 0x01, 0x02, 0x03]), message: 'x' } })).toBe(
      status.ESME_RINVMSGLEN,
    );
    expect(await sub({ short_message: 'x', message_payload: Buffer.from('y') })).toBe(status.ESME_RINVMSGLEN);
  });
});

describe('mobile originated', () => {
  it('delivers an injected MO, split into UDH parts when long, to the owning account', async () => {
    const p = await bound('receiver', 'acme', 'secret1');
    const short = smsc.injectMo({ from: '4479111', to: '4470000555', text: 'hi there' });
    expect(short.deliverTo).toBe('acme');
    const d = await p.next('deliver_sm');
    expect(d).toMatchObject({ source_addr: '4479111', destination_addr: '4470000555' });
    expect(d.short_message.message).toBe('hi there');
    const text = 'x'.repeat(200);
    const long = smsc.injectMo({ from: '4479111', to: '4470000555', text });
    expect(long.parts).toBe(2);
    const parts = [await p.next('deliver_sm'), await p.next('deliver_sm')];
    expect(parts.every((x) => (x.esm_class & 0x40) !== 0)).toBe(true);
    expect(parts.map((x) => x.short_message.message).join('')).toBe(text);
    const stored = await smsc.waitForMessage({ direction: 'MO', to: '4470000555', state: 'DELIVERED', text: 'xxxx' });
    expect(stored.text).toBe(text);
  });

  it('refuses an MO to a number nobody owns', () => {
    expect(() => smsc.injectMo({ from: '1', to: '999', text: 'x' })).toThrow(/to: no account owns "999"/);
  });
});
