// The load generator over real sockets: open loop measures from the intended send time (a slow server shows
// in the latency), closed loop keeps the windows full; the pool spreads the load over binds.
import { afterEach, describe, expect, it } from 'vitest';
import { connectPool, LoadRun, type Pool } from '../src/index.js';
import { startSmppServer, type TestServer } from './helpers/smpp-server.js';

let server: TestServer | undefined;
let pool: Pool | undefined;
afterEach(async () => {
  await pool?.close({ drainMs: 0 });
  await server?.close();
  pool = undefined;
  server = undefined;
});

describe('load generator', () => {
  it('open loop: latency counts from the intended send time, so a slow server cannot hide (no coordinated omission)', async () => {
    // The server needs >= 8 ms per submit at window 1 (<= 125/s); we ask for 250/s.
    server = await startSmppServer({ onSubmit: () => ({ delayMs: 8 }) });
    pool = await connectPool({ binds: [{ url: `smpp://u:p@127.0.0.1:${server.port}`, windowSize: 1 }] });
    const p = pool;
    const msg = p.prepare({ from: 'LOAD', to: '4790000001', text: 'x' });
    const count = 50;
    const rate = 250;
    const report = await new LoadRun({ mode: 'open', rate, count }, () => p.submitPrepared(msg)).run();
    expect(report.sent).toBe(count);
    expect(report.acknowledged).toBe(count);
    const intendedSpan = ((count - 1) * 1000) / rate; // 196 ms
    expect(report.durationMs).toBeGreaterThan(count * 8 * 0.9);
    // The last submit was intended at ~196 ms but answered at ~durationMs: its latency includes the wait.
    expect(report.latencyMs.max).toBeGreaterThan((report.durationMs - intendedSpan) * 0.8);
    expect(report.latencyMs.p50).toBeGreaterThan(8 * 5);
    expect(server.maxOutstanding).toBe(1);
  });

  it('closed loop keeps binds × window outstanding and reports failures by status', async () => {
    server = await startSmppServer({
      onSubmit: (_p, ctx) => (ctx.index % 10 === 0 ? { status: 0x0b } : { delayMs: 2 }),
    });
    pool = await connectPool({ binds: [{ url: `smpp://u:p@127.0.0.1:${server.port}`, windowSize: 4, count: 2 }] });
    const p = pool;
    const msg = p.prepare({ from: 'LOAD', to: '4790000001', text: 'x' });
    const report = await new LoadRun({ mode: 'closed', concurrency: 8, count: 200 }, () => p.submitPrepared(msg)).run();
    expect(report.sent).toBe(200);
    expect(report.acknowledged).toBe(180);
    expect(report.failedByStatus).toEqual({ ESME_RINVDSTADR: 20 });
    expect(server.binds).toHaveLength(2);
    expect(server.maxOutstanding).toBeLessThanOrEqual(8);
    expect(server.maxOutstanding).toBeGreaterThan(4); // both binds carry load
    expect(report.latencyMs.count).toBe(180);
    expect(report.latencyMs.p50).toBeLessThanOrEqual(report.latencyMs.p99);
  });
});

describe('pool failover', () => {
  it('moves queued submits to a bind that is up when one goes down', async () => {
    const a = await startSmppServer({ onSubmit: () => 'noreply' });
    const b = await startSmppServer();
    server = b;
    try {
      pool = await connectPool({
        binds: [
          {
            url: `smpp://u:p@127.0.0.1:${a.port}`,
            windowSize: 2,
            reconnect: { initialDelayMs: 5000, maxDelayMs: 5000 },
          },
          { url: `smpp://u:p@127.0.0.1:${b.port}`, windowSize: 2 },
        ],
      });
      const [ca, cb] = pool.clients;
      // Fill A: 2 on the wire (never answered) + 3 queued behind its full window.
      const onA = Array.from({ length: 5 }, (_, i) => ca!.submit({ from: 'P', to: '4790000001', text: `a${i}` }));
      const until = Date.now() + 5000;
      while (a.submits.length < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 30));
      expect(a.submits).toHaveLength(2);
      a.dropAll();
      const outcomes = await Promise.allSettled(onA);
      expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(2); // were on the wire: maybe delivered
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3); // moved to B
      expect(b.submits.map((s) => s.short_message.message).sort()).toEqual(['a2', 'a3', 'a4']);
      // New submits go to the bind that is up.
      await pool.submit({ from: 'P', to: '4790000001', text: 'after' });
      expect(b.submits).toHaveLength(4);
      expect(cb!.bound).toBe(true);
    } finally {
      await pool?.close({ drainMs: 0 });
      pool = undefined;
      await a.close();
    }
  });
});
