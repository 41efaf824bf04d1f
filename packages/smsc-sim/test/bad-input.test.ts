// Bad input over the socket: garbage, an oversized command_length, a truncated PDU, a PDU in the wrong state, an
// unknown command. Each gets the right status or a closed connection; the process keeps serving other sessions and
// loses nothing already stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { decodePdu, encodePdu, PduFramer, type Pdu } from '@smppkit/core';
import { startSmsc, type SmscHandle } from '../src/index.js';
import { boundPeer, type Peer } from './smpp-peer.js';

let smsc: SmscHandle;
let good: Peer;

interface Raw { socket: net.Socket; pdus: Pdu[]; closed: Promise<void>; next(): Promise<Pdu> }

function raw(port: number): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const pdus: Pdu[] = [];
    const waiters: Array<(p: Pdu) => void> = [];
    const framer = new PduFramer((f) => {
      const p = decodePdu(f);
      const w = waiters.shift();
      if (w) w(p); else pdus.push(p);
    });
    socket.on('data', (c) => framer.push(c));
    socket.on('error', () => {});
    const closed = new Promise<void>((r) => socket.on('close', () => r()));
    socket.on('connect', () => resolve({
      socket, pdus, closed,
      next: () => pdus.length ? Promise.resolve(pdus.shift()!) : new Promise((r, j) => {
        const t = setTimeout(() => j(new Error('no PDU within 5 s')), 5000);
        waiters.push((p) => { clearTimeout(t); r(p); });
      }),
    }));
    socket.on('error', reject);
  });
}

const submit = (seq: number, fields: Record<string, unknown> = {}) => encodePdu({
  command: 'submit_sm', command_status: 0, sequence_number: seq, service_type: '', source_addr_ton: 1, source_addr_npi: 1,
  source_addr: '12345', dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: '4479000001', esm_class: 0, protocol_id: 0,
  priority_flag: 0, schedule_delivery_time: '', validity_period: '', registered_delivery: 0, replace_if_present_flag: 0,
  data_coding: 0, sm_default_msg_id: 0, short_message: Buffer.from('raw'), ...fields,
} as Pdu);
const bind = (seq: number) => encodePdu({
  command: 'bind_transceiver', command_status: 0, sequence_number: seq, system_id: 'raw', password: 'pw', system_type: '',
  interface_version: 0x34, addr_ton: 0, addr_npi: 0, address_range: '',
} as Pdu);

beforeAll(async () => {
  smsc = await startSmsc({ port: 0, store: 'memory', logLevel: 'silent' });
  good = await boundPeer(smsc.port, 'transceiver', 'good', 'pw');
  for (let i = 0; i < 5; i++) {
    const r = await new Promise<{ command_status: number }>((res) => good.session.submit_sm({ source_addr: '1', destination_addr: '4479000009', short_message: `before ${i}` }, res));
    expect(r.command_status).toBe(0);
  }
});

afterAll(async () => {
  good.close();
  await smsc.close();
});

async function stillServing(): Promise<void> {
  const r = await new Promise<{ command_status: number; message_id: string }>((res) => good.session.submit_sm({ source_addr: '1', destination_addr: '4479000009', short_message: 'after' }, res));
  expect(r.command_status).toBe(0);
  expect(smsc.messages({ to: '4479000009', limit: 1000 }).filter((m) => m.text.startsWith('before'))).toHaveLength(5);
}

describe('bad input over the socket', () => {
  it('answers a PDU sent before bind with ESME_RINVBNDSTS', async () => {
    const c = await raw(smsc.port);
    c.socket.write(submit(7));
    const r = await c.next();
    expect(r).toMatchObject({ command: 'submit_sm_resp', command_status: 0x04, sequence_number: 7 });
    c.socket.destroy();
    await stillServing();
  });

  it('answers an unknown command_id with generic_nack ESME_RINVCMDID and keeps the session', async () => {
    const c = await raw(smsc.port);
    c.socket.write(bind(1));
    expect((await c.next()).command_status).toBe(0);
    const unknown = Buffer.alloc(16);
    unknown.writeUInt32BE(16, 0); unknown.writeUInt32BE(0x00000077, 4); unknown.writeUInt32BE(0, 8); unknown.writeUInt32BE(9, 12);
    c.socket.write(unknown);
    expect(await c.next()).toMatchObject({ command: 'generic_nack', command_status: 0x03, sequence_number: 9 });
    c.socket.write(submit(10));
    expect(await c.next()).toMatchObject({ command: 'submit_sm_resp', command_status: 0, sequence_number: 10 });
    c.socket.destroy();
  });

  it('answers a PDU whose body is cut short with an error status, and goes on', async () => {
    const c = await raw(smsc.port);
    c.socket.write(bind(1));
    expect((await c.next()).command_status).toBe(0);
    const full = submit(11);
    const cut = Buffer.from(full.subarray(0, 30));
    cut.writeUInt32BE(30, 0);
    c.socket.write(cut);
    const r = await c.next();
    expect(r.sequence_number).toBe(11);
    expect(r.command_status).not.toBe(0);
    c.socket.write(submit(12));
    expect(await c.next()).toMatchObject({ command_status: 0, sequence_number: 12 });
    c.socket.destroy();
    await stillServing();
  });

  it('closes the connection on an oversized command_length', async () => {
    const c = await raw(smsc.port);
    const big = Buffer.alloc(16);
    big.writeUInt32BE(0x7fffffff, 0); big.writeUInt32BE(0x04, 4);
    c.socket.write(big);
    await c.closed;
    await stillServing();
  });

  it('closes the connection on garbage bytes', async () => {
    const c = await raw(smsc.port);
    c.socket.write(Buffer.from('GET / HTTP/1.1\r\nHost: example\r\n\r\n'));
    await c.closed;
    await stillServing();
  });

  it('drops a truncated PDU when the peer goes away mid-PDU', async () => {
    const c = await raw(smsc.port);
    c.socket.write(bind(1));
    expect((await c.next()).command_status).toBe(0);
    const before = smsc.messages({ limit: 10_000 }).length;
    c.socket.end(submit(5).subarray(0, 25));
    await c.closed;
    await stillServing();
    expect(smsc.messages({ limit: 10_000 }).length).toBe(before + 1);
  });
});
