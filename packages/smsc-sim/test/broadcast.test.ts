// broadcast_sm stored and answered with a message id, then query_broadcast_sm and cancel_broadcast_sm on it: its
// state (store/lifecycle.ts planBroadcast), its areas, by message_id or by service_type / content type /
// user_message_reference, one account's broadcasts invisible to another and to query_sm / cancel_sm. Raw sockets.

import { CommandStatus, encodePdu, MessageState, type Pdu } from '@smppkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SmscHandle, startSmsc } from '../src/index.js';
import { broadcastPdu, cancelBroadcastPdu, queryBroadcastPdu } from './broadcast-pdus.js';
import { bindPdu } from './pdus.js';
import { type RawClient, rawClient } from './raw-client.js';
import { boundPeer } from './smpp-peer.js';

let smsc: SmscHandle;
let c: RawClient;
let seq = 1;

async function client(systemId: string): Promise<RawClient> {
  const x = await rawClient(smsc.port);
  x.socket.write(bindPdu(seq++, systemId, 'pw', 'bind_transceiver', { interface_version: 0x50 }));
  expect((await x.next()).command_status).toBe(0);
  return x;
}

beforeAll(async () => {
  smsc = await startSmsc({
    port: 0,
    store: 'memory',
    logLevel: 'silent',
    defaultDelayMs: 0,
    rules: [
      { name: 'fail', match: { source: '666' }, outcome: { state: 'UNDELIVERABLE', err: 9, delayMs: 0 } },
      { name: 'refuse', match: { source: '777' }, response: { status: CommandStatus.ESME_RBCASTFAIL } },
    ],
  });
  c = await client('cbc');
});
afterAll(async () => {
  c.socket.destroy();
  await smsc.close();
});

type Answer = Pdu & { message_id?: string; tlvs?: Record<string, unknown> };

async function send(x: RawClient, pdu: Buffer): Promise<Answer> {
  x.socket.write(pdu);
  return (await x.next()) as Answer;
}
async function broadcast(fields: Record<string, unknown> = {}, tlvs: Record<string, unknown> = {}): Promise<string> {
  const r = await send(c, broadcastPdu(seq++, fields, tlvs));
  expect(r.command_status).toBe(0);
  return r.message_id!;
}
const query = (id: string, fields: Record<string, unknown> = {}, x = c) =>
  send(x, queryBroadcastPdu(seq++, id, fields));
const cancel = (id: string, fields: Record<string, unknown> = {}, x = c) =>
  send(x, cancelBroadcastPdu(seq++, id, fields));

describe('broadcast_sm', () => {
  it('is stored with its content and no destination, ENROUTE while repetitions are left (GET /api/messages)', async () => {
    const id = await broadcast();
    const [m] = smsc.messages({ limit: 1 });
    expect(m).toMatchObject({
      id,
      command: 'broadcast_sm',
      to: '',
      from: '12345',
      text: 'storm warning',
      state: 'ENROUTE',
    });
    const detail = smsc.message(id)!;
    expect(detail.pdus[0].decoded).toMatchObject({ command: 'broadcast_sm', tlvs: { broadcast_rep_num: 3 } });
  });

  it('query_broadcast_sm: its state, its areas, area success n/a while in progress, no end time', async () => {
    const areas = [
      { format: 0, details: Buffer.from('Oslo') },
      { format: 0, details: Buffer.from('Bergen') },
    ];
    const id = await broadcast({}, { broadcast_area_identifier: areas, user_message_reference: 42 });
    const r = await query(id);
    expect(r).toMatchObject({ command: 'query_broadcast_sm_resp', command_status: 0, message_id: id });
    expect(r.tlvs).toEqual({
      message_state: MessageState.ENROUTE,
      broadcast_area_identifier: areas,
      broadcast_area_success: 255,
      user_message_reference: 42,
    });
  });

  it('one repetition: DELIVERED at once, area success 100, an end time', async () => {
    const id = await broadcast({}, { broadcast_rep_num: 1 });
    await smsc.waitForMessage({ state: 'DELIVERED', from: '12345' });
    const r = await query(id);
    expect(r.tlvs).toMatchObject({ message_state: MessageState.DELIVERED, broadcast_area_success: 100 });
    expect(r.tlvs!.broadcast_end_time).toMatch(/^\d{12}\d{3}[+-]$/);
  });

  it('a rule that fails it: UNDELIVERABLE, area success 0; a rule that refuses it: its status, nothing stored', async () => {
    const id = await broadcast({ source_addr: '666' });
    const r = await query(id, { source_addr: '666' });
    expect(r.tlvs).toMatchObject({ message_state: MessageState.UNDELIVERABLE, broadcast_area_success: 0 });
    const before = smsc.messages({ limit: 1000 }).length;
    const refused = await send(c, broadcastPdu(seq++, { source_addr: '777' }));
    expect(refused.command_status).toBe(CommandStatus.ESME_RBCASTFAIL);
    expect(smsc.messages({ limit: 1000 })).toHaveLength(before);
  });

  it('broadcast_rep_num 0: repeated until its validity period ends, then DELIVERED (not EXPIRED)', async () => {
    const id = await broadcast({ source_addr: '3001', validity_period: '000000000001000R' }, { broadcast_rep_num: 0 });
    expect((await query(id, { source_addr: '3001' })).tlvs).toMatchObject({ message_state: MessageState.ENROUTE });
    await smsc.waitForMessage({ state: 'DELIVERED', from: '3001' }, 3000);
    expect((await query(id, { source_addr: '3001' })).tlvs).toMatchObject({ message_state: MessageState.DELIVERED });
  });

  it('its validity period ends it EXPIRED', async () => {
    const id = await broadcast({ validity_period: '000000000001000R' });
    await smsc.waitForMessage({ state: 'EXPIRED' }, 3000);
    expect((await query(id)).tlvs).toMatchObject({ message_state: MessageState.EXPIRED });
  });

  it('broadcast replace: a new id, the old broadcast DELETED', async () => {
    const old = await broadcast({ source_addr: '2001' });
    const r = await send(c, broadcastPdu(seq++, { source_addr: '2001', replace_if_present_flag: 1, message_id: old }));
    expect(r.command_status).toBe(0);
    expect(r.message_id).not.toBe(old);
    expect((await query(old, { source_addr: '2001' })).tlvs).toMatchObject({ message_state: MessageState.DELETED });
    expect((await query(r.message_id!, { source_addr: '2001' })).tlvs).toMatchObject({
      message_state: MessageState.ENROUTE,
    });
    // by user_message_reference
    const a = await broadcast({ source_addr: '2002' }, { user_message_reference: 7 });
    const b = await broadcast({ source_addr: '2002', replace_if_present_flag: 1 }, { user_message_reference: 7 });
    expect((await query(a, { source_addr: '2002' })).tlvs).toMatchObject({ message_state: MessageState.DELETED });
    expect((await query(b, { source_addr: '2002' })).tlvs).toMatchObject({ message_state: MessageState.ENROUTE });
  });
});

describe('query_broadcast_sm', () => {
  it('unknown id, another source, another account, or a submit_sm id: ESME_RBCASTQUERYFAIL', async () => {
    const id = await broadcast();
    const fail = { command: 'query_broadcast_sm_resp', command_status: CommandStatus.ESME_RBCASTQUERYFAIL };
    expect(await query('987654')).toMatchObject(fail);
    expect(await query('not-an-id')).toMatchObject(fail);
    expect(await query(id, { source_addr: '54321' })).toMatchObject(fail);
    const other = await client('other');
    expect(await query(id, {}, other)).toMatchObject(fail);
    other.socket.destroy();
    const sm = await send(
      c,
      encodePdu({
        command: 'submit_sm',
        command_status: 0,
        sequence_number: seq++,
        service_type: '',
        source_addr_ton: 1,
        source_addr_npi: 1,
        source_addr: '12345',
        dest_addr_ton: 1,
        dest_addr_npi: 1,
        destination_addr: '4479000001',
        esm_class: 0,
        protocol_id: 0,
        priority_flag: 0,
        schedule_delivery_time: '',
        validity_period: '',
        registered_delivery: 0,
        replace_if_present_flag: 0,
        data_coding: 0,
        sm_default_msg_id: 0,
        short_message: Buffer.from('x'),
      } as Pdu),
    );
    expect(await query(sm.message_id!)).toMatchObject(fail);
    // and query_sm does not see a broadcast
    const qsm = await send(
      c,
      encodePdu({
        command: 'query_sm',
        command_status: 0,
        sequence_number: seq++,
        message_id: id,
        source_addr_ton: 1,
        source_addr_npi: 1,
        source_addr: '12345',
      } as Pdu),
    );
    expect(qsm.command_status).toBe(CommandStatus.ESME_RQUERYFAIL);
  });

  it('by user_message_reference with a NULL message_id', async () => {
    const id = await broadcast({ source_addr: '3001' }, { user_message_reference: 99 });
    const r = await query('', { source_addr: '3001', tlvs: { user_message_reference: 99 } });
    expect(r).toMatchObject({ command_status: 0, message_id: id });
  });
});

describe('cancel_broadcast_sm', () => {
  it('by message_id: DELETED, area success 0; then, and for an unknown id or another source, ESME_RBCASTCANCELFAIL', async () => {
    const id = await broadcast();
    const fail = { command: 'cancel_broadcast_sm_resp', command_status: CommandStatus.ESME_RBCASTCANCELFAIL };
    expect(await cancel(id, { source_addr: '54321' })).toMatchObject(fail);
    expect(await cancel(id)).toMatchObject({ command: 'cancel_broadcast_sm_resp', command_status: 0 });
    expect((await query(id)).tlvs).toMatchObject({ message_state: MessageState.DELETED, broadcast_area_success: 0 });
    expect(await cancel(id)).toMatchObject(fail);
    expect(await cancel('987654')).toMatchObject(fail);
    expect(smsc.message(id)!.history.at(-1)).toMatchObject({ state: 'DELETED', detail: 'cancel_broadcast_sm' });
  });

  it('with a NULL message_id: the pending broadcasts of that source matching service_type, content type, reference', async () => {
    const src = { source_addr: '4001' };
    const cbs = await broadcast({ ...src, service_type: 'CBS' });
    const gsmNews = await broadcast(src, { broadcast_content_type: { network_type: 1, content_type: 0x0010 } });
    const cdmaNews = await broadcast(src, { broadcast_content_type: { network_type: 3, content_type: 0x0010 } });
    const ref5 = await broadcast(src, { user_message_reference: 5 });
    const state = async (id: string) => (await query(id, src)).tlvs!.message_state;
    expect((await cancel('', { ...src, service_type: 'CBS' })).command_status).toBe(0);
    expect(await state(cbs)).toBe(MessageState.DELETED);
    expect(await state(gsmNews)).toBe(MessageState.ENROUTE);
    const ct = { broadcast_content_type: { network_type: 3, content_type: 0x0010 } };
    expect((await cancel('', { ...src, tlvs: ct })).command_status).toBe(0);
    expect(await state(cdmaNews)).toBe(MessageState.DELETED);
    expect(await state(gsmNews)).toBe(MessageState.ENROUTE);
    expect((await cancel('', { ...src, tlvs: { user_message_reference: 5 } })).command_status).toBe(0);
    expect(await state(ref5)).toBe(MessageState.DELETED);
    expect(await state(gsmNews)).toBe(MessageState.ENROUTE);
    // nothing left matching: refused
    expect((await cancel('', { ...src, service_type: 'CBS' })).command_status).toBe(
      CommandStatus.ESME_RBCASTCANCELFAIL,
    );
    // all the source's pending ones
    expect((await cancel('', src)).command_status).toBe(0);
    expect(await state(gsmNews)).toBe(MessageState.DELETED);
    expect((await cancel('', src)).command_status).toBe(CommandStatus.ESME_RBCASTCANCELFAIL);
  });

  it('does not reach another account, and cancel_sm does not reach a broadcast', async () => {
    const id = await broadcast({ source_addr: '5001' });
    const other = await client('other2');
    expect((await cancel(id, { source_addr: '5001' }, other)).command_status).toBe(CommandStatus.ESME_RBCASTCANCELFAIL);
    expect((await cancel('', { source_addr: '5001' }, other)).command_status).toBe(CommandStatus.ESME_RBCASTCANCELFAIL);
    other.socket.destroy();
    const csm = await send(
      c,
      encodePdu({
        command: 'cancel_sm',
        command_status: 0,
        sequence_number: seq++,
        service_type: '',
        message_id: id,
        source_addr_ton: 1,
        source_addr_npi: 1,
        source_addr: '5001',
        dest_addr_ton: 0,
        dest_addr_npi: 0,
        destination_addr: '',
      } as Pdu),
    );
    expect(csm.command_status).toBe(CommandStatus.ESME_RCANCELFAIL);
    expect((await query(id, { source_addr: '5001' })).tlvs).toMatchObject({ message_state: MessageState.ENROUTE });
  });
});

describe('an independent ESME (the npm smpp package)', () => {
  it('broadcasts, queries and cancels', async () => {
    const peer = await boundPeer(smsc.port, 'transceiver', 'peer', 'pw');
    const b = await peer.call('broadcast_sm', {
      source_addr_ton: 1,
      source_addr_npi: 1,
      source_addr: '6001',
      broadcast_area_identifier: [Buffer.from('\x00Oslo', 'latin1')],
      broadcast_content_type: Buffer.from([1, 0x00, 0x10]),
      broadcast_rep_num: 2,
      broadcast_frequency_interval: Buffer.from([0x0a, 0, 1]),
      message_payload: Buffer.from('storm'),
    });
    expect(b.command_status).toBe(0);
    const src = { source_addr_ton: 1, source_addr_npi: 1, source_addr: '6001' };
    const q = await peer.call('query_broadcast_sm', { message_id: b.message_id, ...src });
    expect(q).toMatchObject({ command_status: 0, message_id: b.message_id, message_state: MessageState.ENROUTE });
    expect(q.broadcast_area_success).toBe(255);
    const x = await peer.call('cancel_broadcast_sm', { message_id: b.message_id, ...src });
    expect(x.command_status).toBe(0);
    const again = await peer.call('query_broadcast_sm', { message_id: b.message_id, ...src });
    expect(again.message_state).toBe(MessageState.DELETED);
    peer.close();
  });
});
