// Receipt pairing under adversarial orders (issue 10), at the matcher: 100 000 messages per case, receipts in
// reversed, shuffled and lexicographic order ("10" before "a"), all in flight at once or a window at a time, in the
// dialects where ids of one form are valid ids of another. Zero mis-paired, zero missing.
import { describe, expect, it } from 'vitest';
import { type LogicalReceipt, type MatchOutcome, type PartReceipt, ReceiptMatcher } from '../src/index.js';

const N = 100_000;
type Scheme = 'hex' | 'decimal';
type Form = 'same' | 'hexToDecimal' | 'decimalToHex';
type Order = 'reversed' | 'shuffled' | 'lexicographic';

/** The SMSC's ids: a counter written in hex or decimal. */
const submitId = (scheme: Scheme, n: number) => (scheme === 'hex' ? n.toString(16) : String(n));
/** The id the receipt writes for it. */
function receiptIdOf(id: string, _scheme: Scheme, form: Form): string {
  if (form === 'same') return id;
  if (form === 'hexToDecimal') return String(parseInt(id, 16));
  return parseInt(id, 10).toString(16);
}
/** The truth: which messages were not delivered. */
const statOf = (n: number) => (n % 7 === 0 ? 'UNDELIV' : 'DELIVRD');

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function ordered<T extends { rid: string }>(items: T[], order: Order, random: () => number): T[] {
  const a = items.slice();
  if (order === 'reversed') a.reverse();
  else if (order === 'lexicographic') a.sort((x, y) => (x.rid < y.rid ? -1 : x.rid > y.rid ? 1 : 0));
  else {
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
  }
  return a;
}

interface Check {
  complete: number;
  wrong: number;
  seen: Set<string>;
}

function checkOutcomes(outcomes: MatchOutcome[], c: Check): void {
  for (const o of outcomes) {
    if (o.kind !== 'complete') continue;
    c.complete++;
    const r: LogicalReceipt = o.result;
    const truth = (r.parts[0] as PartReceipt & { truth: string }).truth;
    if (r.messageIds[0] !== truth || r.stat !== statOf((r.meta as { n: number }).n)) c.wrong++;
    if (c.seen.has(r.messageIds[0]!)) c.wrong++;
    c.seen.add(r.messageIds[0]!);
  }
}

/**
 * All N submits tracked first ('all'), or a window of 100 submits then their receipts in the order, and so on
 * ('window', with completed messages forgotten at once as a load run does).
 */
function run(scheme: Scheme, form: Form, order: Order, shape: 'all' | 'window') {
  let now = 0;
  const m = new ReceiptMatcher({
    clock: { now: () => now },
    completedTtlMs: shape === 'window' ? 0 : 10_000,
    maxHeld: N,
  });
  const random = rng(42);
  const c: Check = { complete: 0, wrong: 0, seen: new Set() };
  const items = Array.from({ length: N }, (_, i) => {
    const n = i + 1;
    const id = submitId(scheme, n);
    return { n, id, rid: receiptIdOf(id, scheme, form) };
  });
  const feed = (batch: typeof items) => {
    for (const it of ordered(batch, order, random)) {
      const part = { id: it.rid, stat: statOf(it.n), truth: it.id } as PartReceipt;
      checkOutcomes([m.onReceipt(part)], c);
      checkOutcomes(m.takePending(), c);
    }
  };
  if (shape === 'all') {
    for (const it of items) checkOutcomes(m.track([it.id], { n: it.n }), c);
    feed(items);
  } else {
    for (let i = 0; i < N; i += 100) {
      const batch = items.slice(i, i + 100);
      for (const it of batch) checkOutcomes(m.track([it.id], { n: it.n }), c);
      now += 1;
      feed(batch);
    }
  }
  now += 1000;
  const end = m.sweep();
  checkOutcomes(end.outcomes, c);
  return { ...c, matcher: m, orphans: end.orphans.length };
}

describe('receipt pairing at the matcher: 100 000 messages, adversarial orders', () => {
  const cases: Array<[Scheme, Form, Order, 'all' | 'window']> = [
    ['hex', 'same', 'reversed', 'all'],
    ['hex', 'same', 'shuffled', 'all'],
    ['hex', 'same', 'lexicographic', 'all'], // "10" before "a"
    ['hex', 'same', 'shuffled', 'window'],
    ['hex', 'same', 'lexicographic', 'window'],
    ['decimal', 'same', 'reversed', 'all'], // decimal ids are valid hex ids too
    ['decimal', 'same', 'shuffled', 'all'],
    ['decimal', 'same', 'lexicographic', 'window'],
    ['decimal', 'same', 'shuffled', 'window'],
    ['hex', 'hexToDecimal', 'shuffled', 'all'],
    ['hex', 'hexToDecimal', 'reversed', 'window'],
    ['decimal', 'decimalToHex', 'shuffled', 'all'],
    ['decimal', 'decimalToHex', 'lexicographic', 'window'],
  ];
  for (const [scheme, form, order, shape] of cases) {
    it(`${scheme} ids, receipts ${form}, ${order}, ${shape === 'all' ? 'all in flight' : 'a window of 100 at a time'}`, () => {
      const r = run(scheme, form, order, shape);
      expect(r.wrong).toBe(0);
      expect(r.complete).toBe(N);
      expect(r.orphans).toBe(0);
      expect(r.matcher.heldReceipts).toBe(0);
      expect(r.matcher.counters).toMatchObject({ receipts: N, paired: N, mispaired: 0, unmatched: 0 });
      expect(r.matcher.idForm).toBe(form);
    });
  }
});

describe('receipt pairing: the cases behind issue 10', () => {
  const rc = (id: string, stat = 'DELIVRD') => ({ id, stat });

  it('hex ids: receipt "10" before receipt "a" pairs each with its own submit', async () => {
    let now = 0;
    const m = new ReceiptMatcher({ clock: { now: () => now } });
    const ids = Array.from({ length: 20 }, (_, i) => (i + 1).toString(16)); // 1..9, a..f, 10..14
    for (const id of ids) m.track([id]);
    const a = m.waitFor('a', 0);
    const ten = m.waitFor('10', 0);
    // 1..9 read the same in every form; "10" and "a" each name two tracked submits: held, not guessed
    for (let i = 1; i <= 9; i++) expect(m.onReceipt(rc(String(i))).kind).toBe('complete');
    expect(m.onReceipt(rc('10', 'UNDELIV')).kind).toBe('unmatched');
    expect(m.onReceipt(rc('a')).kind).toBe('unmatched');
    // "f" names only "f" ("15" is not tracked), but as given only: it waits graceMs (the submit of decimal 15 could
    // still be on its way); the others name two submits each
    for (const id of ['b', 'c', 'd', 'e', 'f', '11', '12', '13', '14'])
      expect(m.onReceipt(rc(id)).kind).toBe('unmatched');
    now += 600;
    // together, only "as given" names a waiting submit for every held receipt: the form is learned, all paired
    const { outcomes, orphans } = m.sweep();
    expect(orphans).toEqual([]);
    expect(outcomes.filter((o) => o.kind === 'complete')).toHaveLength(11);
    expect(m.idForm).toBe('same');
    expect(await a).toMatchObject({ messageIds: ['a'], stat: 'DELIVRD' });
    expect(await ten).toMatchObject({ messageIds: ['10'], stat: 'UNDELIV' });
    expect(m.counters.mispaired).toBe(0);
  });

  it('an ambiguous receipt that stays ambiguous is reported when it expires, never paired by guess', () => {
    let now = 0;
    const m = new ReceiptMatcher({ clock: { now: () => now }, earlyTtlMs: 5000 });
    m.track(['a']); // hex "a" is decimal 10
    m.track(['10']);
    expect(m.onReceipt(rc('10')).kind).toBe('unmatched');
    now = 1000;
    expect(m.sweep()).toEqual({ outcomes: [], orphans: [] }); // one receipt alone decides nothing
    now = 6000;
    const { outcomes, orphans } = m.sweep();
    expect(outcomes).toEqual([]);
    expect(orphans).toEqual([expect.objectContaining({ id: '10', unmatchedReason: 'ambiguous' })]);
    expect(m.counters).toMatchObject({ unmatched: 1, ambiguous: 1, paired: 0 });
  });

  it('counts as mis-paired a pair made before the form was learned that the learned form contradicts', () => {
    let now = 0;
    const m = new ReceiptMatcher({ clock: { now: () => now } });
    m.track(['a']);
    // receipt "10" beats the response of submit "10" by more than graceMs: once it has waited, the only tracked
    // submit it names is "a" (hex 10 in decimal)
    expect(m.onReceipt(rc('10')).kind).toBe('unmatched');
    now = 600;
    expect(m.sweep().outcomes).toEqual([expect.objectContaining({ kind: 'complete' })]);
    for (const id of ['1b', '2c', '3d', '4e']) {
      // 4: four times the one pair in the other form
      m.track([id]);
      m.onReceipt(rc(id)); // evidence (as given) once it has waited
    }
    now = 1200;
    m.sweep();
    expect(m.idForm).toBe('same');
    expect(m.counters.mispaired).toBe(1); // reported, for the load report and the caller
  });

  it('holds at most maxHeld receipts, reporting the oldest it lets go', () => {
    const m = new ReceiptMatcher({ maxHeld: 2 });
    for (const id of ['x1', 'x2', 'x3']) m.onReceipt(rc(id));
    expect(m.heldReceipts).toBe(2);
    expect(m.sweep(0).orphans).toEqual([expect.objectContaining({ id: 'x1', unmatchedReason: 'overflow' })]);
  });

  it('no evidence from ids that lack letters: decimal-looking receipts on a hex link do not make it hex-to-decimal', () => {
    const m = new ReceiptMatcher();
    // submits 1..20 in hex; receipts for 1..9 and 10..14 only (none with letters)
    for (let i = 1; i <= 20; i++) m.track([i.toString(16)]);
    for (let i = 1; i <= 9; i++) m.onReceipt(rc(String(i)));
    for (const id of ['10', '11', '12', '13', '14']) expect(m.onReceipt(rc(id)).kind).toBe('unmatched');
    expect(m.idForm).toBeUndefined();
  });

  it('stamps the latency when the receipt arrives, not when it is paired', () => {
    let now = 0;
    const m = new ReceiptMatcher({ clock: { now: () => now } });
    m.track(['a'], undefined, 0);
    m.track(['10'], undefined, 0);
    now = 100;
    m.onReceipt(rc('a')); // ambiguous (decimal "10" written in hex is "a"): held
    m.onReceipt(rc('10'));
    now = 1600; // paired by the sweep, 1.5 s later
    const { outcomes } = m.sweep();
    const done = outcomes.filter((o) => o.kind === 'complete');
    expect(done).toHaveLength(2);
    for (const o of done) if (o.kind === 'complete') expect(o.result.latencyMs).toBe(100);
  });

  it('submit_multi: one id for two destinations gets one receipt each, and both outcomes are reported', () => {
    const m = new ReceiptMatcher();
    m.track(['1'], undefined, undefined, ['4790000001', '4790000002']);
    expect(m.onReceipt({ id: '1', stat: 'UNDELIV', destination: '4790000002' }).kind).toBe('part');
    const done = m.onReceipt({ id: '1', stat: 'DELIVRD', destination: '4790000001' });
    expect(done.kind).toBe('complete');
    if (done.kind !== 'complete') return;
    expect(done.result).toMatchObject({ stat: 'UNDELIV', delivered: false });
    expect(done.result.destinations).toEqual([
      expect.objectContaining({ destination: '4790000001', stat: 'DELIVRD', delivered: true }),
      expect.objectContaining({ destination: '4790000002', stat: 'UNDELIV', delivered: false }),
    ]);
    // a third receipt for the same id and a destination already reported is a duplicate
    expect(m.onReceipt({ id: '1', stat: 'DELIVRD', destination: '4790000001' }).kind).toBe('duplicate');
  });
});
