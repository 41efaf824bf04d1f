// The session's table of the peer's requests not answered yet (session/unanswered.ts): an open-addressing table,
// so it must answer exactly as a Set would for any sequence of adds, deletes and lookups — sequence numbers over the
// whole 32-bit range, runs that collide and wrap around the table, growth, and the shrink once empty — and tell
// those waiting once nothing is unanswered.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Unanswered } from '../src/session/unanswered.js';

type Op = { op: 'add' | 'delete' | 'has'; seq: number } | { op: 'clear' };

const seq = fc.oneof(
  fc.integer({ min: 0, max: 40 }), // few distinct values: many repeats and collisions
  fc.integer({ min: 0, max: 0xffffffff }),
  fc.constantFrom(0, 1, 0x7fffffff, 0x80000000, 0xffffffff),
);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 10, arbitrary: fc.record({ op: fc.constant('add' as const), seq }) },
  { weight: 8, arbitrary: fc.record({ op: fc.constant('delete' as const), seq }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('has' as const), seq }) },
  { weight: 1, arbitrary: fc.constant({ op: 'clear' as const }) },
);

describe('Unanswered', () => {
  it('answers as a Set does, for any sequence of operations', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 600 }), (ops) => {
        const u = new Unanswered();
        const s = new Set<number>();
        for (const o of ops) {
          if (o.op === 'add') {
            u.add(o.seq);
            s.add(o.seq);
          } else if (o.op === 'delete') expect(u.delete(o.seq)).toBe(s.delete(o.seq));
          else if (o.op === 'has') expect(u.has(o.seq)).toBe(s.has(o.seq));
          else {
            u.clear();
            s.clear();
          }
          expect(u.size).toBe(s.size);
        }
        for (const k of s) expect(u.has(k)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a window of consecutive numbers through many reads (grow, delete out of order, empty, shrink)', () => {
    const u = new Unanswered();
    let next = 0xfffff000; // wraps past 2^32 - 1 to 0 on the way
    for (let round = 0; round < 50; round++) {
      const n = round % 2 === 0 ? 300 : 3000;
      const seqs: number[] = [];
      for (let i = 0; i < n; i++) {
        seqs.push(next);
        u.add(next);
        next = (next + 1) >>> 0;
      }
      expect(u.size).toBe(n);
      // answered in another order than received: odd ones first, then the rest backwards
      const order = [...seqs.filter((_, i) => i % 2 === 1), ...seqs.filter((_, i) => i % 2 === 0).reverse()];
      const wrong = order.filter((s) => !u.has(s) || !u.delete(s) || u.delete(s) || u.has(s));
      expect(wrong).toEqual([]);
      expect(u.size).toBe(0);
    }
  });

  it('resolves whenEmpty once the last one is answered, or at once when none is open', async () => {
    const u = new Unanswered();
    await u.whenEmpty();
    u.add(7);
    u.add(8);
    let done = false;
    const p = u.whenEmpty().then(() => (done = true));
    u.delete(7);
    await Promise.resolve();
    expect(done).toBe(false);
    expect(u.delete(9)).toBe(false);
    u.delete(8);
    await p;
    expect(done).toBe(true);
    u.add(1);
    const q = u.whenEmpty();
    u.clear();
    await q;
  });
});
