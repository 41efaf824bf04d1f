// The console's routes against a running simulator with ESMEs from the npm smpp package: the event stream (a tick
// each second with that second's counts, a sessions event when an ESME binds and when it goes), unbind and drop,
// the MO preview, the delivery statistics, GET /api and the OpenAPI document.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_STREAMS } from '../src/api/events.js';
import { type SmscHandle, startSmsc } from '../src/index.js';
import { apiClient } from './http-helpers.js';
import { boundPeer, type Peer } from './smpp-peer.js';

let smsc: SmscHandle;
const peers: Peer[] = [];
const api = apiClient(() => `http://127.0.0.1:${smsc.httpPort}`);

beforeAll(async () => {
  smsc = await startSmsc({
    httpPort: 0,
    logLevel: 'silent',
    defaultDelayMs: 10,
    accounts: [
      { systemId: 'live', password: 'pw', numbers: ['4470*'] },
      { systemId: 'other', password: 'pw' },
    ],
    rules: [{ match: { destination: '4455' }, outcome: { state: 'UNDELIVERABLE', delayMs: 10 } }],
  });
});
afterAll(async () => {
  for (const p of peers) p.close();
  await smsc.close();
});

interface SseEvent {
  event: string;
  data: any;
}

/** An event stream: waits for the next event matching a test. */
async function events(path = '/api/events') {
  const ac = new AbortController();
  const res = await fetch(`http://127.0.0.1:${smsc.httpPort}${path}`, { signal: ac.signal });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  const seen: SseEvent[] = [];
  const next = async (test: (e: SseEvent) => boolean, timeoutMs = 5000): Promise<SseEvent> => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const i = seen.findIndex(test);
      if (i >= 0) return seen.splice(0, i + 1)[i];
      if (Date.now() > until) throw new Error('no such event in time');
      const { value, done } = await reader.read();
      if (done) throw new Error('stream ended');
      buf += decoder.decode(value, { stream: true });
      let end = buf.indexOf('\n\n');
      while (end >= 0) {
        const block = buf.slice(0, end);
        buf = buf.slice(end + 2);
        const name = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (name && data) seen.push({ event: name, data: JSON.parse(data) });
        end = buf.indexOf('\n\n');
      }
    }
  };
  return { res, next, close: () => ac.abort() };
}

const submit = (p: Peer, fields: Record<string, unknown>) =>
  p.call('submit_sm', { source_addr: '12345', registered_delivery: 1, short_message: 'hi', ...fields });

describe('GET /api/events', () => {
  it('sends the sessions now, a sessions event on bind and on close, and a tick each second with its counts', async () => {
    const es = await events();
    expect(es.res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect((await es.next((e) => e.event === 'sessions')).data).toEqual({ sessions: [] });
    const peer = await boundPeer(smsc.port, 'transceiver', 'live', 'pw');
    peers.push(peer);
    const bound = await es.next((e) => e.event === 'sessions' && e.data.sessions.length === 1);
    expect(bound.data.sessions[0]).toMatchObject({ systemId: 'live', bindType: 'transceiver', tls: false });
    for (let i = 0; i < 3; i++) expect((await submit(peer, { destination_addr: '4490000001' })).command_status).toBe(0);
    await smsc.waitForMessage({ to: '4490000001', state: 'DELIVERED' });
    let submits = 0;
    let receipts = 0;
    while (submits < 3 || receipts < 3) {
      const t = await es.next((e) => e.event === 'tick', 3000);
      expect(t.data).toEqual({
        t: expect.any(Number),
        submits: expect.any(Number),
        receipts: expect.any(Number),
        mo: expect.any(Number),
        sessions: 1,
      });
      submits += t.data.submits;
      receipts += t.data.receipts;
    }
    expect([submits, receipts]).toEqual([3, 3]);
    await api('POST', '/api/mo', { from: '4479', to: '4470123', text: 'mo' });
    expect((await es.next((e) => e.event === 'tick' && e.data.mo > 0, 3000)).data.mo).toBe(1);
    peer.close();
    await es.next((e) => e.event === 'sessions' && e.data.sessions.length === 0);
    es.close();
  });

  it(`takes at most ${MAX_STREAMS} streams at once (503 beyond), and forgets those whose client went`, async () => {
    const streams = await Promise.all(Array.from({ length: MAX_STREAMS }, () => events()));
    const over = await fetch(`http://127.0.0.1:${smsc.httpPort}/api/events`);
    expect(over.status).toBe(503);
    expect(await over.json()).toEqual({ error: `too many event streams (at most ${MAX_STREAMS})` });
    for (const s of streams) s.close();
    await new Promise((r) => setTimeout(r, 100));
    const again = await events();
    expect(again.res.status).toBe(200);
    again.close();
  });
});

describe('session actions', () => {
  it('shows each session, unbinds one and drops another', async () => {
    const a = await boundPeer(smsc.port, 'transmitter', 'live', 'pw');
    const b = await boundPeer(smsc.port, 'receiver', 'other', 'pw');
    peers.push(a, b);
    await submit(a, { destination_addr: '4491000000' });
    const { sessions } = (await api('GET', '/api/sessions')).json;
    const sa = sessions.find((s: { systemId: string }) => s.systemId === 'live');
    const sb = sessions.find((s: { systemId: string }) => s.systemId === 'other');
    expect(sa).toMatchObject({
      bindType: 'transmitter',
      remoteAddress: '127.0.0.1',
      remotePort: expect.any(Number),
      since: expect.any(String),
      windowInUse: 0,
      tps: expect.any(Number),
      pdusIn: 2,
      pdusOut: 2,
    });
    const unbind = peerUnbind(a);
    const u = await api('POST', `/api/sessions/${sa.id}/unbind`);
    expect(u).toMatchObject({ status: 202, json: { id: sa.id, action: 'unbind' } });
    await unbind;
    const d = await api('POST', `/api/sessions/${sb.id}/drop`);
    expect(d).toMatchObject({ status: 202, json: { id: sb.id, action: 'drop' } });
    await b.closed;
    expect((await api('POST', `/api/sessions/${sb.id}/drop`)).status).toBe(404);
  });
});

/** the peer answers the simulator's unbind */
function peerUnbind(p: Peer): Promise<void> {
  return p.next('unbind').then((pdu) => p.session.send(pdu.response()));
}

describe('POST /api/mo and /api/mo/preview', () => {
  it('previews the encoding and parts without sending', async () => {
    const before = smsc.messages().length;
    expect((await api('POST', '/api/mo/preview', { from: '1', to: '4470', text: 'hello' })).json).toMatchObject({
      encoding: expect.stringMatching(/GSM/),
      dataCoding: 0,
      parts: 1,
      septetsOrOctets: 5,
      perPart: 160,
    });
    const long = await api('POST', '/api/mo/preview', { from: '1', to: '4470', text: 'ж'.repeat(71) });
    expect(long.json).toMatchObject({ dataCoding: 8, parts: 2, perPart: 67, unit: expect.any(String) });
    expect(smsc.messages().length).toBe(before);
  });

  it('refuses an MO for a system_id that is not bound in the open mode (no accounts)', async () => {
    const open = await startSmsc({ httpPort: 0, logLevel: 'silent' });
    try {
      const r = await apiClient(() => `http://127.0.0.1:${open.httpPort}`)('POST', '/api/mo', {
        from: '1',
        to: '2',
        text: 'x',
        systemId: 'nobody',
      });
      expect(r.status).toBe(400);
      expect(r.json.field).toBe('systemId');
      expect(r.json.error).toMatch(/^systemId: "nobody" is not bound/);
    } finally {
      await open.close();
    }
  });
});

describe('GET /api/stats/delivery', () => {
  it('counts by account and by prefix, the states, the rate and receipt latency', async () => {
    await api('DELETE', '/api/messages');
    const p = await boundPeer(smsc.port, 'transceiver', 'live', 'pw');
    peers.push(p);
    for (const to of ['4490000001', '4490000002', '4455000001']) await submit(p, { destination_addr: to });
    await smsc.waitForMessage({ to: '4455000001', state: 'UNDELIVERABLE' });
    await smsc.waitForMessage({ to: '4490000002', state: 'DELIVERED' });
    await new Promise((r) => setTimeout(r, 100));
    const acc = (await api('GET', '/api/stats/delivery?window=60')).json;
    expect(acc).toMatchObject({ window: 60, by: 'account' });
    expect(acc.rows).toEqual([
      { key: 'live', submitted: 3, final: 3, delivered: 2, rate: 2 / 3, states: { DELIVRD: 2, UNDELIV: 1 } },
    ]);
    expect(acc.latency).toMatchObject({ count: expect.any(Number), p50: expect.any(Number) });
    expect(acc.latency.count).toBeGreaterThanOrEqual(3);
    const pre = (await api('GET', '/api/stats/delivery?by=prefix&prefixLength=4')).json;
    expect(pre.rows.map((r: { key: string; rate: number }) => [r.key, r.rate])).toEqual([
      ['4455', 0],
      ['4490', 1],
    ]);
  });
});

describe('GET /api and /api/openapi.json', () => {
  it('lists every endpoint, and describes them as OpenAPI 3 from the route schemas', async () => {
    const list = (await api('GET', '/api')).json.endpoints as Array<{ method: string; path: string }>;
    const names = list.map((e) => `${e.method} ${e.path}`);
    for (const e of [
      'GET /api/health',
      'GET /api/sessions',
      'POST /api/sessions/:id/unbind',
      'POST /api/sessions/:id/drop',
      'GET /api/messages',
      'GET /api/messages/:id',
      'DELETE /api/messages',
      'PUT /api/rules',
      'PUT /api/faults',
      'POST /api/mo',
      'POST /api/mo/preview',
      'POST /api/outbind',
      'GET /api/stats/delivery',
      'GET /api/events',
      'GET /metrics',
    ])
      expect(names).toContain(e);
    const doc = (await api('GET', '/api/openapi.json')).json;
    expect(doc.openapi).toBe('3.0.3');
    expect(doc.paths['/api/messages/{id}'].get.parameters[0]).toMatchObject({ name: 'id', in: 'path', required: true });
    const limit = doc.paths['/api/messages'].get.parameters.find((p: { name: string }) => p.name === 'limit');
    expect(limit.schema).toMatchObject({ type: 'integer', maximum: 10000 });
    expect(doc.paths['/api/mo'].post.requestBody.content['application/json'].schema.required).toEqual([
      'from',
      'to',
      'text',
    ]);
  });
});
