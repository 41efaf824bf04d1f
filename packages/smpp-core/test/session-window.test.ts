import { describe, expect, it } from 'vitest';
import { SessionError, Window } from '../src/session/index.js';

const settled = async <T>(p: Promise<T>) => {
  let state: 'pending' | 'fulfilled' | 'rejected' = 'pending';
  p.then(
    () => (state = 'fulfilled'),
    () => (state = 'rejected'),
  );
  await new Promise((r) => setImmediate(r));
  return state;
};

describe('Window', () => {
  it('completes requests by sequence number, in any order', async () => {
    const w = new Window<string>(3);
    expect(w.tryReserve()).toBe(true);
    const p1 = w.add(1, 'submit_sm', 1000);
    expect(w.tryReserve()).toBe(true);
    const p2 = w.add(2, 'submit_sm', 1000);
    expect(w.outstanding).toBe(2);
    expect(w.commandOf(2)).toBe('submit_sm');
    expect(w.complete(2, 'two')).toBe(true);
    expect(w.complete(2, 'again')).toBe(false);
    expect(w.complete(99, 'unknown')).toBe(false);
    expect(w.complete(1, 'one')).toBe(true);
    expect(await p1).toBe('one');
    expect(await p2).toBe('two');
    expect(w.outstanding).toBe(0);
  });

  it('never has more than size outstanding; waiters get slots in FIFO order', async () => {
    const w = new Window<number>(2);
    expect(w.tryReserve()).toBe(true);
    void w.add(1, 'x', 100);
    expect(w.tryReserve()).toBe(true);
    void w.add(2, 'x', 100);
    expect(w.tryReserve()).toBe(false);
    const order: string[] = [];
    const a = w.waitForSlot(50).then(() => order.push('a'));
    const b = w.waitForSlot(50).then(() => order.push('b'));
    expect(w.waiting).toBe(2);
    w.complete(1, 0);
    await a;
    expect(order).toEqual(['a']);
    // a holds a reservation: the window is still full
    expect(w.tryReserve()).toBe(false);
    void w.add(3, 'x', 100);
    expect(w.outstanding).toBe(2);
    expect(await settled(b)).toBe('pending');
    w.complete(2, 0);
    await b;
    expect(order).toEqual(['a', 'b']);
  });

  it('a newcomer does not jump the queue while someone waits', async () => {
    const w = new Window<number>(1);
    w.tryReserve();
    void w.add(1, 'x', 100);
    const waiter = w.waitForSlot(50);
    w.complete(1, 0);
    expect(w.tryReserve()).toBe(false);
    await waiter;
  });

  it('sweep rejects expired requests with RESPONSE_TIMEOUT (maybe delivered) and frees their slot', async () => {
    const w = new Window<number>(1);
    w.tryReserve();
    const p = w.add(7, 'submit_sm', 100);
    const waiter = w.waitForSlot(1000);
    expect(w.sweep(99)).toBe(0);
    expect(w.sweep(100)).toBe(1);
    const err = await p.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SessionError);
    expect(err).toMatchObject({ code: 'RESPONSE_TIMEOUT', maybeDelivered: true, sequenceNumber: 7 });
    expect((err as Error).message).toMatch(/may or may not have been delivered/);
    await waiter; // the freed slot went to the waiter
    expect(w.outstanding).toBe(0);
  });

  it('sweep rejects waiters past their deadline with WINDOW_TIMEOUT (not delivered)', async () => {
    const w = new Window<number>(1);
    w.tryReserve();
    void w.add(1, 'x', 10_000);
    const waiter = w.waitForSlot(50);
    w.sweep(49);
    expect(await settled(waiter)).toBe('pending');
    w.sweep(50);
    await expect(waiter).rejects.toMatchObject({ code: 'WINDOW_TIMEOUT', maybeDelivered: false });
    expect(w.waiting).toBe(0);
  });

  it('sweep stops at the first live entry (entries kept in expiry order)', async () => {
    const w = new Window<number>(100);
    const ps: Promise<number>[] = [];
    for (let i = 1; i <= 100; i++) {
      w.tryReserve();
      ps.push(w.add(i, 'x', i * 10));
    }
    expect(w.sweep(500)).toBe(50);
    expect(w.outstanding).toBe(50);
    expect(w.has(50)).toBe(false);
    expect(w.has(51)).toBe(true);
    await Promise.allSettled(ps.slice(0, 50));
    w.failAll('test');
    await Promise.allSettled(ps);
  });

  it('failAll rejects outstanding (maybe delivered) and waiting (not delivered) callers with CLOSED', async () => {
    const w = new Window<number>(1);
    w.tryReserve();
    const p = w.add(5, 'deliver_sm', 1000);
    const waiter = w.waitForSlot(1000);
    w.failAll('peer-closed');
    await expect(p).rejects.toMatchObject({ code: 'CLOSED', maybeDelivered: true, sequenceNumber: 5 });
    await expect(p).rejects.toThrow(/may or may not have been delivered/);
    await expect(waiter).rejects.toMatchObject({ code: 'CLOSED', maybeDelivered: false });
    expect(w.outstanding).toBe(0);
  });

  it('whenEmpty resolves once the last outstanding request completes', async () => {
    const w = new Window<number>(2);
    await w.whenEmpty();
    w.tryReserve();
    void w.add(1, 'x', 1000);
    const empty = w.whenEmpty();
    expect(await settled(empty)).toBe('pending');
    w.complete(1, 0);
    await empty;
  });

  it('a cancelled reservation passes the slot on', async () => {
    const w = new Window<number>(1);
    expect(w.tryReserve()).toBe(true);
    const waiter = w.waitForSlot(100);
    w.cancelReservation();
    await waiter;
    expect(() => w.add(1, 'x', 100)).not.toThrow();
  });

  it('refuses a duplicate outstanding sequence number and a size below 1', () => {
    const w = new Window<number>(2);
    w.tryReserve();
    void w.add(1, 'x', 100);
    w.tryReserve();
    expect(() => w.add(1, 'x', 100)).toThrow(/already outstanding/);
    expect(() => new Window(0)).toThrow(RangeError);
  });
});

describe('Window properties (random operation sequences)', () => {
  it('never exceeds its size, grants slots first come first served, and settles every caller exactly once', async () => {
    const fc = await import('fast-check');
    const op = fc.oneof(
      fc.constant({ kind: 'request' as const }),
      fc.record({ kind: fc.constant('complete' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 60 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 5 }), fc.array(op, { maxLength: 60 }), async (size, ops) => {
        const w = new Window<number>(size);
        let now = 0;
        let seq = 0;
        let waiterNo = 0;
        const granted: number[] = [];
        const timedOut: number[] = [];
        const settled = new Map<string, number>();
        const track = (key: string, p: Promise<unknown>) =>
          p.then(
            () => settled.set(key, (settled.get(key) ?? 0) + 1),
            () => settled.set(key, (settled.get(key) ?? 0) + 1),
          );
        const all: Promise<unknown>[] = [];
        const outstanding: number[] = [];
        const send = () => {
          const s = ++seq;
          outstanding.push(s);
          all.push(track(`req${s}`, w.add(s, 'submit_sm', now + 100)));
        };
        for (const o of ops) {
          if (o.kind === 'request') {
            if (w.tryReserve()) send();
            else {
              const n = ++waiterNo;
              const p = w.waitForSlot(now + 50).then(
                () => {
                  granted.push(n);
                  send();
                },
                () => {
                  timedOut.push(n);
                },
              );
              all.push(track(`wait${n}`, p));
            }
          } else if (o.kind === 'complete') {
            const live = outstanding.filter((s) => w.has(s));
            if (live.length > 0) w.complete(live[o.pick % live.length], 0);
          } else {
            now += o.ms;
            w.sweep(now);
          }
          await new Promise((r) => setImmediate(r)); // let granted waiters take their slot
          expect(w.outstanding).toBeLessThanOrEqual(size);
        }
        w.failAll('end');
        await Promise.all(all);
        // FIFO: slots were granted in queueing order
        expect(granted).toEqual([...granted].sort((a, b) => a - b));
        // every request and every waiter settled exactly once
        for (const [, count] of settled) expect(count).toBe(1);
        expect(settled.size).toBe(seq + waiterNo);
        expect(w.outstanding).toBe(0);
        expect(w.waiting).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
});
