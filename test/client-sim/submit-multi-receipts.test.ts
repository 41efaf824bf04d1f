// submit_multi against the simulator (issue 10): one message id for two destinations gets one receipt per
// destination; the client reports each destination's outcome (it used to report one DELIVRD and drop the other).

import { type Client, connect, type LogicalReceipt, type PartReceipt } from '@smppkit/esme-client';
import { type SmscHandle, startSmsc } from '@smppkit/smsc-sim';
import { afterEach, describe, expect, it } from 'vitest';

let smsc: SmscHandle | undefined;
let client: Client | undefined;
afterEach(async () => {
  await client?.close({ drainMs: 0 });
  await smsc?.close();
  client = undefined;
  smsc = undefined;
});

describe('submit_multi receipts against the simulator', () => {
  it('reports one outcome per destination: DELIVRD for one, UNDELIV for the other', async () => {
    smsc = await startSmsc({
      store: 'memory',
      accounts: [{ systemId: 'acme', password: 'pw' }],
      defaultDelayMs: 10,
      rules: [{ match: { destination: '4791' }, outcome: { state: 'UNDELIVERABLE', err: 11, delayMs: 10 } }],
    });
    client = await connect(`smpp://acme:pw@127.0.0.1:${smsc.port}`);
    const results: LogicalReceipt[] = [];
    const unmatched: PartReceipt[] = [];
    client.on('receipt', (r) => results.push(r));
    client.on('unmatchedReceipt', (r) => unmatched.push(r));
    const sent = await client.submitMulti({
      from: 'ACME',
      to: ['4790000001', '4791000001'],
      text: 'to both',
      dlr: true,
    });
    expect(sent.messageIds).toHaveLength(1);
    const r = await client.waitForReceipt(sent.messageIds[0]!, 10_000);
    expect(r).toMatchObject({ messageIds: sent.messageIds, stat: 'UNDELIV', delivered: false });
    expect(r.parts).toHaveLength(2);
    expect(r.destinations).toEqual([
      expect.objectContaining({ destination: '4790000001', stat: 'DELIVRD', delivered: true }),
      expect.objectContaining({ destination: '4791000001', stat: 'UNDELIV', delivered: false }),
    ]);
    await new Promise((res) => setTimeout(res, 200));
    expect(results).toHaveLength(1);
    expect(unmatched).toEqual([]);
    expect(client.matcher.counters).toMatchObject({ paired: 2, duplicates: 0 });
  });
});
