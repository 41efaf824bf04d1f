// What a pool passes on from its binds, and what it prepares for them: a duplicate MO part and an
// alert_notification reach the pool's listeners as they reach a client's; a message prepared once for the pool
// suits every bind, also one to an SMPP v3.3 SMSC (no TLVs: SAR splitting falls back to a concatenation UDH).
import { splitMessage } from '@smppkit/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import { connectPool, type MoMessage, type Pool } from '../src/index.js';
import { startSmppServer, type TestServer } from './helpers/smpp-server.js';

const servers: TestServer[] = [];
let pool: Pool | undefined;
afterEach(async () => {
  await pool?.close({ drainMs: 0 });
  pool = undefined;
  for (const s of servers.splice(0)) await s.close();
});
// a liveness bound only (each condition is an event the code promises); 3 s could run out on a loaded machine
const until = async (cond: () => boolean, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};
const LONG = 'This text needs two parts when it is split by the client for an SMSC. '.repeat(3);

describe('pool events', () => {
  it('passes on a duplicate MO part and an alert_notification', async () => {
    const server = await startSmppServer();
    servers.push(server);
    pool = await connectPool({ binds: [`smpp://u:p@127.0.0.1:${server.port}`] });
    const messages: MoMessage[] = [];
    const dups: number[] = [];
    const alerts: string[] = [];
    pool.on('message', (m) => messages.push(m));
    pool.on('duplicatePart', (d) => dups.push(d.sequence));
    pool.on('alert', (pdu) => alerts.push(String((pdu as { source_addr?: string }).source_addr)));
    const s = splitMessage(LONG, { reference: 9 });
    const deliver = (i: number) =>
      server.deliver({
        source_addr: '4790000009',
        destination_addr: '2222',
        esm_class: 0x40,
        data_coding: s.dataCoding,
        short_message: s.parts[i]!.shortMessage,
      });
    for (const i of [0, 1, 0]) expect((await deliver(i)).command_status).toBe(0);
    const session = [...server.sessions][0]! as unknown as { alert_notification(f: object): void };
    session.alert_notification({ source_addr: '4790000009', esme_addr: '2222' });
    await until(() => messages.length === 1 && dups.length === 1 && alerts.length === 1);
    expect(messages[0]!.text).toBe(LONG);
    expect(dups).toEqual([1]);
    expect(alerts).toEqual(['4790000009']);
  });

  it('prepares a message every bind accepts, when one bind reached an SMPP v3.3 SMSC', async () => {
    const v34 = await startSmppServer();
    const v33 = await startSmppServer({ scInterfaceVersion: null });
    servers.push(v34, v33);
    pool = await connectPool({ binds: [`smpp://u:p@127.0.0.1:${v34.port}`, `smpp://u:p@127.0.0.1:${v33.port}`] });
    const prepared = pool.prepare({ from: 'ACME', to: '4790000001', text: LONG, split: 'sar' });
    expect(prepared.split).toBe('udh8');
    for (let i = 0; i < 4; i++) await pool.submitPrepared(prepared);
    expect(v34.submits.length).toBeGreaterThan(0);
    expect(v33.submits.length).toBeGreaterThan(0);
    for (const sm of v33.submits) expect(sm.sar_msg_ref_num).toBeUndefined();
  });
});
