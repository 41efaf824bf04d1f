// Every request answered exactly once, nothing stored unanswered (issue 13), over a raw socket: a duplicate
// sequence number, and the unbindAfterPdus fault under a pipelined burst.

import { encodePdu } from '@smppkit/core';
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

  it('unbindAfterPdus is exact: nothing after the Nth request is stored or accepted, the unbind follows the Nth answer', async () => {
    smsc.setFaults({ unbindAfterPdus: 3 }, 'faulty'); // the bind and two submits
    const c = await rawClient(smsc.port);
    clients.push(c);
    const burst = [bindPdu(1, 'faulty'), ...[2, 3, 4, 5, 6].map((seq) => submit(seq, '4479100002', `m${seq}`))];
    c.socket.write(Buffer.concat(burst)); // pipelined: one write, likely one read
    const got = [];
    for (;;) {
      const p = await c.next();
      got.push(p);
      if (p.command === 'unbind') break;
    }
    c.socket.write(
      encodePdu({ command: 'unbind_resp', command_status: 0, sequence_number: got[got.length - 1].sequence_number }),
    );
    await c.closed;
    got.push(...c.pdus);
    const accepted = got.filter((p) => p.command === 'submit_sm_resp' && p.command_status === 0);
    expect(accepted.map((p) => p.sequence_number)).toEqual([2, 3]);
    const refused = got.filter((p) => p.command === 'submit_sm_resp' && p.command_status !== 0);
    expect(refused.map((p) => [p.sequence_number, p.command_status])).toEqual([
      [4, 4],
      [5, 4],
      [6, 4],
    ]); // ESME_RINVBNDSTS: each answered once, none accepted
    // the unbind goes out right after the Nth answer (seq 3), and nothing is answered after it
    const iUnbind = got.findIndex((p) => p.command === 'unbind');
    expect(got[iUnbind - 1]).toMatchObject({ command: 'submit_sm_resp', sequence_number: 3, command_status: 0 });
    expect(got.slice(iUnbind + 1)).toEqual([]);
    expect(
      smsc
        .messages({ to: '4479100002', limit: 10 })
        .map((m) => m.text)
        .sort(),
    ).toEqual(['m2', 'm3']);
  });
});

describe('shutdown', () => {
  it('close(): requests already read are answered before our unbind, later ones refused and not stored', async () => {
    const own = await startSmsc({
      port: 0,
      store: 'memory',
      logLevel: 'silent',
      accounts: [{ systemId: 'slow', password: 'pw' }],
    });
    own.setFaults({ delayFraction: 1, delayMs: 100 }, 'slow'); // answers wait on the sweep
    const c = await rawClient(own.port);
    clients.push(c);
    c.socket.write(bindPdu(1, 'slow'));
    expect(await c.next()).toMatchObject({ command: 'bind_transceiver_resp', command_status: 0 });
    c.socket.write(Buffer.concat([2, 3, 4].map((seq) => submit(seq, '4479100003', `m${seq}`))));
    const storedNow = () => own.messages({ to: '4479100003', limit: 10 }).length;
    for (let i = 0; i < 400 && storedNow() < 3; i++) await new Promise((r) => setTimeout(r, 5));
    expect(storedNow()).toBe(3);
    expect(c.pdus).toEqual([]); // committed, answers still delayed
    const closed = own.close();
    c.socket.write(submit(5, '4479100003', 'm5')); // read after close() began
    const got = [];
    for (;;) {
      const p = await c.next();
      got.push(p);
      if (p.command === 'unbind') break;
    }
    const stored = own.messages({ to: '4479100003', limit: 10 }).map((m) => m.text);
    c.socket.write(
      encodePdu({ command: 'unbind_resp', command_status: 0, sequence_number: got[got.length - 1].sequence_number }),
    );
    await closed;
    const answers = got.filter((p) => p.command === 'submit_sm_resp');
    expect(answers.filter((p) => p.command_status === 0).map((p) => p.sequence_number)).toEqual([2, 3, 4]);
    expect(answers.filter((p) => p.command_status !== 0).map((p) => [p.sequence_number, p.command_status])).toEqual([
      [5, 4],
    ]); // ESME_RINVBNDSTS
    expect(stored.sort()).toEqual(['m2', 'm3', 'm4']);
  });
});
