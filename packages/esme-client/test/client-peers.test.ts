// What real SMSCs send and what may be sent to them, over real sockets against the raw SMPP server helper:
// a v3.3 SMSC (no sc_interface_version in bind_resp), a malformed UDH, a duplicate MO part after completion,
// national language shift tables, and the trace (password redacted, short_message as hex and text).

import { Writable } from 'node:stream';
import { encodePdu } from '@smppkit/core';
import { splitMessage } from '@smppkit/encoding';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Client,
  ConfigError,
  connect,
  type MoMessage,
  pduView,
  redactedHex,
  UndecodableMessageError,
} from '../src/index.js';
import { startSmppServer, type TestServer } from './helpers/smpp-server.js';

let server: TestServer | undefined;
let client: Client | undefined;
afterEach(async () => {
  await client?.close({ drainMs: 0 });
  await server?.close();
  client = undefined;
  server = undefined;
});
const url = (s: TestServer, q = '') => `smpp://u:p@127.0.0.1:${s.port}${q}`;
// a liveness bound only (each condition is an event the code promises); 3 s could run out on a loaded machine
const until = async (cond: () => boolean, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

const LONG = 'This text needs two parts when it is split by the client for an SMSC. '.repeat(3);

describe('an SMPP v3.3 SMSC (bind_resp without sc_interface_version) gets no TLVs', () => {
  it('SAR and payload splitting fall back to a concatenation UDH', async () => {
    server = await startSmppServer({ scInterfaceVersion: null });
    client = await connect(url(server));
    expect(client.peerAcceptsTlvs).toBe(false);
    const sar = await client.submit({ from: 'ACME', to: '4790000001', text: LONG, split: 'sar' });
    const payload = await client.submit({ from: 'ACME', to: '4790000001', text: LONG, split: 'payload' });
    expect(sar.parts).toBe(2);
    expect(payload.parts).toBe(2);
    for (const s of server.submits) {
      expect(s.sar_msg_ref_num).toBeUndefined();
      expect(s.message_payload).toBeUndefined();
      expect(s.esm_class & 0x40).toBe(0x40);
      expect((s.short_message.udh[0] as Buffer)[0]).toBe(0x00); // IEI 0x00: concatenation, 8-bit reference
    }
    expect(client.prepare({ from: 'ACME', to: '4790000001', text: LONG, split: 'sar' }).split).toBe('udh8');
  });

  it('the split option of the URL falls back too', async () => {
    server = await startSmppServer({ scInterfaceVersion: null });
    client = await connect(url(server, '?split=payload'));
    await client.submit({ from: 'ACME', to: '4790000001', text: LONG });
    expect(server.submits).toHaveLength(2);
    expect(server.submits.every((s) => s.message_payload === undefined)).toBe(true);
  });

  it('a TLV given by the caller is an error naming it, and nothing is sent', async () => {
    server = await startSmppServer({ scInterfaceVersion: null });
    client = await connect(url(server));
    const err = await client
      .submit({ from: 'ACME', to: '4790000001', text: 'x', tlvs: { user_message_reference: 7 } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(
      /TLV 'user_message_reference' cannot be sent: the SMSC's bind_resp carried no sc_interface_version/,
    );
    await expect(
      client.submitMulti({
        from: 'ACME',
        to: ['4790000001', '4790000002'],
        text: 'x',
        tlvs: { callback_num: Buffer.from('1') },
      }),
    ).rejects.toThrow(/TLV 'callback_num'/);
    expect(server.submits).toHaveLength(0);
  });

  it('an SMSC announcing 0x34 gets SAR TLVs and user TLVs', async () => {
    server = await startSmppServer({ scInterfaceVersion: 0x34 });
    client = await connect(url(server));
    expect(client.peerAcceptsTlvs).toBe(true);
    await client.submit({
      from: 'ACME',
      to: '4790000001',
      text: LONG,
      split: 'sar',
      tlvs: { user_message_reference: 7 },
    });
    expect(server.submits.map((s) => s.sar_segment_seqnum)).toEqual([1, 2]);
    expect(server.submits[0]!.user_message_reference).toBe(7);
  });

  it('an SMSC announcing 0x33 is treated as v3.3', async () => {
    server = await startSmppServer({ scInterfaceVersion: 0x33 });
    client = await connect(url(server));
    expect(client.peerAcceptsTlvs).toBe(false);
  });
});

describe('a deliver_sm whose UDH cannot be parsed', () => {
  it('is answered with status 0 and reported on error with the PDU and the reason', async () => {
    server = await startSmppServer();
    client = await connect(url(server));
    const errors: Error[] = [];
    client.on('error', (e) => errors.push(e));
    const messages: MoMessage[] = [];
    client.on('message', (m) => messages.push(m));
    // UDHL 5 but only 2 octets follow
    const resp = await server.deliver({
      source_addr: '4790000009',
      destination_addr: '2222',
      esm_class: 0x40,
      data_coding: 0,
      short_message: Buffer.from([0x05, 0x00, 0x03]),
    });
    expect(resp.command_status).toBe(0);
    await until(() => errors.length === 1);
    const e = errors[0] as UndecodableMessageError;
    expect(e).toBeInstanceOf(UndecodableMessageError);
    expect(e.code).toBe('UNDECODABLE_MESSAGE');
    expect(e.reason).toMatch(/UDHL is 5 but only 2 octets follow it/);
    expect(e.message).toMatch(
      /^deliver_sm from 4790000009 to 2222 \(sequence \d+\) acknowledged but not decodable: UDHL is 5/,
    );
    expect(e.pdu).toMatchObject({ command: 'deliver_sm', source_addr: '4790000009', esm_class: 0x40 });
    expect(client.moCounters.undecodable).toBe(1);
    expect(messages).toHaveLength(0);
  });
});

describe('MO reassembly against resends', () => {
  it('a part resent after its message completed is a duplicate, not a second, partial message', async () => {
    server = await startSmppServer();
    client = await connect({ url: url(server), reassemblyTimeoutMs: 300 });
    const messages: MoMessage[] = [];
    const dups: Array<{ sequence: number; of: string }> = [];
    client.on('message', (m) => messages.push(m));
    client.on('duplicatePart', (d) => dups.push({ sequence: d.sequence, of: d.of }));
    const s = splitMessage(LONG, { reference: 42 });
    expect(s.parts).toHaveLength(2);
    const deliver = (i: number) =>
      server!.deliver({
        source_addr: '4790000009',
        destination_addr: '2222',
        esm_class: 0x40,
        data_coding: s.dataCoding,
        short_message: s.parts[i]!.shortMessage,
      });
    for (const i of [0, 1]) expect((await deliver(i)).command_status).toBe(0);
    await until(() => messages.length === 1);
    expect(messages[0]).toMatchObject({ text: LONG, complete: true, parts: 2 });
    // the SMSC did not get (or lost) the resp of part 2 and sends it again: still answered, not a new message
    expect((await deliver(1)).command_status).toBe(0);
    await until(() => dups.length === 1);
    // past the reassembly timeout and a sweep (1 s): no partial message appears
    await new Promise((r) => setTimeout(r, 1500));
    expect(messages).toHaveLength(1);
    expect(dups).toEqual([{ sequence: 2, of: 'completed' }]);
    expect(client.moCounters).toMatchObject({ complete: 1, partial: 0, duplicates: 1 });
  });
});

describe('MO duplicate window option', () => {
  it('moDuplicateWindowMs 0 remembers nothing: a resent part starts a new message', async () => {
    server = await startSmppServer();
    client = await connect({ url: url(server), moDuplicateWindowMs: 0 });
    const s = splitMessage(LONG, { reference: 43 });
    for (const i of [0, 1, 1])
      await server.deliver({
        source_addr: '4790000009',
        destination_addr: '2222',
        esm_class: 0x40,
        data_coding: 0,
        short_message: s.parts[i]!.shortMessage,
      });
    await until(() => client!.moCounters.complete === 1);
    expect(client.moCounters.duplicates).toBe(0);
    await expect(connect({ url: url(server), moDuplicateWindowMs: -1 })).rejects.toThrow(
      /moDuplicateWindowMs '-1' is not a number >= 0/,
    );
  });
});

describe('national language shift tables', () => {
  const TURKISH =
    'Merhaba! Şifreniz 123456. Lütfen bu kodu kimseyle paylaşmayın. Güvenliğiniz için çağrı merkezimiz asla şifre ' +
    'sormaz. İyi günler dileriz, ağustos ayında görüşmek üzere. Şimdi ödeme yapın ve kazanın! Teşekkürler, iyi çalışmalar.';

  it("national: 'tr' sends Turkish as GSM 7-bit with the Turkish table, in fewer parts than UCS-2", async () => {
    server = await startSmppServer();
    client = await connect(url(server));
    const plain = await client.submit({ from: 'ACME', to: '4790000001', text: TURKISH });
    expect(plain.dataCoding).toBe(8);
    await client.close({ drainMs: 0 });
    client = await connect({ url: url(server), national: 'tr' });
    const before = server.submits.length;
    const tr = await client.submit({ from: 'ACME', to: '4790000001', text: TURKISH });
    expect(tr.dataCoding).toBe(0);
    expect(tr.parts).toBeLessThan(plain.parts);
    const sent = server.submits.slice(before);
    expect(sent).toHaveLength(tr.parts);
    // every part names the Turkish table (IEI 0x25 locking or 0x24 single shift, language 1)
    for (const s of sent)
      expect((s.short_message.udh as Buffer[]).some((u) => (u[0] === 0x24 || u[0] === 0x25) && u[2] === 1)).toBe(true);
  });

  it('per message, by URL, and a wrong code is an error naming it', async () => {
    server = await startSmppServer();
    client = await connect(url(server, '?national=es,tr'));
    expect(client.options.national).toEqual(['es', 'tr']);
    expect(client.prepare({ from: 'A', to: '4790000001', text: 'Şifre' }).dataCoding).toBe(0);
    expect(client.prepare({ from: 'A', to: '4790000001', text: 'Şifre', national: false }).dataCoding).toBe(8);
    expect(() => client!.prepare({ from: 'A', to: '4790000001', text: 'x', national: 'xx' as never })).toThrow(
      /national 'xx' is not one of tr, es, pt/,
    );
    await expect(connect(url(server, '?national=klingon'))).rejects.toThrow(
      /URL query parameter 'national': 'klingon' is not one of tr, es/,
    );
  });

  it('an MO in GSM 7-bit with the Turkish tables named in its UDH is decoded with them', async () => {
    server = await startSmppServer();
    client = await connect(url(server));
    const got = new Promise<MoMessage>((resolve) => client!.once('message', resolve));
    const s = splitMessage('Şifre ğüşıöç İyi', { nationalLanguages: [1] });
    expect(s.parts).toHaveLength(1);
    expect(s.dataCoding).toBe(0);
    await server.deliver({
      source_addr: '905320000000',
      destination_addr: '2222',
      esm_class: 0x40,
      data_coding: 0,
      short_message: s.parts[0]!.shortMessage,
    });
    expect((await got).text).toBe('Şifre ğüşıöç İyi');
  });
});

describe('trace', () => {
  it('an outbind (system_id, password) is redacted too; other PDUs are left as they are', () => {
    const outbind = encodePdu({
      command: 'outbind',
      command_status: 0,
      sequence_number: 1,
      system_id: 'smsc',
      password: 'hunter2',
    } as never);
    expect(redactedHex(outbind)).not.toContain(Buffer.from('hunter2').toString('hex'));
    expect(redactedHex(outbind)).toContain(Buffer.from('smsc\0*******\0').toString('hex'));
    const enq = encodePdu({ command: 'enquire_link', command_status: 0, sequence_number: 2 } as never);
    expect(redactedHex(enq)).toBe(enq.toString('hex'));
    expect(
      pduView({
        command: 'outbind',
        sequence_number: 1,
        command_status: 0,
        system_id: 'smsc',
        password: 'hunter2',
      } as never).password,
    ).toBe('***');
  });

  it('redacts the password (fields and hex) and shows short_message as hex and text', async () => {
    server = await startSmppServer();
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _e, cb) => (lines.push(...String(chunk).trim().split('\n')), cb()) });
    client = await connect({
      url: 'smpp://u:s3cr3tpw@127.0.0.1:' + server.port,
      trace: true,
      logger: pino({ level: 'debug' }, sink) as never,
    });
    await client.submit({ from: 'ACME', to: '4790000001', text: 'Hello trace' });
    await until(() => lines.some((l) => l.includes('submit_sm_resp')));
    const all = lines.join('\n');
    expect(all).not.toContain('s3cr3tpw');
    expect(all).not.toContain(Buffer.from('s3cr3tpw').toString('hex'));
    const bind = JSON.parse(lines.find((l) => l.includes('"PDU out bind_transceiver"'))!);
    expect(bind.pdu.password).toBe('***');
    expect(bind.hex).toContain('2a2a2a2a2a2a2a2a00'); // the password's octets as '*'
    const submit = JSON.parse(lines.find((l) => l.includes('"PDU out submit_sm"'))!);
    expect(submit.pdu.short_message).toEqual({ hex: Buffer.from('Hello trace').toString('hex'), text: 'Hello trace' });
    expect(all).not.toContain('"type":"Buffer"');
  });
});
