// Over a real socket: before the link's id form is learned, a receipt whose id names its submit in one form only is
// held until every submit sent before it has its response, then paired at once (not after graceMs: the matcher
// here waits a minute, so only the responses can settle it within the test).
import { afterEach, expect, it } from 'vitest';
import { type Client, connect, type LogicalReceipt, ReceiptMatcher } from '../src/index.js';
import { startSmppServer, type TestServer } from './helpers/smpp-server.js';

let server: TestServer | undefined;
let client: Client | undefined;
afterEach(async () => {
  await client?.close({ drainMs: 0 });
  await server?.close();
  client = undefined;
  server = undefined;
});

it('pairs a held receipt right after the response of the submit sent before it', async () => {
  const events: string[] = [];
  server = await startSmppServer({
    formatId: (n) => String(n + 11), // "12", "13": each also reads as hex written in decimal, and the reverse
    onSubmit: (_pdu, ctx) => {
      if (ctx.index === 2) return { delayMs: 150 }; // the second submit's response comes late
      // the first: answered at once, and its receipt right after
      setImmediate(() =>
        ctx.session.deliver_sm({
          source_addr: '4790000001',
          destination_addr: 'ACME',
          esm_class: 4,
          short_message: `id:${ctx.messageId} sub:001 dlvrd:001 submit date:2612011200 done date:2612011201 stat:DELIVRD err:000 text:`,
        }),
      );
      return {};
    },
  });
  const matcher = new ReceiptMatcher({ graceMs: 60_000 });
  client = await connect({ url: `smpp://u:p@127.0.0.1:${server.port}`, windowSize: 10, matcher });
  const got = new Promise<LogicalReceipt>((resolve) =>
    client!.on('receipt', (rc) => {
      events.push(`receipt ${rc.messageIds[0]}`);
      resolve(rc);
    }),
  );
  client.on('partReceipt', (p, matched) => {
    if (!matched) events.push(`held ${p.id}`);
  });
  const msg = { from: 'ACME', to: '4790000001', text: 'settle', dlr: true };
  const first = client.submit(msg).then((r) => events.push(`response ${r.messageIds[0]}`));
  const second = client.submit(msg).then((r) => events.push(`response ${r.messageIds[0]}`));
  await Promise.all([first, second]);
  const rc = await got;
  expect(rc.messageIds).toEqual(['12']);
  // held while "13" was unanswered (its id could have been "c" or "18"); paired as its response was read (out as
  // 'receipt' then, before the submit's promise settles); graceMs is a minute: nothing else could have paired it
  expect(events).toEqual(['response 12', 'held 12', 'receipt 12', 'response 13']);
  expect(matcher.heldReceipts).toBe(0);
  expect(matcher.counters).toMatchObject({ receipts: 1, paired: 1, unmatched: 0, mispaired: 0 });
});
