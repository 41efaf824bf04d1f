// Failed binds throttled per source address and per system_id (security.bindFailures): a growing delay before the
// failure answer, then a lockout (ESME_RBINDFAIL, connection closed); logged at most once a second per source with
// a count. Connections not bound limited per source address (limits.unboundPerSource). Over real sockets, from
// several loopback addresses.
import { CommandStatus, type Pdu } from '@smppkit/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type SmscHandle, type StartOptions, startSmsc } from '../src/index.js';
import { createLogger } from '../src/util/logger.js';
import { bindPdu } from './pdus.js';
import { type PeerAt, peerAt } from './peer-at.js';

let smsc: SmscHandle | undefined;
const peers: PeerAt[] = [];
afterEach(async () => {
  for (const p of peers.splice(0)) p.socket.destroy();
  await smsc?.close();
  smsc = undefined;
});

const ACCOUNTS = [
  { systemId: 'good', password: 'pw' },
  { systemId: 'victim', password: 'pw' },
];

async function start(opts: Partial<StartOptions> = {}): Promise<{ lines: Array<Record<string, any>> }> {
  const lines: Array<Record<string, any>> = [];
  const logger = createLogger('info', { write: (s: string) => void lines.push(JSON.parse(s)) });
  smsc = await startSmsc({ port: 0, store: 'memory', logger, accounts: ACCOUNTS, ...opts });
  return { lines };
}

async function peer(from = '127.0.0.1'): Promise<PeerAt> {
  const p = await peerAt(smsc!.port, from);
  peers.push(p);
  return p;
}

/** Binds on a new connection; resolves with the answer and when it came (ms after the bind was written). */
async function bindOnce(
  systemId: string,
  password: string,
  from = '127.0.0.1',
): Promise<{ resp: Pdu; ms: number; p: PeerAt }> {
  const p = await peer(from);
  const t0 = performance.now();
  p.socket.write(bindPdu(1, systemId, password));
  const resp = await p.nth(1);
  return { resp, ms: performance.now() - t0, p };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('failed binds', () => {
  it('wait longer the more failed before them, per source: 0, then delayMs, 2 × delayMs …', async () => {
    await start({ security: { bindFailures: { delayMs: 300, maxDelayMs: 600, lockoutAfter: 0 } } });
    const first = await bindOnce('good', 'wrong1');
    expect(first.resp.command_status).toBe(CommandStatus.ESME_RINVPASWD);
    const second = await bindOnce('nobody', 'x'); // another system_id: the source's count holds
    expect(second.resp.command_status).toBe(CommandStatus.ESME_RINVSYSID);
    expect(second.ms).toBeGreaterThanOrEqual(300 - 5);
    const third = await bindOnce('good', 'wrong3');
    expect(third.ms).toBeGreaterThanOrEqual(600 - 5);
    const fourth = await bindOnce('good', 'wrong4'); // capped at maxDelayMs
    expect(fourth.resp.command_status).toBe(CommandStatus.ESME_RINVPASWD);
    expect(fourth.ms).toBeGreaterThanOrEqual(600 - 5);
    // the right password from the same source: answered with no wait, bound
    const ok = await bindOnce('good', 'pw');
    expect(ok.resp.command_status).toBe(0);
  });

  it('a few failures do not lock out (defaults)', async () => {
    await start();
    for (let i = 0; i < 5; i++)
      expect((await bindOnce('good', `wrong${i}`)).resp.command_status).toBe(CommandStatus.ESME_RINVPASWD);
    expect((await bindOnce('good', 'pw')).resp.command_status).toBe(0);
  });

  it('lock out a source after lockoutAfter: ESME_RBINDFAIL even with the right password, then closed; other sources bind', async () => {
    const { lines } = await start({
      security: { bindFailures: { delayMs: 0, maxDelayMs: 50, lockoutAfter: 3, lockoutMs: 60_000 } },
    });
    for (const id of ['x1', 'x2', 'x3'])
      expect((await bindOnce(id, 'pw')).resp.command_status).toBe(CommandStatus.ESME_RINVSYSID);
    const locked = await bindOnce('good', 'pw');
    expect(locked.resp.command).toBe('bind_transceiver_resp');
    expect(locked.resp.command_status).toBe(CommandStatus.ESME_RBINDFAIL);
    await locked.p.closed; // the simulator closes it after the answer
    expect((await bindOnce('good', 'pw', '127.0.0.2')).resp.command_status).toBe(0);
    const warn = lines.find((l) => l.level === 40 && /failed binds in a row for source "127\.0\.0\.1"/.test(l.msg));
    expect(warn).toMatchObject({ remote: '127.0.0.1', failedBinds: 3, lockoutMs: 60_000 });
  });

  it('lock out a system_id failing from several sources, wherever it binds from', async () => {
    await start({ security: { bindFailures: { delayMs: 0, maxDelayMs: 50, lockoutAfter: 3, lockoutMs: 60_000 } } });
    for (const from of ['127.0.0.2', '127.0.0.3', '127.0.0.4'])
      expect((await bindOnce('victim', 'guess', from)).resp.command_status).toBe(CommandStatus.ESME_RINVPASWD);
    expect((await bindOnce('victim', 'pw', '127.0.0.5')).resp.command_status).toBe(CommandStatus.ESME_RBINDFAIL);
    // another account from a clean source is not affected
    expect((await bindOnce('good', 'pw', '127.0.0.5')).resp.command_status).toBe(0);
  });

  it('are logged at most once a second per source, with the count', async () => {
    const { lines } = await start({ security: { bindFailures: { delayMs: 0, maxDelayMs: 0, lockoutAfter: 0 } } });
    const n = 60;
    const all = await Promise.all(Array.from({ length: n }, (_, i) => bindOnce('good', `wrong${i}`)));
    expect(all.every((r) => r.resp.command_status === CommandStatus.ESME_RINVPASWD)).toBe(true);
    const failedLines = () => lines.filter((l) => typeof l.failedBinds === 'number' && l.level === 30);
    const counted = () => failedLines().reduce((a, l) => a + l.failedBinds, 0);
    // the first at once, the rest counted and written by the one-second tick (within two seconds)
    for (let i = 0; i < 50 && counted() < n; i++) await sleep(100);
    const failed = failedLines();
    expect(failed.length).toBeGreaterThanOrEqual(1);
    expect(failed.length).toBeLessThanOrEqual(3);
    expect(failed.reduce((a, l) => a + l.failedBinds, 0)).toBe(n);
    expect(failed[0]).toMatchObject({ remote: '127.0.0.1', systemId: 'good', status: 'ESME_RINVPASWD' });
    expect(failed.at(-1)!.msg).toMatch(/^\d+ failed binds from 127\.0\.0\.1 in the last [12]s \(system_id "good"/);
    expect(lines.filter((l) => l.msg === 'bind refused')).toEqual([]);
  });
});

describe('connections not bound, per source address', () => {
  it('beyond limits.unboundPerSource are closed at accept (logged with a count); other sources and bound ones do not count', async () => {
    const { lines } = await start({ limits: { unboundPerSource: 3 } });
    const three = [await peer(), await peer(), await peer()];
    const fourth = await peer();
    await fourth.closed; // closed at accept, nothing written to it
    expect(fourth.pdus).toEqual([]);
    expect(three.some((p) => p.isClosed())).toBe(false);
    const elsewhere = await peer('127.0.0.2');
    elsewhere.socket.write(bindPdu(1, 'good', 'pw'));
    expect((await elsewhere.nth(1)).command_status).toBe(0);
    // one of the three binds: it no longer counts, and one more from 127.0.0.1 is accepted
    three[0]!.socket.write(bindPdu(1, 'good', 'pw'));
    expect((await three[0]!.nth(1)).command_status).toBe(0);
    const fifth = await peer();
    fifth.socket.write(bindPdu(1, 'good', 'pw'));
    expect((await fifth.nth(1)).command_status).toBe(0);
    const warn = lines.find((l) => l.refusedConnections !== undefined);
    expect(warn).toMatchObject({ level: 40, remote: '127.0.0.1', refusedConnections: 1, unboundPerSource: 3 });
    expect(warn!.msg).toBe(
      '1 connection from 127.0.0.1 closed at accept in the last 1s: 3 from it not bound yet (limits.unboundPerSource)',
    );
  });

  it('the default lets a load generator open 1,000 binds at once from one host (no refusal at accept)', async () => {
    const { lines } = await start({ accounts: [{ systemId: 'load', password: 'pw', maxBinds: 1000 }] });
    const all = await Promise.all(Array.from({ length: 1000 }, () => peer()));
    all.forEach((p, i) => p.socket.write(bindPdu(i + 1, 'load', 'pw')));
    const answers = await Promise.all(all.map((p) => p.nth(1)));
    expect(answers.filter((a) => a.command_status !== 0)).toEqual([]);
    expect(lines.filter((l) => l.refusedConnections !== undefined)).toEqual([]);
  }, 30_000);
});
