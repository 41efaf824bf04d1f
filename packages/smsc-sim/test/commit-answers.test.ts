// The answers of a group commit leave once it is done, not when the read that brought their requests ends: a read
// of 100 submit_sm commits at 64 (the store's maxGroupCommit), and those 64 answers are written then, while the
// other 36 are being accepted and committed at the read's end (handlers/commit-answers.ts).
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type SmscHandle, startSmsc } from '../src/index.js';
import { STREAK } from '../src/store/group-commit.js';
import { bindPdu, submitSmPdu } from './pdus.js';
import { rawClient } from './raw-client.js';

const SUBMIT_SM_RESP = 0x80000004;

let smsc: SmscHandle;
beforeAll(async () => {
  smsc = await startSmsc({
    port: 0,
    store: 'memory',
    logLevel: 'silent',
    accounts: [{ systemId: 'c', password: 'pw' }],
  });
});
afterAll(async () => {
  vi.restoreAllMocks();
  await smsc.close();
});

/** The PDUs in one written chunk that are submit_sm_resp (0 when it holds none). */
function submitResps(chunk: Buffer): number {
  let n = 0;
  for (let o = 0; o + 16 <= chunk.length; o += chunk.readUInt32BE(o))
    if (chunk.readUInt32BE(o + 4) === SUBMIT_SM_RESP) n++;
  return n;
}

describe('answers of a group commit', () => {
  it('are written when their commit is done: a read of 100 submits leaves in writes of at most 64 answers', async () => {
    const c = await rawClient(smsc.port);
    c.socket.write(bindPdu(1, 'c'));
    expect(await c.next()).toMatchObject({ command: 'bind_transceiver_resp', command_status: 0 });
    // one submit a read first: past STREAK reads of one session, a read's last commit is made at its end (in the read)
    for (let i = 0; i < STREAK; i++) {
      c.socket.write(submitSmPdu(1000 + i));
      expect(await c.next()).toMatchObject({ command: 'submit_sm_resp', command_status: 0 });
    }
    const perWrite: number[] = [];
    const write = net.Socket.prototype.write;
    vi.spyOn(net.Socket.prototype, 'write').mockImplementation(function (this: net.Socket, ...args: unknown[]) {
      if (Buffer.isBuffer(args[0]) && this !== c.socket) {
        const n = submitResps(args[0]);
        if (n > 0) perWrite.push(n);
      }
      return (write as (...a: unknown[]) => boolean).apply(this, args);
    });
    c.socket.write(Buffer.concat(Array.from({ length: 100 }, (_, i) => submitSmPdu(i + 2))));
    const answers = [];
    for (let i = 0; i < 100; i++) answers.push(await c.next());
    vi.restoreAllMocks();
    expect(answers.map((a) => [a.command, a.command_status, a.sequence_number])).toEqual(
      Array.from({ length: 100 }, (_, i) => ['submit_sm_resp', 0, i + 2]),
    );
    expect(perWrite.reduce((a, b) => a + b, 0)).toBe(100);
    expect(Math.max(...perWrite)).toBeLessThanOrEqual(64);
    c.socket.destroy();
  });
});
