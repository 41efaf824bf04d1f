import { describe, expect, it } from 'vitest';
import { Window, SessionError } from '../src/session/index.js';

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
