// The simulator driven over real sockets by the npm `smpp` package (an ESME implementation nobody here wrote).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSmsc, type SmscHandle } from '../src/index.js';
import { boundPeer, connectPeer, status, type Peer } from './smpp-peer.js';

let smsc: SmscHandle;
const peers: Peer[] = [];
async function bound(type: 'transceiver' | 'transmitter' | 'receiver', systemId: string, password: string, opts?: { answerDeliver?: number | null }) {
  const p = await boundPeer(smsc.port, type, systemId, password, opts);
  peers.push(p);
  return p;
}

beforeAll(async () => {
  smsc = await startSmsc({
    port: 0,
    store: 'memory',
    seed: 7,
    logLevel: 'silent',
    defaultDelayMs: 20,
    accounts: [
      { systemId: 'acme', password: 'secret1', maxBinds: 3, numbers: ['4470000*'] },
      { systemId: 'globex', password: 'secret2', numbers: ['/^4471\\d+$/'], receipt: { idFormat: 'decimal', receiptIdFormat: 'hex', dateDigits: 12, content: 'text', lowerCaseKeys: true } },
      { systemId: 'slow', password: 'pw', tps: 5 },
      { systemId: 'narrow', password: 'pw', window: 2 },
      { systemId: 'rxonly', password: 'pw', bindTypes: ['receiver'] },
      { systemId: 'pinned', password: 'pw', maxBinds: 1, sourceAddresses: ['PINNED', '4479*'] },
    ],
    rules: [
      { name: 'unknown-subscriber', match: { destination: '4479999' }, outcome: { state: 'UNDELIVERABLE', err: 11, delayMs: 10 } },
      { name: 'parked', match: { destination: '4478' }, outcome: { state: 'DELIVERED', delayMs: 60_000 } },
      { name: 'slow-ack', match: { systemId: 'narrow' }, response: { delayMs: 400 } },
    ],
  });
});

/** Closes this test's ESMEs and waits until the simulator has let go of their binds. */
afterEach(async () => {
  for (const p of peers.splice(0)) p.close();
  for (let i = 0; i < 200 && smsc.sessions().length > 0; i++) await new Promise((r) => setTimeout(r, 10));
});

afterAll(async () => {
  await smsc.close();
});

describe('binds and accounts', () => {
  it('refuses a wrong password, an unknown system_id, a forbidden bind type, too many binds, and a second bind', async () => {
    const p = await connectPeer(smsc.port);
    peers.push(p);
    expect((await p.call('bind_transceiver', { system_id: 'acme', password: 'nope' })).command_status).toBe(status.ESME_RINVPASWD);
    expect((await p.call('bind_transceiver', { system_id: 'nobody', password: 'x' })).command_status).toBe(status.ESME_RINVSYSID);
    expect((await p.call('bind_transmitter', { system_id: 'rxonly', password: 'pw' })).command_status).toBe(status.ESME_RBINDFAIL);
    expect((await p.call('bind_transceiver', { system_id: 'pinned', password: 'pw' })).command_status).toBe(0);
    expect((await p.call('bind_transceiver', { system_id: 'pinned', password: 'pw' })).command_status).toBe(status.ESME_RALYBND);
    const q = await connectPeer(smsc.port);
    peers.push(q);
    expect((await q.call('bind_transmitter', { system_id: 'pinned', password: 'pw' })).command_status).toBe(status.ESME_RBINDFAIL);
    expect(smsc.sessions().filter((s) => s.systemId === 'pinned')).toHaveLength(1);
  });

  it('refuses a source address the account may not use', async () => {
    const q = await bound('transmitter', 'pinned', 'pw');
    expect((await q.call('submit_sm', { source_addr: 'OTHER', destination_addr: '4479000001', short_message: 'x' })).command_status).toBe(status.ESME_RINVSRCADR);
    expect((await q.call('submit_sm', { source_addr: '4479123', destination_addr: '4479000001', short_message: 'x' })).command_status).toBe(0);
  });
});

describe('a v3.3 peer', () => {
  it('gets no TLVs: a bind_resp without sc_interface_version, receipts as text only', async () => {
    const p = await connectPeer(smsc.port);
    peers.push(p);
    const b = await p.call('bind_transceiver', { system_id: 'acme', password: 'secret1', interface_version: 0x33 });
    expect(b.command_status).toBe(0);
    expect(b.sc_interface_version).toBeUndefined();
    const r = await p.call('submit_sm', { source_addr: '12345', destination_addr: '4479000003', short_message: 'old peer', registered_delivery: 1 });
    const dr = await p.next('deliver_sm');
    expect(dr.receipted_message_id).toBeUndefined();
    expect(dr.message_state).toBeUndefined();
    expect(dr.short_message.message).toContain(`id:${r.message_id} `);
  });
});

describe('store and forward', () => {
  it('answers submit_sm with a message id and sends a receipt carrying that id', async () => {
    const p = await bound('transceiver', 'acme', 'secret1');
    const r = await p.call('submit_sm', { source_addr: '12345', destination_addr: '4479000001', short_message: 'hello receipt', registered_delivery: 1 });
    expect(r.command_status).toBe(0);
    expect(r.message_id).toMatch(/^[0-9a-f]+$/);
    const dr = await p.next('deliver_sm');
    expect(dr.esm_class & 0x3c).toBe(0x04);
    expect(dr.receipted_message_id).toBe(r.message_id);
    expect(dr.message_state).toBe(2);
    expect(dr.source_addr).toBe('4479000001');
    expect(dr.destination_addr).toBe('12345');
    expect(dr.short_message.message).toMatch(new RegExp(`^id:${r.message_id} sub:001 dlvrd:001 submit date:\\d{10} done date:\\d{10} stat:DELIVRD err:000 Text:hello receipt$`));
    const m = smsc.message(r.message_id)!;
    expect(m).toMatchObject({ text: 'hello receipt', state: 'DELIVERED', systemId: 'acme' });
    expect(m.history.map((h) => h.state)).toEqual(['ENROUTE', 'DELIVERED']);
  });

  it('follows the scenario: UNDELIV with an err code, in text and TLVs', async () => {
    const p = await bound('transceiver', 'acme', 'secret1');
    const r = await p.call('submit_sm', { source_addr: '12345', destination_addr: '4479999001', short_message: 'nobody home', registered_delivery: 1 });
    const dr = await p.next('deliver_sm');
    expect(dr.receipted_message_id).toBe(r.message_id);
    expect(dr.message_state).toBe(5);
    expect(dr.short_message.message).toContain('stat:UNDELIV err:011');
    expect(dr.network_error_code).toBeDefined();
  });

  it('writes receipts in the account dialect (decimal submit id, hex receipt id, 12-digit dates, text only, lower-case keys)', async () => {
    const p = await bound('transceiver', 'globex', 'secret2');
    const r = await p.call('submit_sm', { source_addr: '999', destination_addr: '4479000002', short_message: 'dialect', registered_delivery: 1 });
    expect(r.message_id).toMatch(/^\d+$/);
    const dr = await p.next('deliver_sm');
    expect(dr.receipted_message_id).toBeUndefined();
    expect(dr.short_message.message).toMatch(new RegExp(`^id:${Number(r.message_id).toString(16)} .*submit date:\\d{12} done date:\\d{12} stat:DELIVRD err:000 text:dialect$`));
  });

  it('stores a long UDH message as parts with their own ids and receipts, reassembled for inspection', async () => {
    const p = await bound('transceiver', 'acme', 'secret1');
    const chunks = ['The first part of a long message, ', 'then the second part of it, ', 'and the end.'];
    const ids: string[] = [];
    for (const [i, c] of chunks.entries()) {
      const udh = Buffer.from([0x05, 0x00, 0x03, 0x2a, chunks.length, i + 1]);
      const r = await p.call('submit_sm', { source_addr: '12345', destination_addr: '4479000077', short_message: { udh, message: c }, registered_delivery: 1 });
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
      const r = await p.call('submit_sm', { source_addr: '12345', destination_addr: '4479000078', short_message: c, sar_msg_ref_num: 77, sar_total_segments: 2, sar_segment_seqnum: i + 1 });
      expect(r.command_status).toBe(0);
    }
    const m = await smsc.waitForMessage({ to: '4479000078' });
    expect(m.text).toBe('sar one sar two');
  });

  it('delivers a message to a number another account owns as deliver_sm, then receipts the sender', async () => {
    const acme = await bound('receiver', 'acme', 'secret1');
    const globex = await bound('transceiver', 'globex', 'secret2');
    const r = await globex.call('submit_sm', { source_addr: '4471000', destination_addr: '4470000123', short_message: 'esme to esme', registered_delivery: 1 });
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
      source_addr: '12345', short_message: 'to many',
      dest_address: [{ dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: '4479000010' }, { dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: '44-bad' }, { dl_name: 'friends' }],
    });
    expect(r.command_status).toBe(0);
    expect(r.unsuccess_sme.map((u: { destination_addr: string; error_status_code: number }) => [u.destination_addr, u.error_status_code])).toEqual([
      ['44-bad', status.ESME_RINVDSTADR], ['friends', status.ESME_RCNTSUBDL],
    ]);
    expect(smsc.messages({ to: '4479000010' })[0].id).toBe(r.message_id);
  });

  it('answers invalid submissions with the precise status', async () => {
    const p = await bound('transmitter', 'acme', 'secret1');
    const sub = async (f: Record<string, unknown>) => (await p.call('submit_sm', { source_addr: '12345', destination_addr: '4479000001', short_message: 'x', ...f })).command_status;
    expect(await sub({ dest_addr_ton: 9 })).toBe(status.ESME_RINVDSTTON);
    expect(await sub({ source_addr_npi: 2 })).toBe(status.ESME_RINVSRCNPI);
    expect(await sub({ destination_addr: '' })).toBe(status.ESME_RINVDSTADR);
    expect(await sub({ esm_class: 0x04 })).toBe(status.ESME_RINVESMCLASS);
    expect(await sub({ registered_delivery: 0x80 })).toBe(status.ESME_RINVREGDLVFLG);
    expect(await sub({ replace_if_present_flag: 2 })).toBe(status.ESME_RINVREPFLAG);
    expect(await sub({ data_coding: 0x0b })).toBe(0x104);
    expect(await sub({ schedule_delivery_time: '991399000000000+' })).toBe(status.ESME_RINVSCHED);
    expect(await sub({ validity_period: '000000000000000R' })).toBe(status.ESME_RINVEXPIRY);
    expect(await sub({ short_message: { udh: Buffer.from([0x05, 0x00, 0x03, 0x01, 0x02, 0x03]), message: 'x' } })).toBe(status.ESME_RINVMSGLEN);
    expect(await sub({ short_message: 'x', message_payload: Buffer.from('y') })).toBe(status.ESME_RINVMSGLEN);
  });
});

describe('query, cancel, replace', () => {
  it('queries, replaces and cancels a pending message', async () => {
    const p = await bound('transmitter', 'acme', 'secret1');
    const r = await p.call('submit_sm', { source_addr: '12345', destination_addr: '4478000001', short_message: 'first text', registered_delivery: 0 });
    let q = await p.call('query_sm', { message_id: r.message_id, source_addr: '12345' });
    expect(q).toMatchObject({ command_status: 0, message_id: r.message_id, message_state: 1 });
    const rep = await p.call('replace_sm', { message_id: r.message_id, source_addr: '12345', short_message: 'second text' });
    expect(rep.command_status).toBe(0);
    expect(smsc.message(r.message_id)!.text).toBe('second text');
    expect((await p.call('cancel_sm', { message_id: r.message_id, source_addr: '12345', destination_addr: '4478000001' })).command_status).toBe(0);
    q = await p.call('query_sm', { message_id: r.message_id, source_addr: '12345' });
    expect(q.message_state).toBe(4);
    expect((await p.call('cancel_sm', { message_id: r.message_id, source_addr: '12345' })).command_status).toBe(status.ESME_RCANCELFAIL);
    expect((await p.call('replace_sm', { message_id: r.message_id, source_addr: '12345', short_message: 'late' })).command_status).toBe(status.ESME_RREPLACEFAIL);
    expect((await p.call('query_sm', { message_id: 'ffffff', source_addr: '12345' })).command_status).toBe(status.ESME_RQUERYFAIL);
  });

  it('replaces a pending message on submit with replace_if_present_flag', async () => {
    const p = await bound('transmitter', 'acme', 'secret1');
    const a = await p.call('submit_sm', { source_addr: '555', destination_addr: '4478000002', short_message: 'v1' });
    const b = await p.call('submit_sm', { source_addr: '555', destination_addr: '4478000002', short_message: 'v2', replace_if_present_flag: 1 });
    expect(b.message_id).toBe(a.message_id);
    const all = smsc.messages({ to: '4478000002' });
    expect(all).toHaveLength(1);
    expect(all[0].text).toBe('v2');
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

describe('carrier limits', () => {
  it('throttles an account over its TPS with ESME_RTHROTTLED', async () => {
    const p = await bound('transmitter', 'slow', 'pw');
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => p.call('submit_sm', { source_addr: '1', destination_addr: `44790000${i}`, short_message: 'x' })));
    const codes = results.map((r) => r.command_status);
    expect(codes.filter((c) => c === 0).length).toBeGreaterThanOrEqual(5);
    expect(codes.filter((c) => c === status.ESME_RTHROTTLED).length).toBeGreaterThan(5);
  });

  it('answers requests beyond the window with ESME_RMSGQFUL', async () => {
    const p = await bound('transmitter', 'narrow', 'pw');
    const results = await Promise.all(Array.from({ length: 5 }, () => p.call('submit_sm', { source_addr: '1', destination_addr: '4479000001', short_message: 'x' })));
    const codes = results.map((r) => r.command_status);
    expect(codes.filter((c) => c === 0)).toHaveLength(2);
    expect(codes.filter((c) => c === status.ESME_RMSGQFUL)).toHaveLength(3);
  });
});
