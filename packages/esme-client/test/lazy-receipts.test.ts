// lazyReceipts (esme load's): receipts are paired by the id and stat their TLVs give (or their text's, without
// the TLVs), and every field of the text is still there when read, as the eager reading gives it; a receipt held
// for its submit's response pairs the same.
import { LazyReceipt } from '@smppkit/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type Client, connect, type LogicalReceipt, type PartReceipt } from '../src/index.js';
import { startSmppServer, type TestServer } from './helpers/smpp-server.js';

let server: TestServer | undefined;
let client: Client | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
  await server?.close();
  server = undefined;
});

const text = (id: string, stat: string) =>
  `id:${id} sub:001 dlvrd:001 submit date:2612011200 done date:2612011201 stat:${stat} err:042 text:hello`;

describe('lazyReceipts', () => {
  it('pairs by the TLVs or the text, and gives the text fields when read', async () => {
    server = await startSmppServer({ formatId: (n) => n.toString(16) });
    client = await connect(`smpp://acme:p@127.0.0.1:${server.port}`, { lazyReceipts: true });
    const results: LogicalReceipt[] = [];
    const unmatched: PartReceipt[] = [];
    client.on('receipt', (r) => results.push(r));
    client.on('unmatchedReceipt', (r) => unmatched.push(r));
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await client.submit({ from: 'ACME', to: '4790000001', text: 'x', dlr: true });
      ids.push(r.messageIds[0]!);
    }
    const base = { source_addr: '4790000001', destination_addr: 'ACME', esm_class: 4 };
    // TLVs and text (the TLVs win: the text's id and stat say otherwise), text only, TLVs only
    await server.deliver({
      ...base,
      short_message: text('ffff', 'EXPIRED'),
      receipted_message_id: ids[0],
      message_state: 5,
    });
    await server.deliver({ ...base, short_message: text(ids[1]!, 'DELIVRD') });
    await server.deliver({ ...base, short_message: '', receipted_message_id: ids[2], message_state: 2 });
    const deadline = Date.now() + 5000;
    while (results.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(unmatched).toEqual([]);
    expect(results.map((r) => [r.messageIds[0], r.stat, r.delivered])).toEqual([
      [ids[0], 'UNDELIV', false],
      [ids[1], 'DELIVRD', true],
      [ids[2], 'DELIVRD', true],
    ]);
    const [a, b, c] = results.map((r) => r.parts[0]!);
    expect(a).toBeInstanceOf(LazyReceipt);
    expect(a).toMatchObject({ id: ids[0], stat: 'UNDELIV', message_state: 5, err: '042', text: 'hello', sub: '001' });
    expect(a!.done_date).toEqual(new Date(Date.UTC(2026, 11, 1, 12, 1)));
    expect(a!.destination).toBe('4790000001');
    expect(b).toMatchObject({ id: ids[1], stat: 'DELIVRD', message_state: 2, err: '042' });
    expect(c).toMatchObject({ id: ids[2], stat: 'DELIVRD', message_state: 2 });
    expect(c!.err).toBeUndefined();
    // as JSON, every field, as an eagerly read receipt's
    expect(JSON.parse(JSON.stringify(a))).toMatchObject({ id: ids[0], err: '042', submit_date_text: '2612011200' });
  });

  it('a receipt read before its submit response is held, then paired', async () => {
    // the server sends the receipt at once and answers the submit 300 ms later
    server = await startSmppServer({
      formatId: (n) => n.toString(16),
      onSubmit: (_pdu, ctx) => {
        ctx.session.deliver_sm({
          source_addr: '4790000001',
          esm_class: 4,
          short_message: text(ctx.messageId, 'DELIVRD'),
        });
        return { delayMs: 300 };
      },
    });
    client = await connect(`smpp://acme:p@127.0.0.1:${server.port}`, { lazyReceipts: true, receiptIdForm: 'same' });
    const results: LogicalReceipt[] = [];
    client.on('receipt', (r) => results.push(r));
    const sent = client.submit({ from: 'ACME', to: '4790000001', text: 'x', dlr: true });
    let deadline = Date.now() + 5000;
    while (client.matcher.heldReceipts < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(client.matcher.heldReceipts).toBe(1);
    expect(results).toEqual([]);
    const id = (await sent).messageIds[0]!;
    deadline = Date.now() + 5000;
    while (results.length < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(results.map((r) => [r.messageIds[0], r.stat])).toEqual([[id, 'DELIVRD']]);
    expect(results[0]!.parts[0]!.err).toBe('042');
    expect(client.matcher.counters).toMatchObject({ paired: 1, unmatched: 0 });
  });
});
