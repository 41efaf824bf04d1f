// sendPrepared writes a prepared one-part submit from octets encoded once at prepare, only the sequence number
// patched per send (issue 16): the octets on the wire, captured by a raw socket on 127.0.0.1, are the ones the
// codec writes for the same PDU, each with its own sequence number; a PDU built per message is encoded as usual.
import { createServer, type Server, type Socket } from 'node:net';
import { decodePdu, encodeWithHeader, Session } from '@smppkit/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Client, connect } from '../src/index.js';

interface Capture {
  port: number;
  submits: Buffer[];
  server: Server;
}

/** An SMSC that answers bind and submit_sm at once, keeping each submit_sm's octets as they came. */
async function startCapture(): Promise<Capture> {
  const submits: Buffer[] = [];
  let ids = 0;
  const server = createServer((socket: Socket) => {
    let buf = Buffer.alloc(0);
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 16 && buf.length >= buf.readUInt32BE(0)) {
        const frame = Buffer.from(buf.subarray(0, buf.readUInt32BE(0)));
        buf = buf.subarray(frame.length);
        const pdu = decodePdu(frame);
        const seq = pdu.sequence_number;
        if (pdu.command === 'bind_transceiver')
          socket.write(
            encodeWithHeader(
              'bind_transceiver_resp',
              { system_id: 'CAP', tlvs: { sc_interface_version: 0x34 } },
              0,
              seq,
            ),
          );
        else if (pdu.command === 'submit_sm') {
          submits.push(frame);
          socket.write(encodeWithHeader('submit_sm_resp', { message_id: String(++ids) }, 0, seq));
        } else if (pdu.command === 'unbind') socket.write(encodeWithHeader('unbind_resp', undefined, 0, seq));
      }
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as { port: number }).port, submits, server };
}

function sendAll(client: Client, count: number, pick: (i: number) => Parameters<Client['sendPrepared']>[0]) {
  return new Promise<string[]>((resolve, reject) => {
    const ids: string[] = [];
    const done = {
      ok: (id: string) => {
        ids.push(id);
        if (ids.length === count) resolve(ids);
      },
      fail: reject,
    };
    for (let i = 0; i < count; i++) client.sendPrepared(pick(i), i, done);
  });
}

/** The destination_addr of a captured submit_sm. */
function destOf(frame: Buffer): string {
  return (decodePdu(frame) as { destination_addr?: string }).destination_addr ?? '';
}

/** The octets the codec writes for `fields` as submit_sm with the frame's own sequence number. */
function expectedFor(frame: Buffer, fields: object): Buffer {
  return encodeWithHeader('submit_sm', fields, 0, frame.readUInt32BE(12));
}

describe('Client.sendPrepared from octets encoded at prepare', () => {
  let cap: Capture | undefined;
  let client: Client | undefined;
  afterEach(async () => {
    await client?.close({ drainMs: 0 });
    await new Promise((r) => cap?.server.close(r));
    cap = client = undefined;
    vi.restoreAllMocks();
  });

  it('sends the octets the codec writes for the PDU, each with its own sequence number', async () => {
    cap = await startCapture();
    const encodedSends = vi.spyOn(Session.prototype, 'requestEncodedWith');
    client = await connect({ url: `smpp://u:p@127.0.0.1:${cap.port}`, windowSize: 7 });
    const a = client.prepare({ from: 'ACME', to: '4790000001', text: 'hello wörld', dlr: true });
    const b = client.prepare({
      from: 'ACME',
      to: '+4790000002',
      text: 'a second one',
      validity: '000001000000000R',
      tlvs: { user_message_reference: 7 },
    });
    const ids = await sendAll(client, 60, (i) => (i % 3 === 0 ? b : a));
    expect(new Set(ids).size).toBe(60);
    expect(cap.submits).toHaveLength(60);
    const seqs = new Set(cap.submits.map((f) => f.readUInt32BE(12)));
    expect(seqs.size).toBe(60);
    for (const frame of cap.submits) {
      const fields = destOf(frame) === '4790000002' ? b.parts[0]! : a.parts[0]!;
      expect(frame.equals(expectedFor(frame, fields))).toBe(true);
    }
    // the kept octets are never written to: sending them again still gives the same PDUs
    await sendAll(client, 5, () => a);
    for (const frame of cap.submits.slice(60)) expect(frame.equals(expectedFor(frame, a.parts[0]!))).toBe(true);
    expect(encodedSends).toHaveBeenCalledTimes(65);
  });

  it('a part built per message (the load generator with destinations) is encoded as given', async () => {
    cap = await startCapture();
    const encodedSends = vi.spyOn(Session.prototype, 'requestEncodedWith');
    client = await connect({ url: `smpp://u:p@127.0.0.1:${cap.port}`, windowSize: 5 });
    const p = client.prepare({ from: 'ACME', to: '4790000001', text: 'hello' });
    const per = (i: number) => ({ ...p, parts: [{ ...p.parts[0]!, destination_addr: `47900${i}` }] });
    await sendAll(client, 20, per);
    const dests = cap.submits.map((f) => destOf(f)).sort();
    expect(dests).toEqual(Array.from({ length: 20 }, (_, i) => `47900${i}`).sort());
    for (const frame of cap.submits) {
      const to = destOf(frame);
      expect(frame.equals(expectedFor(frame, { ...p.parts[0]!, destination_addr: to }))).toBe(true);
    }
    expect(encodedSends).not.toHaveBeenCalled();
  });

  it('a prepared part cannot be changed after prepare (its octets are kept): the change throws', async () => {
    cap = await startCapture();
    client = await connect({ url: `smpp://u:p@127.0.0.1:${cap.port}` });
    const p = client.prepare({ from: 'ACME', to: '4790000001', text: 'hello' });
    const part = p.parts[0]! as { destination_addr?: string };
    expect(() => {
      part.destination_addr = '4790000009';
    }).toThrow(TypeError);
    await sendAll(client, 1, () => p);
    expect(destOf(cap.submits[0]!)).toBe('4790000001');
  });
});
