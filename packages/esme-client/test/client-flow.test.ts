// Flow control over real sockets against the npm smpp server: window, rate limit, back-off on throttling,
// reconnect with requests in flight.
import { afterEach, describe, expect, it } from 'vitest';
import { type Client, connect, DisconnectedError, SmppStatusError } from '../src/index.js';
import { reassembleSubmits, startSmppServer, type TestServer } from './helpers/smpp-server.js';

const ESME_RTHROTTLED = 0x58;
let server: TestServer | undefined;
let client: Client | undefined;
afterEach(async () => {
  await client?.close({ drainMs: 0 });
  await server?.close();
  client = undefined;
  server = undefined;
});

const url = (s: TestServer, q = '') => `smpp://u:p@127.0.0.1:${s.port}${q}`;

describe('window', () => {
  it('never has more than windowSize submits outstanding at the server', async () => {
    server = await startSmppServer({ onSubmit: (_p, ctx) => ({ delayMs: 5 + (ctx.index % 7) * 3 }) });
    client = await connect(url(server, '?window=5'));
    const results = await Promise.all(
      Array.from({ length: 120 }, (_, i) => client!.submit({ from: 'ACME', to: '4790000001', text: `m${i}` })),
    );
    expect(results).toHaveLength(120);
    expect(server.submits).toHaveLength(120);
    expect(server.maxOutstanding).toBeLessThanOrEqual(5);
    expect(server.maxOutstanding).toBeGreaterThanOrEqual(2); // the window is actually used
  });
});

describe('rate limit', () => {
  it('spreads submits at the configured rate (tolerant bounds)', async () => {
    server = await startSmppServer();
    client = await connect(url(server, '?window=50&rate=40&burst=1'));
    const n = 30;
    await Promise.all(Array.from({ length: n }, () => client!.submit({ from: 'ACME', to: '4790000001', text: 'x' })));
    const span = server.arrivals.at(-1)! - server.arrivals[0]!;
    // 29 gaps at 25 ms = 725 ms at least (minus timer slack); a loaded machine may be slower, never much faster.
    expect(span).toBeGreaterThan(650);
    expect(span).toBeLessThan(5000);
    // No window of 10 consecutive arrivals faster than the rate allows (+1 token of burst).
    for (let i = 10; i < n; i++) expect(server.arrivals[i]! - server.arrivals[i - 10]!).toBeGreaterThan(200);
  });
});

describe('back-off on ESME_RTHROTTLED', () => {
  it('retries after a growing back-off, pauses the bind, and succeeds', async () => {
    server = await startSmppServer({ onSubmit: (_p, ctx) => (ctx.index <= 3 ? { status: ESME_RTHROTTLED } : {}) });
    client = await connect({ url: url(server), retry: { ESME_RTHROTTLED: { initialDelayMs: 40, maxDelayMs: 1000 } } });
    const throttled: number[] = [];
    client.on('throttled', (status) => throttled.push(status));
    const r = await client.submit({ from: 'ACME', to: '4790000001', text: 'retry me' });
    expect(r.messageIds).toEqual(['4']);
    expect(server.submits).toHaveLength(4);
    expect(throttled).toEqual([ESME_RTHROTTLED, ESME_RTHROTTLED, ESME_RTHROTTLED]);
    const gaps = server.arrivals.slice(1).map((t, i) => t - server!.arrivals[i]!);
    // back-off 40, 80, 160 ms with up to 50 % jitter: at least 20, 40, 80
    expect(gaps[0]).toBeGreaterThanOrEqual(18);
    expect(gaps[1]).toBeGreaterThanOrEqual(38);
    expect(gaps[2]).toBeGreaterThanOrEqual(78);
  });

  it('gives up after maxAttempts with a typed error carrying the status', async () => {
    server = await startSmppServer({ onSubmit: () => ({ status: ESME_RTHROTTLED }) });
    client = await connect({
      url: url(server),
      retry: { ESME_RTHROTTLED: { maxAttempts: 3, initialDelayMs: 10, maxDelayMs: 20 } },
    });
    const err = (await client
      .submit({ from: 'ACME', to: '4790000001', text: 'x' })
      .catch((e: unknown) => e)) as SmppStatusError;
    expect(err).toBeInstanceOf(SmppStatusError);
    expect(err.commandStatus).toBe(ESME_RTHROTTLED);
    expect(err.statusName).toBe('ESME_RTHROTTLED');
    expect(err.attempts).toBe(3);
    expect(server.submits).toHaveLength(3);
  });

  it('a status with no retry rule fails at once', async () => {
    server = await startSmppServer({ onSubmit: () => ({ status: 0x0b }) });
    client = await connect(url(server));
    await expect(client.submit({ from: 'ACME', to: '4790000001', text: 'x' })).rejects.toMatchObject({
      statusName: 'ESME_RINVDSTADR',
      attempts: 1,
    });
    expect(server.submits).toHaveLength(1);
    // a refused submit that asked for a receipt is not tracked for it (single part and long message alike)
    await expect(client.submit({ from: 'ACME', to: '4790000001', text: 'x', dlr: true })).rejects.toMatchObject({
      statusName: 'ESME_RINVDSTADR',
    });
    await expect(
      client.submit({ from: 'ACME', to: '4790000001', text: 'y'.repeat(400), dlr: true }),
    ).rejects.toMatchObject({
      statusName: 'ESME_RINVDSTADR',
    });
    expect(client.matcher.size).toBe(0);
  });

  it('keeps the parts of a long message in order when one part is throttled', async () => {
    server = await startSmppServer({ onSubmit: (_p, ctx) => (ctx.index === 2 ? { status: ESME_RTHROTTLED } : {}) });
    client = await connect({ url: url(server), retry: { ESME_RTHROTTLED: { initialDelayMs: 20, maxDelayMs: 50 } } });
    const text = 'A'.repeat(153) + 'B'.repeat(153) + 'C'.repeat(100);
    const r = await client.submit({ from: 'ACME', to: '4790000001', text });
    expect(r.parts).toBe(3);
    const seqs = server.submits.map((s) => (s.short_message.udh[0] as Buffer)[4]);
    expect(seqs).toEqual([1, 2, 2, 3]);
    expect(reassembleSubmits(server.submits.filter((_, i) => i !== 1))).toEqual([text]);
  });
});

describe('reconnect with requests in flight', () => {
  async function run(inFlight: 'reject' | 'resubmit') {
    let dropped = false;
    server = await startSmppServer({
      onSubmit: (_p, ctx) => {
        if (!dropped && ctx.index < 5) return 'noreply';
        if (!dropped && ctx.index === 5) {
          dropped = true;
          return 'drop';
        }
        return {};
      },
    });
    client = await connect({
      url: url(server, `?window=5&in_flight=${inFlight}`),
      reconnect: { initialDelayMs: 30, maxDelayMs: 100 },
    });
    const events: string[] = [];
    client.on('disconnected', () => events.push('disconnected'));
    client.on('reconnecting', () => events.push('reconnecting'));
    client.on('bound', () => events.push('bound'));
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => client!.submit({ from: 'ACME', to: '4790000001', text: `n${i}` })),
    );
    return { outcomes, events };
  }

  it("inFlight 'reject': the 5 on the wire fail with DisconnectedError, the 15 queued go after the rebind", async () => {
    const { outcomes, events } = await run('reject');
    const rejected = outcomes.filter((o) => o.status === 'rejected') as PromiseRejectedResult[];
    const fulfilled = outcomes.filter((o) => o.status === 'fulfilled');
    expect(rejected).toHaveLength(5);
    expect(fulfilled).toHaveLength(15);
    for (const r of rejected) {
      expect(r.reason).toBeInstanceOf(DisconnectedError);
      expect(r.reason.maybeDelivered).toBe(true);
    }
    expect(events).toEqual(['disconnected', 'reconnecting', 'bound']);
    expect(server!.binds).toHaveLength(2);
    expect(server!.submits).toHaveLength(20);
  });

  it("inFlight 'resubmit': every submit succeeds; the 5 on the wire are sent twice", async () => {
    const { outcomes } = await run('resubmit');
    expect(outcomes.every((o) => o.status === 'fulfilled')).toBe(true);
    expect(server!.submits).toHaveLength(25);
    const texts = server!.submits
      .slice(5)
      .map((s) => s.short_message.message)
      .sort();
    expect(new Set(texts).size).toBe(20);
  });
});

describe('close', () => {
  it('ends every pending submit with exactly one outcome, promptly, even when the server never answers', async () => {
    server = await startSmppServer({ onSubmit: () => 'noreply' });
    client = await connect(url(server, '?window=3'));
    const settled: string[] = [];
    const pending = Array.from({ length: 8 }, (_, i) =>
      client!.submit({ from: 'ACME', to: '4790000001', text: `c${i}` }).then(
        () => settled.push('ok'),
        (e: { code: string }) => settled.push(e.code),
      ),
    );
    const until = Date.now() + 5000;
    while (server.submits.length < 3 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    const t0 = Date.now();
    await client.close({ drainMs: 100 });
    await Promise.all(pending);
    expect(Date.now() - t0).toBeLessThan(10_000); // drain 100 ms + unbind grace 200 ms, not the 120 s submit timeout
    expect(settled).toHaveLength(8);
    expect(settled.filter((c) => c === 'CLOSED')).toHaveLength(5); // queued, never sent
    expect(settled.filter((c) => c === 'DISCONNECTED')).toHaveLength(3); // on the wire: maybe delivered
    client = undefined;
  });
});
