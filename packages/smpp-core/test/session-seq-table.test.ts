// The window's table of outstanding requests (session/seq-table.ts): an open-addressing table of values by sequence
// number, so it must answer exactly as a Map would for any sequence of adds, takes and lookups — sequence numbers
// over the whole 32-bit range, runs that collide and wrap around the table, growth and the shrink once empty. And
// the window on it settles expired requests in expiry order, whatever order the others were answered in.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Window } from '../src/session/index.js';
import { SeqTable } from '../src/session/seq-table.js';

type Op = { op: 'add' | 'take' | 'get'; seq: number } | { op: 'clear' };

const seq = fc.oneof(
  fc.integer({ min: 0, max: 40 }), // few distinct values: many repeats and collisions
  fc.integer({ min: 0, max: 0xffffffff }),
  fc.constantFrom(0, 1, 0x7fffffff, 0x80000000, 0xffffffff),
);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 10, arbitrary: fc.record({ op: fc.constant('add' as const), seq }) },
  { weight: 8, arbitrary: fc.record({ op: fc.constant('take' as const), seq }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('get' as const), seq }) },
  { weight: 1, arbitrary: fc.constant({ op: 'clear' as const }) },
);

describe('SeqTable', () => {
  it('answers as a Map does, for any sequence of operations', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 600 }), (ops) => {
        const t = new SeqTable<string>();
        const m = new Map<number, string>();
        ops.forEach((o, i) => {
          if (o.op === 'add') {
            const fresh = !m.has(o.seq);
            expect(t.add(o.seq, `v${i}`)).toBe(fresh);
            if (fresh) m.set(o.seq, `v${i}`);
          } else if (o.op === 'take') {
            expect(t.take(o.seq)).toBe(m.get(o.seq));
            m.delete(o.seq);
          } else if (o.op === 'get') {
            expect(t.get(o.seq)).toBe(m.get(o.seq));
            expect(t.has(o.seq)).toBe(m.has(o.seq));
          } else {
            t.clear();
            m.clear();
          }
          expect(t.size).toBe(m.size);
        });
        for (const [k, v] of m) expect(t.get(k)).toBe(v);
      }),
      { numRuns: 300 },
    );
  });

  it('set() and keys past 32 bits (message ids) answer as a Map does', () => {
    const key = fc.oneof(
      fc.integer({ min: 0, max: 40 }),
      fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
      fc.constantFrom(0x100000000, 0x100000001, 2 ** 40, 2 ** 40 + 2 ** 32, Number.MAX_SAFE_INTEGER),
    );
    const ops = fc.array(fc.record({ op: fc.constantFrom('set', 'add', 'take', 'get'), k: key }), { maxLength: 600 });
    fc.assert(
      fc.property(ops, (list) => {
        const t = new SeqTable<string>();
        const m = new Map<number, string>();
        list.forEach((o, i) => {
          if (o.op === 'set') {
            t.set(o.k, `v${i}`);
            m.set(o.k, `v${i}`);
          } else if (o.op === 'add') {
            const fresh = !m.has(o.k);
            expect(t.add(o.k, `v${i}`)).toBe(fresh);
            if (fresh) m.set(o.k, `v${i}`);
          } else if (o.op === 'take') {
            expect(t.take(o.k)).toBe(m.get(o.k));
            m.delete(o.k);
          } else expect(t.get(o.k)).toBe(m.get(o.k));
          expect(t.size).toBe(m.size);
        });
        for (const [k, v] of m) expect(t.get(k)).toBe(v);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a window of consecutive numbers through many rounds (grow, take out of order, empty, shrink)', () => {
    const t = new SeqTable<number>();
    let next = 0xfffff000; // wraps past 2^32 - 1 to 0 on the way
    for (let round = 0; round < 50; round++) {
      const n = round % 2 === 0 ? 300 : 3000;
      const seqs: number[] = [];
      for (let i = 0; i < n; i++) {
        seqs.push(next);
        t.add(next, next + 1);
        next = (next + 1) >>> 0;
      }
      expect(t.size).toBe(n);
      const order = [...seqs.filter((_, i) => i % 2 === 1), ...seqs.filter((_, i) => i % 2 === 0).reverse()];
      const wrong = order.filter((s) => t.get(s) !== s + 1 || t.take(s) !== s + 1 || t.take(s) !== undefined);
      expect(wrong).toEqual([]);
      expect(t.size).toBe(0);
    }
  });
});

describe('Window on SeqTable', () => {
  it('expires in expiry order the requests still outstanding behind one that waits, after many answered', () => {
    const w = new Window<number>(10);
    const expired: number[] = [];
    const answered: number[] = [];
    const add = (seq: number, at: number) => {
      expect(w.tryReserve()).toBe(true);
      w.addWith(seq, 'x', at, (err, r) => (err ? expired.push(seq) : answered.push(r!)));
    };
    add(1, 100); // waits for its response the whole time
    // 5,000 more, each answered at once: their settled entries are dropped behind the first (compaction)
    for (let s = 2; s <= 5001; s++) {
      add(s, 100 + s);
      expect(w.complete(s, s)).toBe(true);
    }
    add(6000, 7000);
    add(6001, 7001);
    expect(w.complete(6000, 6000)).toBe(true);
    expect(w.outstanding).toBe(2);
    expect(w.sweep(6999)).toBe(1);
    expect(expired).toEqual([1]);
    expect(w.sweep(7001)).toBe(1);
    expect(expired).toEqual([1, 6001]);
    expect(answered.length).toBe(5001);
    expect(w.outstanding).toBe(0);
    expect(w.complete(1, 1)).toBe(false);
  });

  it('a callback that answers or adds during a sweep or failAll: each request settled once', () => {
    const w = new Window<number>(10);
    const seen: string[] = [];
    const add = (seq: number, at: number, then?: () => void) => {
      expect(w.tryReserve()).toBe(true);
      w.addWith(seq, 'x', at, (err) => {
        seen.push(`${seq}:${err ? (err as Error & { code: string }).code : 'ok'}`);
        then?.();
      });
    };
    add(1, 10, () => w.complete(3, 3)); // settles a later one from inside the sweep
    add(2, 10, () => add(9, 5)); // adds one (its expiry is kept in order: 40, the latest so far)
    add(3, 30);
    add(4, 40);
    expect(w.sweep(10)).toBe(2);
    expect(seen).toEqual(['1:RESPONSE_TIMEOUT', '3:ok', '2:RESPONSE_TIMEOUT']);
    w.failAll('test');
    expect(seen.slice(3)).toEqual(['4:CLOSED', '9:CLOSED']);
    expect(w.outstanding).toBe(0);
  });
});
