// An SMSC that sends C-strings longer than the spec allows (one Go SMSC simulator sends service_type "smscsim",
// 8 octets where 6 are allowed): the client accepts what it sends, acknowledges it, and counts the field.
// The SMSC here is a raw TCP server; every byte it writes is put together by hand in this file.

import { once } from 'node:events';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type Client, connect, type LogicalReceipt, type MoMessage } from '../src/index.js';

const cstr = (s: string) => Buffer.concat([Buffer.from(s, 'latin1'), Buffer.of(0)]);

function pdu(commandId: number, seq: number, body: Buffer[] = [], status = 0): Buffer {
  const b = Buffer.concat(body);
  const h = Buffer.alloc(16);
  h.writeUInt32BE(16 + b.length, 0);
  h.writeUInt32BE(commandId >>> 0, 4);
  h.writeUInt32BE(status, 8);
  h.writeUInt32BE(seq, 12);
  return Buffer.concat([h, b]);
}

/** deliver_sm with service_type "smscsim" (8 octets with its NUL; the spec allows 6). */
function deliverSm(seq: number, esmClass: number, text: string): Buffer {
  const sm = Buffer.from(text, 'latin1');
  return pdu(0x00000005, seq, [
    cstr('smscsim'),
    Buffer.of(1, 1),
    cstr('4790000001'),
    Buffer.of(5, 0),
    cstr('ACME'),
    Buffer.of(esmClass, 0, 0),
    cstr(''),
    cstr(''),
    Buffer.of(0, 0, 0, 0, sm.length),
    sm,
  ]);
}

interface Seen {
  commandId: number;
  status: number;
  seq: number;
}

/** The raw SMSC: answers bind and submit_sm, records every PDU's header; `socket` once the client connected. */
async function rawSmsc() {
  const seen: Seen[] = [];
  let socket: net.Socket | undefined;
  const server = net.createServer((s) => {
    socket = s;
    let buf = Buffer.alloc(0);
    s.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 16 && buf.length >= buf.readUInt32BE(0)) {
        const len = buf.readUInt32BE(0);
        const frame = buf.subarray(0, len);
        buf = buf.subarray(len);
        const h = { commandId: frame.readUInt32BE(4), status: frame.readUInt32BE(8), seq: frame.readUInt32BE(12) };
        seen.push(h);
        if (h.commandId === 0x00000009) s.write(pdu(0x80000009, h.seq, [cstr('GOSIM')])); // bind_transceiver_resp
        if (h.commandId === 0x00000004) s.write(pdu(0x80000004, h.seq, [cstr('a1')])); // submit_sm_resp, id a1
        if (h.commandId === 0x00000015) s.write(pdu(0x80000015, h.seq)); // enquire_link_resp
      }
    });
    s.on('error', () => {});
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as net.AddressInfo).port,
    seen,
    write: (b: Buffer) => socket!.write(b),
    close: () => {
      socket?.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let smsc: Awaited<ReturnType<typeof rawSmsc>> | undefined;
let client: Client | undefined;
afterEach(async () => {
  await client?.close({ drainMs: 0 });
  await smsc?.close();
  client = undefined;
  smsc = undefined;
});

const until = async (cond: () => boolean, what: string) => {
  const end = Date.now() + 5000;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('an SMSC sending an 8-octet service_type', () => {
  it('gets its receipt and its MO acknowledged with status 0; both reach the application; each field is counted', async () => {
    smsc = await rawSmsc();
    client = await connect(`smpp://u:p@127.0.0.1:${smsc.port}`);
    const submitted = await client.submit({ from: 'ACME', to: '4790000001', text: 'hello', dlr: true });
    expect(submitted.messageIds).toEqual(['a1']);
    const receipt = new Promise<LogicalReceipt>((resolve) => client!.once('receipt', resolve));
    const mo = new Promise<MoMessage>((resolve) => client!.once('message', resolve));

    smsc.write(
      deliverSm(
        1,
        0x04,
        'id:a1 sub:001 dlvrd:001 submit date:2612011000 done date:2612011001 stat:DELIVRD err:000 text:hello',
      ),
    );
    smsc.write(deliverSm(2, 0x00, 'hi from the handset'));

    expect(await receipt).toMatchObject({ messageIds: ['a1'], stat: 'DELIVRD' });
    const m = await mo;
    expect(m).toMatchObject({ from: '4790000001', to: 'ACME', text: 'hi from the handset' });
    expect(m.pdu).toMatchObject({ service_type: 'smscsim' });
    await until(() => smsc!.seen.filter((h) => h.commandId === 0x80000005).length === 2, 'two deliver_sm_resp');
    expect(smsc.seen.filter((h) => h.commandId === 0x80000005)).toEqual([
      { commandId: 0x80000005, status: 0, seq: 1 },
      { commandId: 0x80000005, status: 0, seq: 2 },
    ]);
    expect(client.links[0]!.session!.stats.leniency).toBe(2);
  });
});
