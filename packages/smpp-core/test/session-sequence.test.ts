import { describe, expect, it } from 'vitest';
import { MAX_SEQUENCE, SequenceGenerator } from '../src/session/index.js';

describe('SequenceGenerator', () => {
  it('starts at 1 and increments', () => {
    const g = new SequenceGenerator();
    expect([g.next(), g.next(), g.next()]).toEqual([1, 2, 3]);
  });

  it('wraps 0x7FFFFFFF to 1, never yielding 0 or a negative number', () => {
    const g = new SequenceGenerator(MAX_SEQUENCE - 1);
    expect([g.next(), g.next(), g.next(), g.next()]).toEqual([0x7ffffffe, 0x7fffffff, 1, 2]);
  });

  it('rejects a start outside 1..0x7FFFFFFF', () => {
    expect(() => new SequenceGenerator(0)).toThrow(RangeError);
    expect(() => new SequenceGenerator(0x80000000)).toThrow(/1\.\.2147483647/);
    expect(() => new SequenceGenerator(1.5)).toThrow(RangeError);
  });
});
