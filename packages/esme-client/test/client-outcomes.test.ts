// Outcomes and timeouts (issue 10) over real sockets: submitTimeoutMs bounds a submit on the wire, a pool hands
// in-flight submits of a dead bind to a live one at once, an undecodable response is named as such, a bind with no
// answer and a port that is not SMPP say what happened.

import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Client,
  connect,
  connectPool,
  InvalidResponseError,
  type Pool,
  SubmitTimeoutError,
} from '../src/index.js';
import { startSmppServer, type TestServer } from './helpers/smpp-server.js';

const servers: TestServer[] = [];
const closers: Array<() => Promise<void> | void> = [];
let client: Client | undefined;
let pool: Pool | undefined;
afterEach(async () => {
  await client?.close({ drainMs: 0 });
  await pool?.close({ drainMs: 0 });
  client = undefined;
  pool = undefined;
  for (const s of servers.splice(0)) await s.close();
  for (const c of closers.splice(0).reverse()) await c();
});

const url = (s: { port: number }, q = '') => `smpp://u:p@127.0.0.1:${s.port}${q}`;

async function listen(server: net.Server | http.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as net.AddressInfo).port;
}

describe('submitTimeoutMs', () => {
  it('bounds a submit already on the wire, though responseTimeoutMs is longer', async () => {
    const server = await startSmppServer({ onSubmit: () => 'noreply' });
    servers.push(server);
    client = await connect({ url: url(server), submitTimeoutMs: 1000, responseTimeoutMs: 5000 });
    const t0 = performance.now();
    const err = await client.submit({ from: 'ACME', to: '4790000001', text: 'silent' }).catch((e: unknown) => e);
    const elapsed = performance.now() - t0;
    expect(err).toBeInstanceOf(SubmitTimeoutError);
    expect(err).toMatchObject({
      maybeDelivered: true,
      message: expect.stringMatching(/no response within submitTimeoutMs/),
    });
    // bounded by submitTimeoutMs and the sender's coarse sweep (250 ms), not by the 5 s response timeout (which a
    // loaded machine's late timers cannot bring below 5 s)
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(4500);
    expect(client.bound).toBe(true);
  });
});

describe("pool with inFlight 'resubmit'", () => {
  it('sends the submits on the wire of a bind that dies to a live bind at once', async () => {
    const dead = await startSmppServer({ onSubmit: () => 'noreply' });
    const live = await startSmppServer();
    servers.push(dead, live);
    pool = await connectPool({
      binds: [url(dead), url(live)],
      defaults: {
        inFlight: 'resubmit',
        submitTimeoutMs: 20_000,
        reconnect: { initialDelayMs: 30_000, maxDelayMs: 30_000 },
        windowSize: 10,
      },
    });
    const onDead = pool.clients.find((c) => c.options.port === dead.port)!;
    const pending = Array.from({ length: 5 }, (_, i) =>
      onDead.submit({ from: 'ACME', to: '4790000001', text: `m${i}` }),
    );
    while (dead.submits.length < 5) await new Promise((r) => setTimeout(r, 10));
    const t0 = performance.now();
    dead.dropAll();
    const results = await Promise.all(pending);
    expect(results).toHaveLength(5);
    expect(performance.now() - t0).toBeLessThan(5000); // not the 20 s submit timeout, nor the 30 s reconnect
    expect(live.submits.map((s) => s.short_message.message).sort()).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    expect(onDead.sender.counters.resubmitted).toBe(5);
  });
});

describe('an undecodable response', () => {
  it('is reported as an invalid response naming the field; the connection stays bound', async () => {
    // 300 octets: past what even a lenient session accepts of an over-long C-string (256; 100 would be accepted)
    const server = await startSmppServer({
      onSubmit: (_p, ctx) => (ctx.index === 1 ? { messageId: 'x'.repeat(300) } : {}),
    });
    servers.push(server);
    client = await connect(url(server));
    const err = await client.submit({ from: 'ACME', to: '4790000001', text: 'one' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect(err).toMatchObject({ code: 'INVALID_RESPONSE', field: 'message_id', maybeDelivered: true });
    expect((err as Error).message).toMatch(/submit_sm: the SMSC's response could not be decoded: .*message_id/);
    expect((err as Error).message).not.toMatch(/connection closed/);
    expect(client.bound).toBe(true);
    const next = await client.submit({ from: 'ACME', to: '4790000001', text: 'two' });
    expect(next.messageIds).toEqual(['2']);
    expect(server.submits).toHaveLength(2); // not resubmitted
  });

  it('is not what a merely over-long message_id is: the lenient client takes a 100-octet id as sent', async () => {
    const id = 'x'.repeat(100);
    const server = await startSmppServer({ onSubmit: () => ({ messageId: id }) });
    servers.push(server);
    client = await connect(url(server));
    const r = await client.submit({ from: 'ACME', to: '4790000001', text: 'one' });
    expect(r.messageIds).toEqual([id]);
  });
});

describe('binding', () => {
  it('a server that accepts the connection and never answers the bind: "no bind_transceiver_resp within N ms"', async () => {
    const sockets: net.Socket[] = [];
    const port = await listen(net.createServer((s) => sockets.push(s)));
    closers.push(() => sockets.forEach((s) => s.destroy()));
    const err = await connect({ url: url({ port }), connectTimeoutMs: 300 }).catch((e: unknown) => e as Error);
    expect(err).toMatchObject({
      code: 'CONNECT',
      message: `no bind_transceiver_resp within 300 ms from 127.0.0.1:${port}`,
    });
  });

  it('an HTTP port says it is not an SMPP server and quotes its answer', async () => {
    const port = await listen(http.createServer((_req, res) => res.end('ok')));
    const err = await connect({ url: url({ port }), connectTimeoutMs: 2000 }).catch((e: unknown) => e as Error);
    expect(err).toMatchObject({ code: 'CONNECT' });
    expect((err as Error).message).toBe(
      `127.0.0.1:${port} is not an SMPP server: it answered "HTTP/1.1 400 Bad Request"`,
    );
  });

  it('connect_timeout in the URL sets connectTimeoutMs', async () => {
    const sockets: net.Socket[] = [];
    const port = await listen(net.createServer((s) => sockets.push(s)));
    closers.push(() => sockets.forEach((s) => s.destroy()));
    const err = await connect(url({ port }, '?connect_timeout=200')).catch((e: unknown) => e as Error);
    expect((err as Error).message).toMatch(/no bind_transceiver_resp within 200 ms/);
  });
});
