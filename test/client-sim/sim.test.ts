// The client against the simulator (@smppkit/smsc-sim): long messages stored whole, receipts matched whatever
// base the ids are written in, MO reassembly, and throttling by the account's TPS.

import { type Client, connect, type LogicalReceipt, type MoMessage } from '@smppkit/esme-client';
import { type SmscHandle, startSmsc } from '@smppkit/smsc-sim';
import { afterEach, describe, expect, it } from 'vitest';

let smsc: SmscHandle | undefined;
const clients: Client[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close({ drainMs: 0 });
  await smsc?.close();
  smsc = undefined;
});

async function client(systemId: string, password: string, extra: Record<string, unknown> = {}): Promise<Client> {
  const c = await connect({ url: `smpp://${systemId}:${password}@127.0.0.1:${smsc!.port}`, ...extra });
  clients.push(c);
  return c;
}

const dialects = [
  {
    name: 'hex ids in responses, decimal in receipts',
    receipt: { idFormat: 'hex', receiptIdFormat: 'decimal', dateDigits: 10, content: 'text', lowerCaseKeys: false },
  },
  {
    name: 'decimal ids in responses, hex in receipts (TLVs only)',
    receipt: { idFormat: 'decimal', receiptIdFormat: 'hex', dateDigits: 12, content: 'tlv', lowerCaseKeys: true },
  },
  {
    name: 'hex everywhere, text and TLVs',
    receipt: { idFormat: 'hex', dateDigits: 12, content: 'text+tlv', lowerCaseKeys: false },
  },
];

describe('receipts against the simulator', () => {
  for (const d of dialects) {
    it(`matches receipts: ${d.name}; one logical result per long message`, async () => {
      smsc = await startSmsc({
        accounts: [{ systemId: 'acme', password: 'pw', receipt: d.receipt }],
        defaultDelayMs: 20,
      });
      const c = await client('acme', 'pw');
      const logical: LogicalReceipt[] = [];
      c.on('receipt', (r) => logical.push(r));
      const short = await c.submit({ from: 'ACME', to: '4790000001', text: 'short one', dlr: true });
      const long = await c.submit({ from: 'ACME', to: '4790000002', text: 'long message '.repeat(30), dlr: true });
      expect(long.parts).toBe(3);
      const [r1, r2] = await Promise.all([
        c.waitForReceipt(short.messageIds[0]!, 10_000),
        c.waitForReceipt(long.messageIds[1]!, 10_000),
      ]);
      expect(r1).toMatchObject({ stat: 'DELIVRD', delivered: true, messageIds: short.messageIds });
      expect(r2.messageIds).toEqual(long.messageIds);
      expect(r2.parts).toHaveLength(3);
      expect(r2.stat).toBe('DELIVRD');
      await new Promise((r) => setTimeout(r, 100));
      expect(logical).toHaveLength(2); // one per message, not per part
    });
  }

  it('under load, in the hex→decimal dialect, every receipt is paired with the right submit (none lost)', async () => {
    smsc = await startSmsc({
      accounts: [
        {
          systemId: 'acme',
          password: 'pw',
          receipt: {
            idFormat: 'hex',
            receiptIdFormat: 'decimal',
            dateDigits: 10,
            content: 'text',
            lowerCaseKeys: false,
          },
        },
      ],
      defaultDelayMs: 30,
    });
    const c = await client('acme', 'pw', { windowSize: 50 });
    const results: LogicalReceipt[] = [];
    c.on('receipt', (r) => results.push(r));
    const texts = ['short', 'long two-part message '.repeat(8)];
    const submitted = await Promise.all(
      Array.from({ length: 400 }, (_, i) =>
        c.submit({ from: 'ACME', to: '4790000001', text: texts[i % 2]!, dlr: true }),
      ),
    );
    const deadline = Date.now() + 15_000;
    while (results.length < submitted.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(results).toHaveLength(400);
    for (const r of results) r.parts.forEach((p, i) => expect(p.id).toBe(BigInt(`0x${r.messageIds[i]}`).toString(10)));
    expect(c.matcher.idForm).toBe('hexToDecimal');
  });

  it('a transmitter+receiver pair gets the receipts of its submits on the receiver', async () => {
    smsc = await startSmsc({ accounts: [{ systemId: 'acme', password: 'pw' }], defaultDelayMs: 10 });
    const c = await client('acme', 'pw', { mode: 'pair' });
    const r = await c.submit({ from: 'ACME', to: '4790000001', text: 'pair', dlr: true });
    const receipt = await c.waitForReceipt(r.messageIds[0]!, 10_000);
    expect(receipt.stat).toBe('DELIVRD');
    expect(smsc.sessions().length).toBe(2);
  });

  it('reports an undelivered outcome with its stat', async () => {
    smsc = await startSmsc({
      accounts: [{ systemId: 'acme', password: 'pw' }],
      rules: [{ match: { destination: '4791' }, outcome: { state: 'UNDELIVERABLE', err: 11, delayMs: 10 } }],
    });
    const c = await client('acme', 'pw');
    const r = await c.submit({ from: 'ACME', to: '4791000001', text: 'x', dlr: true });
    const receipt = await c.waitForReceipt(r.messageIds[0]!, 10_000);
    expect(receipt).toMatchObject({ stat: 'UNDELIV', delivered: false });
  });
});

describe('messages against the simulator', () => {
  it('long GSM, UCS-2 and emoji messages are stored whole by the SMSC', async () => {
    smsc = await startSmsc({ accounts: [{ systemId: 'acme', password: 'pw' }] });
    const c = await client('acme', 'pw');
    const texts = [
      'GSM with €uro and [brackets] '.repeat(12),
      'Длинное сообщение на кириллице. '.repeat(6),
      'emoji 😀🎉👍🏽 '.repeat(20),
    ];
    for (const text of texts) {
      const r = await c.submit({ from: 'ACME', to: '4790000001', text });
      expect(r.parts).toBeGreaterThan(1);
      const m = await smsc.waitForMessage({ text }, 5000);
      expect(m.complete).toBe(true);
      expect(m.partTotal).toBe(r.parts);
      expect(m.ids).toEqual(r.messageIds);
    }
  });

  it('MO messages injected at the SMSC arrive whole and decoded', async () => {
    smsc = await startSmsc({ accounts: [{ systemId: 'acme', password: 'pw' }] });
    const c = await client('acme', 'pw');
    const it = c.messages();
    const text = 'Ответ абонента с эмодзи 😀 — '.repeat(5);
    const res = smsc.injectMo({ from: '4790000009', to: '2222', text, systemId: 'acme' });
    expect(res.parts).toBeGreaterThan(1);
    const m = (await it.next()).value as MoMessage;
    expect(m).toMatchObject({ from: '4790000009', to: '2222', text, complete: true, parts: res.parts });
    await it.return!();
  });

  it('slows down and retries when the account TPS is exceeded; every submit succeeds', async () => {
    smsc = await startSmsc({ accounts: [{ systemId: 'acme', password: 'pw', tps: 50 }] });
    const c = await client('acme', 'pw', {
      windowSize: 20,
      retry: { ESME_RTHROTTLED: { initialDelayMs: 20, maxDelayMs: 200, maxAttempts: 50 } },
    });
    let throttled = 0;
    c.on('throttled', () => throttled++);
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => c.submit({ from: 'ACME', to: '4790000001', text: `t${i}` })),
    );
    expect(results).toHaveLength(60);
    expect(throttled).toBeGreaterThan(0);
    expect(smsc.messages({}).length).toBe(60);
  });
});
