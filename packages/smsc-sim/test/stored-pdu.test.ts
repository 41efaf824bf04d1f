// The request PDU kept with each message is the one that arrived, octet for octet: a submit_sm is taken from its
// frame (no second encoding), others are encoded from the decoded PDU.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { decodePdu, encodePdu, PduFramer, type Pdu } from '@smppkit/core';
import { startSmsc, type SmscHandle } from '../src/index.js';

let smsc: SmscHandle;
let socket: net.Socket;
const responses: Pdu[] = [];
const waiters: Array<(p: Pdu) => void> = [];

function next(): Promise<Pdu> {
  if (responses.length) return Promise.resolve(responses.shift()!);
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no PDU within 5 s')), 5000);
    waiters.push((p) => { clearTimeout(t); resolve(p); });
  });
}

const submit = (seq: number, fields: Record<string, unknown>) => encodePdu({
  command: 'submit_sm', command_status: 0, sequence_number: seq, service_type: 'CMT', source_addr_ton: 1, source_addr_npi: 1,
  source_addr: '12345', dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: '4479000001', esm_class: 0, protocol_id: 0,
  priority_flag: 0, schedule_delivery_time: '', validity_period: '000001000000000R', registered_delivery: 0, replace_if_present_flag: 0,
  data_coding: 0, sm_default_msg_id: 0, short_message: Buffer.from('stored as sent'), ...fields,
} as Pdu);

beforeAll(async () => {
  smsc = await startSmsc({ port: 0, store: 'memory', logLevel: 'silent' });
  socket = net.connect(smsc.port, '127.0.0.1');
  const framer = new PduFramer((f) => {
    const p = decodePdu(f);
    const w = waiters.shift();
    if (w) w(p); else responses.push(p);
  });
  socket.on('data', (c) => framer.push(c));
  await new Promise((r) => socket.once('connect', r));
  socket.write(encodePdu({
    command: 'bind_transceiver', command_status: 0, sequence_number: 1, system_id: 'stored', password: 'pw', system_type: '',
    interface_version: 0x34, addr_ton: 0, addr_npi: 0, address_range: '',
  } as Pdu));
  expect((await next()).command_status).toBe(0);
});

afterAll(async () => {
  socket.destroy();
  await smsc.close();
});

describe('the stored request PDU', () => {
  it('is the submit_sm as sent, TLVs included, also when several arrive in one write', async () => {
    const a = submit(2, { tlvs: { user_message_reference: 7 } });
    const b = submit(3, { short_message: Buffer.from('second one'), registered_delivery: 1 });
    socket.write(Buffer.concat([a, b]));
    const ra = await next();
    const rb = await next();
    for (const [r, sent] of [[ra, a], [rb, b]] as const) {
      expect(r.command_status).toBe(0);
      const m = smsc.message((r as { message_id: string }).message_id)!;
      expect(m.pdus[0].hex).toBe(sent.toString('hex'));
    }
  });

  it('is the submit_sm as sent when the text is in message_payload (encoded from the decoded PDU)', async () => {
    const c = submit(4, { short_message: Buffer.alloc(0), tlvs: { message_payload: Buffer.from('payload text') } });
    socket.write(c);
    const r = await next();
    expect(r.command_status).toBe(0);
    const m = smsc.message((r as { message_id: string }).message_id)!;
    expect(m.pdus[0].hex).toBe(c.toString('hex'));
    expect(m.text).toBe('payload text');
  });
});
