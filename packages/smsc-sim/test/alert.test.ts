// set_dpf and alert_notification: a submit_sm with set_dpf = 1 that fails as an absent subscriber (UNDELIVERABLE,
// err 27 here) leaves a flag in the store; when the address becomes available (the handle, POST /api/alerts) the
// submitter's receiver gets one alert_notification with the right fields, once. The flag survives a restart, and
// an alert owed while nothing is bound goes out when a receiver binds. Raw sockets and the npm smpp peer.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePdu, type Pdu } from '@smppkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Rule } from '../src/config/types.js';
import { type SmscHandle, startSmsc } from '../src/index.js';
import { bindPdu, submitSmPdu } from './pdus.js';
import { type RawClient, rawClient } from './raw-client.js';
import { boundPeer } from './smpp-peer.js';

const RULES: Rule[] = [
  { name: 'absent', match: { destination: '4479111' }, outcome: { state: 'UNDELIVERABLE', err: 27, delayMs: 0 } },
  { name: 'later', match: { destination: '4479333' }, outcome: { state: 'UNDELIVERABLE', err: 27, delayMs: 60_000 } },
  { name: 'soon', match: { destination: '4479444' }, outcome: { state: 'UNDELIVERABLE', err: 27, delayMs: 300 } },
  { name: 'unknown', match: { destination: '4479222' }, outcome: { state: 'UNDELIVERABLE', err: 1, delayMs: 0 } },
];

let dir: string;
let seq = 1;
const open: Array<{ close(): Promise<void> }> = [];
const clients: RawClient[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'smsc-alert-'));
});
afterAll(async () => {
  for (const c of clients) c.socket.destroy();
  for (const s of open) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

async function start(opts: Parameters<typeof startSmsc>[0] = {}): Promise<SmscHandle> {
  const s = await startSmsc({ port: 0, logLevel: 'silent', rules: RULES, ...opts });
  open.push(s);
  return s;
}

async function bound(
  smsc: SmscHandle,
  systemId: string,
  type: 'bind_transceiver' | 'bind_transmitter' | 'bind_receiver',
  version = 0x34,
): Promise<RawClient> {
  const c = await rawClient(smsc.port);
  clients.push(c);
  c.socket.write(bindPdu(seq++, systemId, 'pw', type, { interface_version: version }));
  expect((await c.next()).command_status).toBe(0);
  return c;
}

async function submit(c: RawClient, to: string, fields: Record<string, unknown> = {}): Promise<void> {
  c.socket.write(submitSmPdu(seq++, { destination_addr: to, ...fields }));
  expect((await c.next()).command_status).toBe(0);
}
const dpf = { tlvs: { set_dpf: 1 } };

/** Waits until `n` messages to this address are UNDELIVERABLE. */
async function failed(smsc: SmscHandle, to: string, n = 1): Promise<void> {
  for (let i = 0; i < 250; i++) {
    if (smsc.messages({ to, state: 'UNDELIVERABLE' }).length >= n) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${to}: not ${n} UNDELIVERABLE`);
}

describe('alert_notification', () => {
  it('is owed for set_dpf = 1 and an absent subscriber only, survives a restart, goes to the receiver that binds, once', async () => {
    const path = join(dir, 'restart.db');
    const a = await start({ store: { path } });
    const tx = await bound(a, 'dpf', 'bind_transmitter');
    await submit(tx, '4479111000', dpf); // absent subscriber, set_dpf: a flag
    await submit(tx, '4479111001'); // no set_dpf
    await submit(tx, '4479111002', { tlvs: { set_dpf: 0 } });
    await submit(tx, '4479222000', dpf); // UNDELIVERABLE but not absent
    await submit(tx, '4479000000', dpf); // DELIVERED
    await failed(a, '4479111000');
    // only a transmitter is bound: owed, not sent
    expect(a.alertAvailable('4479111000')).toEqual({ sent: 0, pending: 1 });
    for (const addr of ['4479111001', '4479111002', '4479222000', '4479000000'])
      expect(a.alertAvailable(addr)).toEqual({ sent: 0, pending: 0 });
    tx.socket.destroy();
    await a.close();

    const b = await start({ store: { path } });
    const rx = await bound(b, 'dpf', 'bind_receiver');
    const alert = await rx.next();
    expect(alert).toMatchObject({
      command: 'alert_notification',
      source_addr_ton: 1,
      source_addr_npi: 1,
      source_addr: '4479111000',
      esme_addr_ton: 1,
      esme_addr_npi: 1,
      esme_addr: '12345',
      tlvs: { ms_availability_status: 0 },
    });
    // once: nothing owed any more
    expect(b.alertAvailable('4479111000')).toEqual({ sent: 0, pending: 0 });
    const again = await bound(b, 'dpf', 'bind_receiver');
    await new Promise((r) => setTimeout(r, 100));
    expect(again.pdus).toEqual([]);
  });

  it('goes at once to a bound receiver: one per account and ESME address, each to its own account', async () => {
    const smsc = await start({ store: 'memory' });
    const trx = await bound(smsc, 'one', 'bind_transceiver');
    const other = await bound(smsc, 'two', 'bind_transceiver');
    await submit(trx, '4479111500', dpf);
    await submit(trx, '4479111500', dpf); // the same ESME address again: still one alert
    await submit(trx, '4479111500', { ...dpf, source_addr: '54321' });
    await submit(other, '4479111500', dpf);
    await failed(smsc, '4479111500', 4);
    expect(smsc.alertAvailable('4479111500')).toEqual({ sent: 3, pending: 0 });
    const mine = [await trx.next(), await trx.next()] as Array<Pdu & { esme_addr: string; source_addr: string }>;
    expect(mine.map((p) => [p.command, p.source_addr, p.esme_addr]).sort()).toEqual([
      ['alert_notification', '4479111500', '12345'],
      ['alert_notification', '4479111500', '54321'],
    ]);
    expect(await other.next()).toMatchObject({ command: 'alert_notification', esme_addr: '12345' });
    await new Promise((r) => setTimeout(r, 100));
    expect([...trx.pdus, ...other.pdus]).toEqual([]);
    expect(smsc.alertAvailable('4479111500')).toEqual({ sent: 0, pending: 0 });
  });

  it('is not owed before the delivery has failed', async () => {
    const smsc = await start({ store: 'memory' });
    const trx = await bound(smsc, 'early', 'bind_transceiver');
    await submit(trx, '4479333000', dpf); // fails in a minute
    expect(smsc.alertAvailable('4479333000')).toEqual({ sent: 0, pending: 0 });
  });

  it('is kept for a message rescheduled by replace_sm (its failure moved later), and owed once it has failed', async () => {
    const smsc = await start({ store: 'memory' });
    const trx = await bound(smsc, 'moved', 'bind_transceiver');
    trx.socket.write(submitSmPdu(seq++, { destination_addr: '4479444000', ...dpf }));
    const { message_id } = (await trx.next()) as Pdu & { message_id: string };
    trx.socket.write(
      encodePdu({
        command: 'replace_sm',
        command_status: 0,
        sequence_number: seq++,
        message_id,
        source_addr_ton: 1,
        source_addr_npi: 1,
        source_addr: '12345',
        schedule_delivery_time: '000000000001000R', // in a second: fails 300 ms after that
        validity_period: '',
        registered_delivery: 0,
        sm_default_msg_id: 0,
        short_message: Buffer.from('later'),
      } as Pdu),
    );
    expect((await trx.next()).command_status).toBe(0);
    await new Promise((r) => setTimeout(r, 400)); // past the flag's first failure time
    expect(smsc.alertAvailable('4479444000')).toEqual({ sent: 0, pending: 0 });
    await failed(smsc, '4479444000');
    expect(smsc.alertAvailable('4479444000')).toEqual({ sent: 1, pending: 0 });
    expect(await trx.next()).toMatchObject({ command: 'alert_notification', source_addr: '4479444000' });
  });

  it('carries no TLV to a v3.3 receiver', async () => {
    const smsc = await start({ store: 'memory' });
    const trx = await bound(smsc, 'old', 'bind_transceiver', 0x33);
    await submit(trx, '4479111600', dpf);
    await failed(smsc, '4479111600');
    expect(smsc.alertAvailable('4479111600')).toEqual({ sent: 1, pending: 0 });
    const alert = await trx.next();
    expect(alert).toMatchObject({ command: 'alert_notification', source_addr: '4479111600' });
    expect(alert.tlvs).toBeUndefined();
  });

  it('POST /api/alerts answers what was sent; a missing address is a 400 naming it', async () => {
    const smsc = await start({ store: 'memory', httpPort: 0 });
    const trx = await bound(smsc, 'http', 'bind_transceiver');
    await submit(trx, '4479111700', dpf);
    await failed(smsc, '4479111700');
    const post = (body: unknown) =>
      fetch(`http://127.0.0.1:${smsc.httpPort}/api/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const ok = await post({ address: '4479111700' });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ address: '4479111700', sent: 1, pending: 0 });
    expect(await trx.next()).toMatchObject({ command: 'alert_notification', source_addr: '4479111700' });
    const bad = await post({});
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: expect.stringMatching(/address/), field: 'address' });
  });

  it('is decoded by an independent ESME (the npm smpp package)', async () => {
    const smsc = await start({ store: 'memory' });
    const peer = await boundPeer(smsc.port, 'transceiver', 'peer', 'pw');
    const r = await peer.call('submit_sm', {
      source_addr_ton: 1,
      source_addr_npi: 1,
      source_addr: '12345',
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      destination_addr: '4479111800',
      short_message: 'hi',
      set_dpf: 1,
    });
    expect(r.command_status).toBe(0);
    await failed(smsc, '4479111800');
    expect(smsc.alertAvailable('4479111800')).toEqual({ sent: 1, pending: 0 });
    const alert = await peer.next('alert_notification');
    expect(alert).toMatchObject({
      source_addr_ton: 1,
      source_addr: '4479111800',
      esme_addr_ton: 1,
      esme_addr: '12345',
      ms_availability_status: 0,
    });
    peer.close();
  });
});
