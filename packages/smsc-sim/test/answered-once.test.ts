// Every request answered exactly once, nothing stored unanswered (issue 13), over a raw socket: a duplicate
// sequence number, and the unbindAfterPdus fault under a pipelined burst.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type SmscHandle, startSmsc } from '../src/index.js';
import { bindPdu, submitSmPdu } from './pdus.js';
import { type RawClient, rawClient } from './raw-client.js';

let smsc: SmscHandle;
const clients: RawClient[] = [];

beforeAll(async () => {
  smsc = await startSmsc({
    port: 0,
    store: 'memory',
    logLevel: 'silent',
    accounts: [
      { systemId: 'dup', password: 'pw' },
      { systemId: 'faulty', password: 'pw' },
    ],
  });
});
afterEach(() => {
  smsc.setFaults(undefined, 'faulty');
  for (const c of clients.splice(0)) c.socket.destroy();
});
afterAll(async () => {
  await smsc.close();
});

async function bound(systemId: string): Promise<RawClient> {
  const c = await rawClient(smsc.port);
  clients.push(c);
  c.socket.write(bindPdu(1, systemId));
  expect(await c.next()).toMatchObject({ command: 'bind_transceiver_resp', command_status: 0 });
  return c;
}

const submit = (seq: number, to: string, text: string) =>
  submitSmPdu(seq, { destination_addr: to, short_message: Buffer.from(text) });

describe('every request answered exactly once', () => {
  it('two submit_sm in flight with one sequence number: one stored, both answered', async () => {
    const c = await bound('dup');
    c.socket.write(Buffer.concat([submit(5, '4479100001', 'first'), submit(5, '4479100001', 'second')]));
    const answers = [await c.next(), await c.next()];
    expect(answers.map((a) => a.sequence_number)).toEqual([5, 5]);
    expect(answers.map((a) => a.command)).toEqual(['submit_sm_resp', 'submit_sm_resp']);
    expect(answers.map((a) => a.command_status).sort()).toEqual([0, 8]); // ESME_RSYSERR for the duplicate
    const stored = smsc.messages({ to: '4479100001', limit: 10 });
    expect(stored.map((m) => m.text)).toEqual(['first']);
    const ok = answers.find((a) => a.command_status === 0) as { message_id: string };
    expect(ok.message_id).toBe(stored[0].id);
  });
});
