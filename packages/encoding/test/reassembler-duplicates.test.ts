// A part sent again after its message completed (an SMSC resending a deliver_sm it got no answer for) is a
// duplicate for duplicateWindowMs, within maxCompleted: not the first part of a second, partial message.
import { describe, expect, it } from 'vitest';
import { type DuplicatePart, type ReassembledMessage, Reassembler, splitMessage } from '../src/index.js';

function parts(text: string, reference = 9) {
  const s = splitMessage(text, { reference });
  return s.parts.map((p) => ({
    source: '447700900001',
    destination: '1234',
    dataCoding: s.dataCoding,
    shortMessage: p.shortMessage,
    udhi: s.udhi,
  }));
}

function clock(start = 1000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

function collect(r: Reassembler) {
  const messages: ReassembledMessage[] = [];
  const partials: ReassembledMessage[] = [];
  const duplicates: DuplicatePart[] = [];
  r.on('message', (m) => messages.push(m));
  r.on('partial', (m) => partials.push(m));
  r.on('duplicate', (d) => duplicates.push(d));
  return { messages, partials, duplicates };
}

const long = 'The quick brown fox jumps over the lazy dog. '.repeat(5);

describe('Reassembler duplicates', () => {
  it('a part resent after its message completed is a duplicate, not a second partial message', () => {
    const c = clock();
    const r = new Reassembler({ timeoutMs: 1000, now: c.now });
    const got = collect(r);
    const ps = parts(long);
    expect(ps.length).toBe(2);
    for (const p of ps) r.push(p);
    expect(got.messages).toHaveLength(1);
    c.advance(500);
    expect(r.push(ps[1]!)).toBeUndefined();
    expect(r.size).toBe(0); // nothing pending: no second message started
    c.advance(5000);
    r.sweep();
    expect(got.partials).toHaveLength(0);
    expect(got.messages).toHaveLength(1);
    expect(got.duplicates).toEqual([
      {
        source: '447700900001',
        destination: '1234',
        concatenation: 'udh8',
        reference: 9,
        total: 2,
        sequence: 2,
        of: 'completed',
      },
    ]);
    expect(r.duplicates).toBe(1);
  });

  it('counts duplicates of a message still being reassembled too', () => {
    const r = new Reassembler();
    const got = collect(r);
    const ps = parts(long);
    r.push(ps[0]!);
    r.push(ps[0]!);
    r.push(ps[1]!);
    expect(got.messages).toHaveLength(1);
    expect(got.duplicates.map((d) => d.of)).toEqual(['pending']);
  });

  it('a different message under a reused reference is a new message', () => {
    const r = new Reassembler();
    const got = collect(r);
    for (const p of parts(long)) r.push(p);
    const other = parts(long.toUpperCase());
    for (const p of other) r.push(p);
    expect(got.messages.map((m) => m.text)).toEqual([long, long.toUpperCase()]);
    expect(got.duplicates).toHaveLength(0);
  });

  it('forgets a completed message after duplicateWindowMs: the same part is then a new message', () => {
    const c = clock();
    const r = new Reassembler({ timeoutMs: 1000, duplicateWindowMs: 2000, onTimeout: 'partial', now: c.now });
    const _got = collect(r);
    const ps = parts(long);
    for (const p of ps) r.push(p);
    c.advance(1999);
    r.push(ps[0]!);
    expect(r.duplicates).toBe(1);
    c.advance(1);
    r.sweep();
    expect(r.completedSize).toBe(0);
    r.push(ps[0]!);
    expect(r.size).toBe(1);
    expect(r.duplicates).toBe(1);
  });

  it('remembers at most maxCompleted messages (the oldest forgotten first)', () => {
    const r = new Reassembler({ maxCompleted: 3 });
    const all = [1, 2, 3, 4, 5].map((ref) => parts(long, ref));
    for (const ps of all) for (const p of ps) r.push(p);
    expect(r.completedSize).toBe(3);
    r.push(all[4]![0]!); // still remembered
    expect(r.duplicates).toBe(1);
    r.push(all[0]![0]!); // forgotten: starts a new message
    expect(r.duplicates).toBe(1);
    expect(r.size).toBe(1);
  });

  it('duplicateWindowMs 0 remembers nothing', () => {
    const r = new Reassembler({ duplicateWindowMs: 0 });
    const ps = parts(long);
    for (const p of ps) r.push(p);
    expect(r.completedSize).toBe(0);
    r.push(ps[0]!);
    expect(r.size).toBe(1);
  });
});
