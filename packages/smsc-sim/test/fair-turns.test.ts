// Good binds keep their service under a flood of bad connections (issue 13): connections not bound share
// limits.unboundPdusPerTurn PDUs per turn (core's TurnBudget), bound sessions are not counted. Real sockets: a bound
// ESME's submits all answered while 20 connections from another address pipeline wrong-password binds and garbage
// as fast as the socket takes them, the flood's PDUs held back to later turns meanwhile, and all of them answered.
import { afterEach, describe, expect, it } from 'vitest';
import { type SmscHandle, startSmsc } from '../src/index.js';
import { bindPdu, headerOnly, submitSmPdu } from './pdus.js';
import { type PeerAt, peerAt } from './peer-at.js';

let smsc: SmscHandle | undefined;
const peers: PeerAt[] = [];
afterEach(async () => {
  for (const p of peers.splice(0)) p.socket.destroy();
  await smsc?.close();
  smsc = undefined;
});

describe('a flood of connections not bound', () => {
  it('gets a small share of each turn; a bound ESME is served in full meanwhile', async () => {
    smsc = await startSmsc({
      port: 0,
      store: 'memory',
      logLevel: 'silent',
      accounts: [{ systemId: 'good', password: 'pw', window: 5000 }],
      security: { bindFailures: { delayMs: 0, maxDelayMs: 0, lockoutAfter: 0 } },
    });
    const good = await peerAt(smsc.port);
    peers.push(good);
    good.socket.write(bindPdu(1, 'good', 'pw'));
    expect((await good.nth(1)).command_status).toBe(0);
    const each = 600;
    const flood = Buffer.concat(
      Array.from({ length: each }, (_, i) => (i % 2 ? bindPdu(i + 1, 'good', 'wrong') : headerOnly(0x77, i + 1))),
    );
    for (let i = 0; i < 20; i++) {
      const p = await peerAt(smsc.port, '127.0.0.2');
      peers.push(p);
      p.socket.write(flood);
    }
    const submits = 2000;
    good.socket.write(Buffer.concat(Array.from({ length: submits }, (_, i) => submitSmPdu(i + 2))));
    await good.nth(1 + submits, 30_000);
    expect(good.pdus.slice(1).every((p) => p.command === 'submit_sm_resp' && p.command_status === 0)).toBe(true);
    expect(smsc.smsc.guard.turnBudget.deferred).toBeGreaterThan(0);
    // the flood is answered too, every PDU once, in its turn
    await Promise.all(peers.slice(1).map((p) => p.nth(each, 30_000)));
  }, 60_000);
});
