// A submit_sm's record says its fields are its frame's (record.ts fromFrame) only when they are: the row written
// from it reads back, after a restart, as the message that was sent, whether its text is in short_message (a
// compact row) or in message_payload (kept whole), and after a replace of a message held for its receipt.
import { describe, expect, it } from 'vitest';
import { startSmsc } from '../src/index.js';
import { MessageStore } from '../src/store/index.js';
import { bindPdu, submitSmPdu } from './pdus.js';
import { rawClient } from './raw-client.js';
import { tempDbs } from './temp-db.js';

const tempDb = tempDbs('from-frame-');

describe('a record built from its submit_sm frame', () => {
  it('reads back from its file as sent: short_message, message_payload, replaced', async () => {
    const path = tempDb();
    const smsc = await startSmsc({ port: 0, store: { path }, logLevel: 'silent', defaultDelayMs: 60_000 });
    const client = await rawClient(smsc.port);
    const next = async () => {
      for (;;) {
        const pdu = await client.next();
        if (pdu.command !== 'deliver_sm') return pdu as typeof pdu & { message_id: string };
      }
    };
    client.socket.write(bindPdu(1, 'frame'));
    expect((await next()).command_status).toBe(0);
    const sent = [
      { short_message: Buffer.from('plain text') },
      { short_message: Buffer.alloc(0), tlvs: { message_payload: Buffer.from('payload text') } },
      { short_message: Buffer.from('first'), registered_delivery: 1, destination_addr: '4470000002' },
      {
        short_message: Buffer.from('replaced'),
        registered_delivery: 1,
        destination_addr: '4470000002',
        replace_if_present_flag: 1,
      },
    ];
    const mids: string[] = [];
    for (let i = 0; i < sent.length; i++) {
      client.socket.write(submitSmPdu(i + 2, sent[i]!));
      const r = await next();
      expect(r.command_status).toBe(0);
      mids.push(r.message_id);
    }
    expect(mids[3]).toBe(mids[2]);
    client.socket.destroy();
    await smsc.close();
    const store = new MessageStore({ path });
    const byMid = new Map(
      store
        .query({ limit: 10 })
        .groups.flat()
        .map((m) => [m.mid, m]),
    );
    const text = (mid: string) => byMid.get(mid)!.shortMessage.toString('latin1');
    expect([text(mids[0]!), text(mids[1]!), text(mids[2]!)]).toEqual(['plain text', 'payload text', 'replaced']);
    expect(byMid.get(mids[2]!)!.destAddr).toBe('4470000002');
    store.close();
  });
});
