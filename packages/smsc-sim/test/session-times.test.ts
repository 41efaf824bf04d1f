// A session's connectedAt (= since) and boundAt in the admin view: ISO times of its accept and of its bind, null
// while not bound (kept as numbers on the connection, written as ISO strings here).
import { afterEach, describe, expect, it } from 'vitest';
import { type SmscHandle, startSmsc } from '../src/index.js';
import { bindPdu } from './pdus.js';
import { rawClient } from './raw-client.js';

let smsc: SmscHandle | undefined;
afterEach(async () => {
  await smsc?.close();
  smsc = undefined;
});

const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('session times', () => {
  it('gives connectedAt and since at the accept, boundAt at the bind (null before)', async () => {
    smsc = await startSmsc({ port: 0, store: 'memory', logLevel: 'silent' });
    const t0 = Date.now();
    const c = await rawClient(smsc.port);
    for (let i = 0; i < 200 && smsc.smsc.sessions().length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    const before = smsc.smsc.sessions()[0]!;
    expect(before.connectedAt).toMatch(iso);
    expect(before.since).toBe(before.connectedAt);
    expect(before.boundAt).toBeNull();
    const connected = Date.parse(before.connectedAt);
    expect(connected).toBeGreaterThanOrEqual(t0);

    await new Promise((r) => setTimeout(r, 20));
    c.socket.write(bindPdu(1, 'acme', 'pw'));
    expect((await c.next()).command_status).toBe(0);
    const t1 = Date.now();
    const after = smsc.smsc.sessions()[0]!;
    expect(after.connectedAt).toBe(before.connectedAt);
    expect(after.boundAt).toMatch(iso);
    const bound = Date.parse(after.boundAt!);
    expect(bound).toBeGreaterThanOrEqual(connected + 15);
    expect(bound).toBeLessThanOrEqual(t1);
    c.socket.destroy();
  });
});
