// The dispatcher's kicks: one dispatch on the next turn however many kicks came, and none of their own for the
// kicks made while the scheduler's tick queues receipts (it dispatches once when done).
import { describe, expect, it } from 'vitest';
import { Kicks } from '../src/delivery/kicks.js';

const turn = () => new Promise((r) => setImmediate(r));

describe('Kicks', () => {
  it('runs one dispatch on the next turn for any number of kicks', async () => {
    let runs = 0;
    const k = new Kicks(() => runs++);
    k.kick();
    k.kick();
    expect(runs).toBe(0);
    await turn();
    expect(runs).toBe(1);
    k.kick();
    await turn();
    expect(runs).toBe(2);
  });

  it('dispatchAfter: the kicks made by the queueing add no dispatch of their own', async () => {
    let runs = 0;
    const k = new Kicks(() => runs++);
    k.dispatchAfter((n: number) => {
      for (let i = 0; i < n; i++) k.kick();
    }, 3);
    expect(runs).toBe(1);
    await turn();
    await turn();
    expect(runs).toBe(1);
    // after it, kicks are kicks again
    k.kick();
    await turn();
    expect(runs).toBe(2);
  });

  it('dispatchAfter: when the queueing throws, a kick made before the throw still dispatches', async () => {
    let runs = 0;
    const k = new Kicks(() => runs++);
    expect(() =>
      k.dispatchAfter(() => {
        k.kick();
        throw new Error('store closed');
      }, 0),
    ).toThrow('store closed');
    expect(runs).toBe(0);
    await turn();
    expect(runs).toBe(1);
  });
});
