// Bad input over the socket: garbage, an oversized command_length, a truncated PDU, a PDU in the wrong state, an
// unknown command. Each gets the right status or a closed connection; the process keeps serving other sessions and
// loses nothing already stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SmscHandle, startSmsc } from '../src/index.js';
import { bindPdu, headerOnly, submitSmPdu } from './pdus.js';
import { rawClient as raw } from './raw-client.js';
import { boundPeer, type Peer } from './smpp-peer.js';

let smsc: SmscHandle;
let good: Peer;

const submit = (seq: number, fields: Record<string, unknown> = {}) =>
  submitSmPdu(seq, { short_message: Buffer.from('raw'), ...fields });
const bind = (seq: number) => bindPdu(seq, 'raw');

beforeAll(async () => {
  smsc = await startSmsc({ port: 0, store: 'memory', logLevel: 'silent' });
  good = await boundPeer(smsc.port, 'transceiver', 'good', 'pw');
  for (let i = 0; i < 5; i++) {
    const r = await new Promise<{ command_status: number }>((res) =>
      good.session.submit_sm({ source_addr: '1', destination_addr: '4479000009', short_message: `before ${i}` }, res),
    );
    expect(r.command_status).toBe(0);
  }
});

afterAll(async () => {
  good.close();
  await smsc.close();
});

async function stillServing(): Promise<void> {
  const r = await new Promise<{ command_status: number; message_id: string }>((res) =>
    good.session.submit_sm({ source_addr: '1', destination_addr: '4479000009', short_message: 'after' }, res),
  );
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
    c.socket.write(headerOnly(0x00000077, 9));
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
    const big = headerOnly(0x04, 0);
    big.writeUInt32BE(0x7fffffff, 0);
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
