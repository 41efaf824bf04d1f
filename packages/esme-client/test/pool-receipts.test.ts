// A pool over two SMSCs (two accounts) that write receipt ids differently: each account's receipts are paired by
// its own matcher, which learns that SMSC's form (one SMSC's hex ids as given, the other's decimal ids written in hex).
import { afterEach, describe, expect, it } from 'vitest';
import { connectPool, type LogicalReceipt, type PartReceipt, type Pool } from '../src/index.js';
import { startSmppServer, type TestServer } from './helpers/smpp-server.js';

const servers: TestServer[] = [];
let pool: Pool | undefined;
afterEach(async () => {
  await pool?.close({ drainMs: 0 });
  pool = undefined;
  for (const s of servers.splice(0)) await s.close();
});

describe('pool receipts over two SMSCs', () => {
  it("pairs each SMSC's receipts in its own id form", async () => {
    const hex = await startSmppServer({ formatId: (n) => n.toString(16) });
    const dec = await startSmppServer({ formatId: (n) => String(n) });
    servers.push(hex, dec);
    pool = await connectPool({
      binds: [`smpp://acme:p@127.0.0.1:${hex.port}`, `smpp://acme2:p@127.0.0.1:${dec.port}`],
    });
    expect(pool.matchers).toHaveLength(2);
    const results: LogicalReceipt[] = [];
    const unmatched: PartReceipt[] = [];
    pool.on('receipt', (r) => results.push(r));
    pool.on('unmatchedReceipt', (r) => unmatched.push(r));
    const [onHex, onDec] = [
      pool.clients.find((c) => c.options.port === hex.port)!,
      pool.clients.find((c) => c.options.port === dec.port)!,
    ];
    const n = 40;
    const hexIds = (
      await Promise.all(
        Array.from({ length: n }, () => onHex.submit({ from: 'ACME', to: '4790000001', text: 'h', dlr: true })),
      )
    ).map((r) => r.messageIds[0]!);
    const decIds = (
      await Promise.all(
        Array.from({ length: n }, () => onDec.submit({ from: 'ACME', to: '4790000001', text: 'd', dlr: true })),
      )
    ).map((r) => r.messageIds[0]!);
    const receipt = (id: string, truth: string) => ({
      source_addr: '4790000001',
      destination_addr: 'ACME',
      esm_class: 4,
      short_message: `id:${id} stat:DELIVRD text:for ${truth}`,
    });
    await Promise.all([
      ...hexIds.map((id) => hex.deliver(receipt(id, id))),
      ...decIds.map((id) => dec.deliver(receipt(Number(id).toString(16), id))), // decimal ids written in hex
    ]);
    const deadline = Date.now() + 5000;
    while (results.length < 2 * n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(unmatched).toEqual([]);
    expect(results).toHaveLength(2 * n);
    for (const r of results) expect(r.parts[0]!.text).toBe(`for ${r.messageIds[0]}`);
    expect(pool.matchers.map((m) => m.idForm)).toEqual(['same', 'decimalToHex']);
    expect(pool.receiptCounters).toMatchObject({ paired: 2 * n, mispaired: 0, unmatched: 0, held: 0 });
  });

  it('shares one matcher between the binds of one account on different hosts, or of one receiptGroup', async () => {
    const a = await startSmppServer();
    const b = await startSmppServer();
    servers.push(a, b);
    pool = await connectPool({ binds: [`smpp://acme:p@127.0.0.1:${a.port}`, `smpp://acme:p@localhost:${b.port}`] });
    expect(pool.matchers).toHaveLength(1);
    await pool.close({ drainMs: 0 });
    pool = await connectPool({
      binds: [
        { url: `smpp://x:p@127.0.0.1:${a.port}`, receiptGroup: 'carrier' },
        { url: `smpp://y:p@127.0.0.1:${b.port}`, receiptGroup: 'carrier' },
      ],
    });
    expect(pool.matchers).toHaveLength(1);
  });
});
