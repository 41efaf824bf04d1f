// The request PDU kept with each message is the one that arrived, octet for octet: the frame the session hands
// over with the request (no second encoding).

import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SmscHandle, startSmsc } from '../src/index.js';
import { bindPdu, submitSmPdu } from './pdus.js';
import { type RawClient, rawClient } from './raw-client.js';

let smsc: SmscHandle;
let client: RawClient;
let socket: net.Socket;
/** The next response; a receipt the simulator sends meanwhile (the second submit asks for one) is passed over. */
async function next() {
  for (;;) {
    const pdu = await client.next();
    if (pdu.command !== 'deliver_sm') return pdu;
  }
}

const submit = (seq: number, fields: Record<string, unknown>) =>
  submitSmPdu(seq, {
    service_type: 'CMT',
    validity_period: '000001000000000R',
    short_message: Buffer.from('stored as sent'),
    ...fields,
  });

beforeAll(async () => {
  smsc = await startSmsc({ port: 0, store: 'memory', logLevel: 'silent' });
  client = await rawClient(smsc.port);
  socket = client.socket;
  socket.write(bindPdu(1, 'stored'));
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
    for (const [r, sent] of [
      [ra, a],
      [rb, b],
    ] as const) {
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
