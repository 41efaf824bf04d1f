// The load generator's per-message path without promises (issue 16): a SubmitFn that reports through the run's
// outcome object is counted like one that returns a promise, also when it fails at once (no recursion into the
// next submit); Client.sendPrepared over a real socket ends each submit once, with its receipt paired; a pool passes
// partReceipt on to a listener added after connecting.
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Client,
  connect,
  connectPool,
  LoadRun,
  type LogicalReceipt,
  type Pool,
  SmppStatusError,
} from '../src/index.js';
import { startSmppServer, type TestServer } from './helpers/smpp-server.js';

describe('LoadRun with a SubmitFn that reports through its outcome object', () => {
  it('counts acknowledgements and statuses as a promise-returning one would', async () => {
    const submit = (i: number, _at: number, done: { ok(): void; fail(e: unknown): void }) => {
      setImmediate(() => (i % 10 === 9 ? done.fail(new SmppStatusError(0x45, 'submit_sm', 1)) : done.ok()));
      return undefined;
    };
    const report = await new LoadRun({ mode: 'closed', concurrency: 50, count: 5000 }, submit).run();
    expect(report.acknowledged).toBe(4500);
    expect(report.failed).toBe(500);
    expect(report.statuses).toEqual({ ESME_ROK: 4500, ESME_RSUBMITFAIL: 500 });
    expect(report.latencyMs.count).toBe(4500);
    expect(report.timeline.reduce((n, s) => n + s.acknowledged, 0)).toBe(4500);
  });

  it('a submit failing at once (inside the SubmitFn) does not recurse into the next one', async () => {
    let calls = 0;
    const submit = (_i: number, _at: number, done: { fail(e: unknown): void }) => {
      calls++;
      done.fail(Object.assign(new Error('client closed'), { code: 'CLOSED' }));
      return undefined;
    };
    // 50,000 failures in a row: each told while the SubmitFn runs would nest one call deeper without the deferral
    const report = await new LoadRun({ mode: 'closed', concurrency: 1, count: 50_000 }, submit).run();
    expect(calls).toBe(50_000);
    expect(report.failed).toBe(50_000);
    expect(report.failedByStatus).toEqual({ CLOSED: 50_000 });
  });
});

describe('Client.sendPrepared', () => {
  let server: TestServer | undefined;
  let client: Client | undefined;
  afterEach(async () => {
    await client?.close({ drainMs: 0 });
    await server?.close();
    client = server = undefined;
  });

  it('ends each submit once: ok with its id, fail with the status error; its receipt is paired', async () => {
    server = await startSmppServer({ onSubmit: (_p, ctx) => (ctx.index % 4 === 0 ? { status: 0x45 } : {}) });
    client = await connect({ url: `smpp://u:p@127.0.0.1:${server.port}`, windowSize: 10 });
    const prepared = client.prepare({ from: 'ACME', to: '4790000001', text: 'hello', dlr: true });
    const ids: string[] = [];
    const errors: unknown[] = [];
    await new Promise<void>((resolve) => {
      let left = 40;
      const done = {
        ok: (id: string) => {
          ids.push(id);
          if (--left === 0) resolve();
        },
        fail: (e: Error) => {
          errors.push(e);
          if (--left === 0) resolve();
        },
      };
      for (let i = 0; i < 40; i++) client!.sendPrepared(prepared, i, done);
    });
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
    expect(errors).toHaveLength(10);
    for (const e of errors) expect(e).toMatchObject({ statusName: 'ESME_RSUBMITFAIL' });
    // failed submits leave nothing tracked; accepted ones wait for their receipt
    expect(client.matcher.size).toBe(30);
    const got = new Promise<LogicalReceipt>((r) => client!.once('receipt', r));
    await server.deliver({
      source_addr: '4790000001',
      destination_addr: 'ACME',
      esm_class: 0x04,
      short_message: `id:${ids[0]} sub:001 dlvrd:001 submit date:2501011200 done date:2501011200 stat:DELIVRD err:000 text:`,
    });
    expect(await got).toMatchObject({ stat: 'DELIVRD', meta: expect.any(Number) });
  });
  it("with writeTiming 'callback', each submit sent from the previous one's answer goes out (window 1)", async () => {
    server = await startSmppServer();
    client = await connect({ url: `smpp://u:p@127.0.0.1:${server.port}`, windowSize: 1, writeTiming: 'callback' });
    const prepared = client.prepare({ from: 'ACME', to: '4790000001', text: 'hello' });
    const ids: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const done = {
        ok: (id: string) => {
          ids.push(id);
          // sent within the read that brought the answer: written when its callback is done, with no later turn
          if (ids.length < 50) client!.sendPrepared(prepared, ids.length, done);
          else resolve();
        },
        fail: reject,
      };
      client!.sendPrepared(prepared, 0, done);
    });
    expect(new Set(ids).size).toBe(50);
  });
});

describe('Pool: partReceipt passed on once someone listens', () => {
  let server: TestServer | undefined;
  let pool: Pool | undefined;
  afterEach(async () => {
    await pool?.close({ drainMs: 0 });
    await server?.close();
    pool = server = undefined;
  });

  it('a listener added after connecting gets every part receipt, as does receipt', async () => {
    server = await startSmppServer();
    pool = await connectPool({ binds: [{ url: `smpp://u:p@127.0.0.1:${server.port}`, count: 2 }] });
    const parts: Array<[string, boolean]> = [];
    const receipts: string[] = [];
    pool.on('receipt', (r) => receipts.push(r.messageIds[0]!));
    pool.on('partReceipt', (r, matched) => parts.push([r.id, matched]));
    const ids: string[] = [];
    for (let i = 0; i < 4; i++)
      ids.push((await pool.submit({ from: 'ACME', to: '4790000001', text: 'x', dlr: true })).messageIds[0]!);
    for (const id of [...ids, '999999']) {
      await server.deliver({
        source_addr: '4790000001',
        destination_addr: 'ACME',
        esm_class: 0x04,
        short_message: `id:${id} sub:001 dlvrd:001 submit date:2501011200 done date:2501011200 stat:DELIVRD err:000 text:`,
      });
    }
    await expect.poll(() => parts.length).toBe(5);
    expect(parts).toEqual([...ids.map((id) => [id, true]), ['999999', false]]);
    expect(receipts.sort()).toEqual([...ids].sort());
  });
});
