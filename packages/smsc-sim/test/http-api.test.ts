// The HTTP admin API and /metrics, against a running simulator with an ESME from the npm smpp package.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SmscHandle, startSmsc } from '../src/index.js';
import { boundPeer, type Peer } from './smpp-peer.js';

let smsc: SmscHandle;
let peer: Peer;
let base: string;

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(base + path, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
}

const submit = (fields: Record<string, unknown>) =>
  new Promise<{ command_status: number; message_id: string }>((res) =>
    peer.session.submit_sm({ source_addr: '12345', registered_delivery: 0, ...fields }, res),
  );

beforeAll(async () => {
  smsc = await startSmsc({
    port: 0,
    httpPort: 0,
    store: 'memory',
    logLevel: 'silent',
    defaultDelayMs: 10,
    accounts: [
      { systemId: 'web', password: 'pw', numbers: ['4470*'] },
      { systemId: 'other', password: 'pw' },
    ],
  });
  base = `http://127.0.0.1:${smsc.httpPort}`;
  peer = await boundPeer(smsc.port, 'transceiver', 'web', 'pw');
});

afterAll(async () => {
  peer.close();
  await smsc.close();
});

describe('HTTP admin API', () => {
  it('reports health and sessions', async () => {
    const h = await api('GET', '/api/health');
    expect(h.status).toBe(200);
    expect(h.json).toMatchObject({ status: 'ok', port: smsc.port, sessions: 1, store: 'memory', openMode: false });
    const s = await api('GET', '/api/sessions');
    expect(s.json.sessions).toEqual([
      expect.objectContaining({ systemId: 'web', bindType: 'transceiver', state: 'BOUND_TRX' }),
    ]);
  });

  it('lists messages with filters, paging and a total, and shows one with its history and PDU', async () => {
    for (let i = 0; i < 5; i++)
      expect((await submit({ destination_addr: `449900000${i}`, short_message: `msg ${i}` })).command_status).toBe(0);
    const one = await submit({ destination_addr: '4498000000', short_message: 'the one' });
    const all = await api('GET', '/api/messages?systemId=web&limit=2&offset=1&order=asc');
    expect(all.json.total).toBe(6);
    expect(all.json.messages.map((m: { text: string }) => m.text)).toEqual(['msg 1', 'msg 2']);
    const to = await api('GET', '/api/messages?to=4498000000');
    expect(to.json.total).toBe(1);
    expect(to.json.messages[0]).toMatchObject({
      id: one.message_id,
      text: 'the one',
      from: '12345',
      ids: [one.message_id],
    });
    await smsc.waitForMessage({ to: '4498000000', state: 'DELIVERED' });
    expect((await api('GET', '/api/messages?state=delivered&to=4498000000')).json.total).toBe(1);
    expect((await api('GET', `/api/messages?since=${Date.now() + 60_000}`)).json.total).toBe(0);
    const m = await api('GET', `/api/messages/${one.message_id}`);
    expect(m.status).toBe(200);
    expect(m.json.history.map((h: { state: string }) => h.state)).toEqual(['ENROUTE', 'DELIVERED']);
    expect(m.json.pdus[0].hex).toMatch(/^[0-9a-f]+$/);
    expect(Buffer.from(m.json.pdus[0].hex, 'hex').readUInt32BE(4)).toBe(0x04);
    expect(m.json.pdus[0].decoded).toMatchObject({
      command: 'submit_sm',
      destination_addr: '4498000000',
      short_message: Buffer.from('the one').toString('hex'),
    });
    expect((await api('GET', '/api/messages/nope')).status).toBe(404);
  });

  it('searches the reassembled text and a time range; the detail lists message ids and each PDU', async () => {
    const long = `${'part one of a long message '.repeat(7)}needle`;
    const r = await submit({ destination_addr: '4493000000', message_payload: long });
    expect(r.command_status).toBe(0);
    const found = await api('GET', '/api/messages?text=needle');
    expect(found.json.total).toBe(1);
    expect(found.json.messages[0].text).toBe(long);
    expect((await api('GET', '/api/messages?text=nothing-like-this')).json.total).toBe(0);
    const now = Date.now();
    expect((await api('GET', `/api/messages?text=needle&until=${now - 60_000}`)).json.total).toBe(0);
    expect((await api('GET', `/api/messages?text=needle&until=${new Date(now + 1000).toISOString()}`)).json.total).toBe(
      1,
    );
    const d = await api('GET', `/api/messages/${r.message_id}`);
    expect(d.json.messageIds).toEqual([r.message_id]);
    expect(d.json.pdus[0]).toMatchObject({ direction: 'in', command: 'submit_sm', at: expect.any(String) });
    expect(d.json.pdus[0].fields).toEqual(d.json.pdus[0].decoded);
  });

  it('rejects bad query parameters naming the parameter and value', async () => {
    const r = await api('GET', '/api/messages?limit=-3');
    expect(r.status).toBe(400);
    expect(r.json.error).toMatch(/limit: "-3"/);
    expect((await api('GET', '/api/messages?state=GONE')).json.error).toMatch(/state: "GONE"/);
    expect((await api('GET', '/api/nothing')).status).toBe(404);
  });

  it('reads and replaces the rules, validating them', async () => {
    expect((await api('GET', '/api/rules')).json.rules).toEqual([]);
    const bad = await api('PUT', '/api/rules', { rules: [{ match: { destination: 4 } }] });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/rules\[0\]\.match\.destination: 4 is not a string/);
    const put = await api('PUT', '/api/rules', {
      rules: [{ name: 'reject', match: { destination: '4497' }, response: { status: 0x45 } }],
    });
    expect(put.status).toBe(200);
    expect((await submit({ destination_addr: '4497000000', short_message: 'x' })).command_status).toBe(0x45);
    await api('PUT', '/api/rules', []);
    expect((await submit({ destination_addr: '4497000000', short_message: 'x' })).command_status).toBe(0);
  });

  it('injects a mobile-originated message with POST /api/mo', async () => {
    const got = peer.next('deliver_sm');
    const r = await api('POST', '/api/mo', { from: '4479123', to: '4470111', text: 'from the handset' });
    expect(r.status).toBe(202);
    expect(r.json).toMatchObject({ deliverTo: 'web', parts: 1 });
    const d = await got;
    expect(d.short_message.message).toBe('from the handset');
    const bad = await api('POST', '/api/mo', { from: '4479123', to: '4470111' });
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({ error: 'text is required', field: 'text' });
    expect((await api('POST', '/api/mo', { from: '1', to: '999', text: 'x' })).json.error).toMatch(
      /no account owns "999"/,
    );
    expect((await api('POST', '/api/mo', { from: '1', to: '999', text: 'x', systemId: 'other' })).status).toBe(202);
  });

  it('injects faults live: a given status on every response, then none', async () => {
    const put = await api('PUT', '/api/faults', { systemId: 'web', faults: { errorFraction: 1, errorStatus: 0x58 } });
    expect(put.json.accounts.web).toEqual({ errorFraction: 1, errorStatus: 0x58 });
    expect((await submit({ destination_addr: '4496000000', short_message: 'x' })).command_status).toBe(0x58);
    await api('PUT', '/api/faults', { systemId: 'web', faults: null });
    expect((await submit({ destination_addr: '4496000000', short_message: 'x' })).command_status).toBe(0);
    expect((await api('PUT', '/api/faults', { faults: { dropFraction: 2 } })).json.error).toMatch(
      /faults\.dropFraction: 2/,
    );
  });

  it('serves Prometheus metrics', async () => {
    const r = await api('GET', '/metrics');
    expect(r.status).toBe(200);
    expect(r.json).toMatch(/smsc_binds\{system_id="web",bind_type="transceiver"\} 1/);
    expect(r.json).toMatch(/smsc_pdus_total\{direction="in",command="submit_sm",status="0"\} \d+/);
    expect(r.json).toMatch(/smsc_queue_depth\{queue="receipts"\}/);
    expect(r.json).toMatch(/smsc_receipt_latency_seconds_bucket/);
  });

  it('forgets every message on DELETE /api/messages', async () => {
    const d = await api('DELETE', '/api/messages');
    expect(d.json.deleted).toBeGreaterThan(0);
    expect((await api('GET', '/api/messages')).json.total).toBe(0);
  });
});

describe('waitForMessage', () => {
  it('rejects when nothing matches in time, and when the simulator closes', async () => {
    await expect(smsc.waitForMessage({ to: '0000' }, 50)).rejects.toThrow(/no message matching/);
    const other = await startSmsc({ port: 0, store: 'memory', logLevel: 'silent' });
    const waiting = other.waitForMessage({ to: '0000' }, 10_000);
    await other.close();
    await expect(waiting).rejects.toThrow(/closed/);
  });
});
