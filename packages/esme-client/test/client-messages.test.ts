// Long messages, encodings, submit_multi, MO messages and TLS over real sockets against the npm smpp server.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Client, connect, type MoMessage } from '../src/index.js';
import { reassembleSubmits, startSmppServer, type TestServer } from './helpers/smpp-server.js';

let server: TestServer | undefined;
let client: Client | undefined;
afterEach(async () => {
  await client?.close({ drainMs: 0 });
  await server?.close();
  client = undefined;
  server = undefined;
});
const url = (s: TestServer, q = '') => `smpp://u:p@127.0.0.1:${s.port}${q}`;

describe('long messages are split, sent in order, and received whole', () => {
  const cases = [
    { name: 'GSM 7-bit with extension characters', text: 'Price: 10€ [promo] {code} ~ '.repeat(20), dataCoding: 0 },
    { name: 'UCS-2 Cyrillic', text: 'Привет, это длинное сообщение. '.repeat(8), dataCoding: 8 },
    { name: 'emoji (surrogate pairs, never split)', text: '😀 ok 👍🏽 '.repeat(30), dataCoding: 8 },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      server = await startSmppServer({ onSubmit: (_p, ctx) => ({ delayMs: ctx.index % 2 ? 3 : 0 }) });
      client = await connect(url(server, '?window=10'));
      const r = await client.submit({ from: 'ACME', to: '4790000001', text: c.text });
      expect(r.parts).toBeGreaterThan(1);
      expect(r.messageIds).toHaveLength(r.parts);
      expect(r.dataCoding).toBe(c.dataCoding);
      expect(server.submits.every((s) => s.data_coding === c.dataCoding && (s.esm_class & 0x40) === 0x40)).toBe(true);
      // sent in order: part numbers 1..n
      expect(server.submits.map((s) => (s.short_message.udh[0] as Buffer)[4])).toEqual(
        Array.from({ length: r.parts }, (_, i) => i + 1),
      );
      expect(reassembleSubmits(server.submits)).toEqual([c.text]);
    });
  }

  it('SAR TLVs and message_payload on request', async () => {
    server = await startSmppServer();
    client = await connect(url(server));
    const text = 'Long message via SAR. '.repeat(12);
    const sar = await client.submit({ from: 'ACME', to: '4790000001', text, split: 'sar' });
    expect(sar.parts).toBe(2);
    expect(server.submits.map((s) => s.sar_segment_seqnum)).toEqual([1, 2]);
    expect(server.submits.every((s) => (s.esm_class & 0x40) === 0)).toBe(true);
    expect(reassembleSubmits(server.submits)).toEqual([text]);
    const payload = await client.submit({ from: 'ACME', to: '4790000001', text, split: 'payload' });
    expect(payload.parts).toBe(1);
    expect(server.submits[2]!.message_payload.message).toBe(text);
  });

  it('an explicit encoding is used; a character it cannot carry is a clear error and nothing is sent', async () => {
    server = await startSmppServer();
    client = await connect(url(server));
    const r = await client.submit({ from: 'ACME', to: '4790000001', text: 'plain', encoding: 'ucs2' });
    expect(r.dataCoding).toBe(8);
    await expect(client.submit({ from: 'ACME', to: '4790000001', text: 'Привет', encoding: 'gsm7' })).rejects.toThrow(
      /П/,
    );
    await expect(
      client.submit({ from: 'ACME', to: '4790000001', text: 'x', encoding: 'klingon' as never }),
    ).rejects.toThrow(/encoding 'klingon'/);
    expect(server.submits).toHaveLength(1);
  });

  it('submitMulti sends to several destinations and reports refused ones', async () => {
    server = await startSmppServer();
    client = await connect(url(server));
    const r = await client.submitMulti({
      from: 'ACME',
      to: ['4790000001', '4790000002', '+4790000003'],
      text: 'to all',
    });
    expect(r.messageIds).toEqual(['1']);
    expect(server.submits[0]!.command).toBe('submit_multi');
    expect(server.submits[0]!.dest_address.map((d: { destination_addr: string }) => d.destination_addr)).toEqual([
      '4790000001',
      '4790000002',
      '4790000003',
    ]);
  });
});

describe('mobile-originated messages', () => {
  it('answers deliver_sm, reassembles parts that come out of order and twice, decodes UCS-2', async () => {
    server = await startSmppServer();
    client = await connect(url(server, '?mode=trx'));
    const got: MoMessage[] = [];
    client.on('message', (m) => got.push(m));
    const iterator = client.messages();
    const udh = (ref: number, total: number, seq: number) => Buffer.from([5, 0, 3, ref, total, seq]);
    const part = (seq: number, message: string) =>
      server!.deliver({
        source_addr: '4790000009',
        destination_addr: '2222',
        esm_class: 0x40,
        data_coding: 0,
        short_message: { udh: udh(7, 3, seq), message },
      });
    const resps = [await part(3, ' world!'), await part(1, 'Hello'), await part(1, 'Hello'), await part(2, ',')];
    expect(resps.every((r) => r.command === 'deliver_sm_resp' && r.command_status === 0)).toBe(true);
    await server.deliver({
      source_addr: '4790000009',
      destination_addr: '2222',
      data_coding: 8,
      short_message: { message: 'Привет 😀' },
    });
    const first = await iterator.next();
    const second = await iterator.next();
    expect(first.value).toMatchObject({
      from: '4790000009',
      to: '2222',
      text: 'Hello, world!',
      complete: true,
      parts: 3,
    });
    expect(second.value).toMatchObject({ text: 'Привет 😀', dataCoding: 8, parts: 1 });
    expect(got.map((m) => m.text)).toEqual(['Hello, world!', 'Привет 😀']);
    await iterator.return!();
  });
});

describe('bad MO data', () => {
  it('a deliver_sm with a broken UDH is acknowledged and reported, and the client goes on', async () => {
    server = await startSmppServer();
    client = await connect(url(server));
    const errors: Error[] = [];
    client.on('error', (e) => errors.push(e));
    const resp = await server.deliver({
      source_addr: '4790000009',
      destination_addr: '2222',
      esm_class: 0x40,
      data_coding: 0,
      short_message: Buffer.from([0x09, 0x00, 0x03]),
    });
    expect(resp.command_status).toBe(0);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/UDH/);
    const got = new Promise<MoMessage>((resolve) => client!.once('message', resolve));
    await server.deliver({ source_addr: '4790000009', destination_addr: '2222', short_message: 'still here' });
    expect((await got).text).toBe('still here');
  });
});

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('TLS (smpps://)', () => {
  // Node cannot create an X.509 certificate by itself; the certificate comes from the openssl command.
  it.skipIf(!hasOpenssl)('binds and submits over TLS with a self-signed certificate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esme-tls-'));
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=localhost',
          '-addext',
          'subjectAltName=IP:127.0.0.1,DNS:localhost',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
        ],
        { stdio: 'ignore' },
      );
      const key = readFileSync(join(dir, 'key.pem'));
      const cert = readFileSync(join(dir, 'cert.pem'));
      server = await startSmppServer({ tls: { key, cert } });
      client = await connect({ url: `smpps://u:p@127.0.0.1:${server.port}`, tls: { ca: cert } });
      const r = await client.submit({ from: 'ACME', to: '4790000001', text: 'over TLS' });
      expect(r.messageIds).toEqual(['1']);
      expect(server.submits[0]!.short_message.message).toBe('over TLS');
      // An untrusted certificate is refused.
      await expect(connect(`smpps://u:p@127.0.0.1:${server.port}`)).rejects.toThrow(/certificate/i);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('submit options and tracing', () => {
  it('sends validity, schedule, priority, registered_delivery and TLVs; traces PDUs decoded with hex', async () => {
    server = await startSmppServer();
    const traced: Array<{ dir: string; command: string | undefined; hex: string }> = [];
    client = await connect({
      url: url(server),
      traceFn: (dir, pdu, bytes) => traced.push({ dir, command: pdu?.command, hex: bytes.toString('hex') }),
    });
    const at = new Date(Date.UTC(2030, 0, 2, 3, 4, 5));
    await client.submit({
      from: '+4790000000',
      to: '4790000001',
      text: 'opts',
      validity: 3600 + 60 + 5,
      schedule: at,
      priority: 2,
      dlr: true,
      tlvs: { user_message_reference: 42 },
    });
    const s = server.submits[0]!;
    expect(s.priority_flag).toBe(2);
    expect(s.registered_delivery).toBe(1);
    expect(s.user_message_reference).toBe(42);
    expect(s.source_addr).toBe('4790000000');
    expect([s.source_addr_ton, s.source_addr_npi]).toEqual([1, 1]);
    // The npm smpp package decodes SMPP times to Dates, a relative one as now + the offset.
    expect(s.validity_period).toBeInstanceOf(Date);
    expect(Math.abs((s.validity_period as Date).getTime() - (Date.now() + 3665_000))).toBeLessThan(60_000);
    expect((s.schedule_delivery_time as Date).getTime()).toBe(at.getTime());
    const out = traced.filter((t) => t.dir === 'out').map((t) => t.command);
    const inn = traced.filter((t) => t.dir === 'in').map((t) => t.command);
    expect(out).toEqual(['bind_transceiver', 'submit_sm']);
    expect(inn).toEqual(['bind_transceiver_resp', 'submit_sm_resp']);
    expect(traced[2]!.hex.slice(8, 16)).toBe('00000004'); // submit_sm command_id on the wire
  });

  it('bad submit input is a clear error naming the field, and nothing is sent', async () => {
    server = await startSmppServer();
    client = await connect(url(server));
    await expect(client.submit({ from: 'TOO-LONG-SENDER', to: '4790000001', text: 'x' })).rejects.toThrow(
      /from 'TOO-LONG-SENDER' is 15 characters, an alphanumeric sender has at most 11/,
    );
    await expect(client.submit({ from: 'A', to: '4790000001', text: 'x', priority: 7 })).rejects.toThrow(
      /priority 7 is not 0\.\.3/,
    );
    await expect(client.submit({ from: 'A', to: '4790000001', text: 'x', validity: 'tomorrow' })).rejects.toThrow(
      /validity 'tomorrow' is not an SMPP time/,
    );
    await expect(client.submit({ from: 'A', to: '4790000001' })).rejects.toThrow(/text \(or bytes\) is missing/);
    expect(server.submits).toHaveLength(0);
  });

  it('answers data_sm MO with message_payload and decodes it', async () => {
    server = await startSmppServer();
    client = await connect(url(server));
    const got = new Promise<MoMessage>((resolve) => client!.once('message', resolve));
    const s = server.receiverSessions()[0]!;
    const resp = await new Promise<any>((resolve) =>
      (s as any).data_sm(
        {
          source_addr: '4790000007',
          destination_addr: '2222',
          data_coding: 8,
          message_payload: { message: 'data_sm привет' },
        },
        resolve,
      ),
    );
    expect(resp.command).toBe('data_sm_resp');
    expect(resp.command_status).toBe(0);
    expect(await got).toMatchObject({ from: '4790000007', text: 'data_sm привет' });
  });
});
