// /metrics scraped after real traffic over a socket: command_status names as labels (hex when unknown), the
// system_id of the session on PDU counts ("" before a bind), messages by the state they entered, Node's default
// metrics on each simulator's own registry.
import { encodePdu, type Pdu } from '@smppkit/core';
import { afterEach, describe, expect, it } from 'vitest';
import { Metrics } from '../src/api/metrics.js';
import { type SmscHandle, startSmsc } from '../src/index.js';
import { bindPdu, submitSmPdu } from './pdus.js';
import { type RawClient, rawClient } from './raw-client.js';

const sims: SmscHandle[] = [];
afterEach(async () => {
  for (const s of sims.splice(0)) await s.close();
});

async function scrape(sim: SmscHandle): Promise<string> {
  const r = await fetch(`http://127.0.0.1:${sim.httpPort}/metrics`);
  expect(r.status).toBe(200);
  return r.text();
}

/** the value of one sample, by its exact name and labels */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function call(c: RawClient, bytes: Buffer): Promise<Pdu> {
  c.socket.write(bytes);
  return c.next();
}

describe('/metrics', () => {
  it('labels statuses by name and PDUs by system_id, counts messages by state', async () => {
    const sim = await startSmsc({
      httpPort: 0,
      defaultDelayMs: 50,
      accounts: [{ systemId: 'acme', password: 'pw' }],
      rules: [
        { match: { destination: '4791' }, response: { status: 0xabcd } },
        { match: { destination: '4792' }, outcome: { state: 'DELIVERED', delayMs: 1500 } },
      ],
    });
    sims.push(sim);
    const bad = await rawClient(sim.port);
    expect((await call(bad, bindPdu(1, 'acme', 'wrong'))).command_status).toBe(0x0e);
    bad.socket.destroy();

    const c = await rawClient(sim.port);
    expect((await call(c, bindPdu(1, 'acme', 'pw'))).command_status).toBe(0);
    for (let seq = 2; seq <= 4; seq++) expect((await call(c, submitSmPdu(seq))).command_status).toBe(0);
    expect((await call(c, submitSmPdu(5, { destination_addr: '4791000' }))).command_status).toBe(0xabcd);
    const slow = await call(c, submitSmPdu(6, { destination_addr: '4792000' }));
    expect(slow.command_status).toBe(0);
    const cancel = encodePdu({
      command: 'cancel_sm',
      command_status: 0,
      sequence_number: 7,
      service_type: '',
      message_id: (slow as Pdu & { message_id: string }).message_id,
      source_addr_ton: 1,
      source_addr_npi: 1,
      source_addr: '12345',
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      destination_addr: '4792000',
    } as Pdu);
    expect((await call(c, cancel)).command_status).toBe(0);
    // past the cancelled message's planned time: its DELIVERED must not be counted
    await new Promise((r) => setTimeout(r, 1600));
    const text = await scrape(sim);

    const pdus = (labels: string) => sample(text, `smsc_pdus_total{${labels}}`);
    expect(pdus('direction="in",command="submit_sm",status="ESME_ROK",system_id="acme"')).toBe(5);
    expect(pdus('direction="out",command="submit_sm_resp",status="ESME_ROK",system_id="acme"')).toBe(4);
    expect(pdus('direction="out",command="submit_sm_resp",status="0x0000ABCD",system_id="acme"')).toBe(1);
    expect(pdus('direction="out",command="cancel_sm_resp",status="ESME_ROK",system_id="acme"')).toBe(1);
    // binds are counted before the session is bound; the refused one's response too
    expect(pdus('direction="in",command="bind_transceiver",status="ESME_ROK",system_id=""')).toBe(2);
    expect(pdus('direction="out",command="bind_transceiver_resp",status="ESME_RINVPASWD",system_id=""')).toBe(1);
    expect(pdus('direction="out",command="bind_transceiver_resp",status="ESME_ROK",system_id="acme"')).toBe(1);
    expect(text).not.toMatch(/system_id="wrong"|status="\d+"/);

    const messages = (state: string) => sample(text, `smsc_messages_total{state="${state}"}`);
    expect(messages('ENROUTE')).toBe(4);
    expect(messages('DELIVERED')).toBe(3);
    expect(messages('DELETED')).toBe(1);
    expect(text).toMatch(/^# TYPE smsc_messages_total counter$/m);
    expect(messages('EXPIRED')).toBe(0);

    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes \d/m);
    c.socket.destroy();
  });

  it('counts a message DELIVERED by the time its receipt is out', async () => {
    const sim = await startSmsc({ httpPort: 0, defaultDelayMs: 20 });
    sims.push(sim);
    const c = await rawClient(sim.port);
    expect((await call(c, bindPdu(1, 'any'))).command_status).toBe(0);
    expect((await call(c, submitSmPdu(2, { registered_delivery: 1 }))).command_status).toBe(0);
    expect((await c.next()).command).toBe('deliver_sm');
    const text = await scrape(sim);
    expect(sample(text, 'smsc_messages_total{state="DELIVERED"}')).toBe(1);
    c.socket.destroy();
  });

  it('does not count the planned state of a message forgotten by DELETE /api/messages', async () => {
    const sim = await startSmsc({ httpPort: 0, defaultDelayMs: 300 });
    sims.push(sim);
    const c = await rawClient(sim.port);
    expect((await call(c, bindPdu(1, 'any'))).command_status).toBe(0);
    expect((await call(c, submitSmPdu(2))).command_status).toBe(0);
    expect((await fetch(`http://127.0.0.1:${sim.httpPort}/api/messages`, { method: 'DELETE' })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 450));
    const text = await scrape(sim);
    expect(sample(text, 'smsc_messages_total{state="ENROUTE"}')).toBe(1);
    expect(sample(text, 'smsc_messages_total{state="DELIVERED"}')).toBe(0);
    c.socket.destroy();
  });

  it('two simulators in one process each have their own default metrics', async () => {
    const a = await startSmsc({ httpPort: 0 });
    sims.push(a);
    const b = await startSmsc({ httpPort: 0 });
    sims.push(b);
    for (const sim of [a, b]) expect(await scrape(sim)).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
  });

  it('counts an implicit transition planned for a slot already counted (the slot kept for the next message is not reused)', async () => {
    const m = new Metrics({
      binds: () => [],
      windowInUse: () => 0,
      queueDepth: () => ({ receipts: 0, mo: 0, scheduled: 0 }),
    });
    const at = Date.now() - 1000; // due already: counted at the next second
    m.implicitTransition(at, 'DELIVERED', 1);
    m.second();
    m.implicitTransition(at, 'DELIVERED', 1); // the same 100 ms slot, after it was counted and dropped
    m.implicitTransition(at, 'EXPIRED', 1);
    m.second();
    const text = await m.text();
    expect(sample(text, 'smsc_messages_total{state="DELIVERED"}')).toBe(2);
    expect(sample(text, 'smsc_messages_total{state="EXPIRED"}')).toBe(1);
  });
});
