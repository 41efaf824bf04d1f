import { describe, expect, it } from 'vitest';
import { type MatchOutcome, ReceiptMatcher } from '../src/index.js';

const r = (id: string, stat = 'DELIVRD') => ({ id, stat });

describe('ReceiptMatcher', () => {
  it('matches ids across hex/decimal, case and zero padding, in the configured form', () => {
    const same = new ReceiptMatcher({ idForm: 'same' });
    same.track(['ff']);
    expect(same.onReceipt(r('000FF')).kind).toBe('complete');
    const h2d = new ReceiptMatcher({ idForm: 'hexToDecimal' });
    h2d.track(['0000ABC1']);
    expect(h2d.onReceipt(r('43969')).kind).toBe('complete');
    const d2h = new ReceiptMatcher({ idForm: 'decimalToHex' });
    d2h.track(['1234567890']);
    expect(d2h.onReceipt(r('499602D2')).kind).toBe('complete');
    // in the configured form only: hex "10" is not decimal 10 on a hex→decimal link
    h2d.track(['10']);
    expect(h2d.onReceipt(r('10')).kind).toBe('unmatched');
    expect(h2d.onReceipt(r('16')).kind).toBe('complete');
  });

  it('gives one logical result per long message, once every part has a final receipt', () => {
    const m = new ReceiptMatcher({ idForm: 'same' });
    m.track(['a1', 'a2', 'a3'], { ref: 7 });
    expect(m.onReceipt(r('a2')).kind).toBe('part');
    expect(m.onReceipt(r('a2')).kind).toBe('duplicate');
    expect(m.onReceipt({ id: 'a1', stat: 'ENROUTE' }).kind).toBe('intermediate');
    expect(m.onReceipt(r('a1')).kind).toBe('part');
    const done = m.onReceipt(r('a3', 'UNDELIV'));
    expect(done.kind).toBe('complete');
    if (done.kind === 'complete') {
      expect(done.result).toMatchObject({
        messageIds: ['a1', 'a2', 'a3'],
        stat: 'UNDELIV',
        delivered: false,
        meta: { ref: 7 },
      });
      expect(done.result.parts.map((p) => p.id)).toEqual(['a1', 'a2', 'a3']);
    }
  });

  it('holds a receipt that comes before its submit response, and matches it when the id arrives', () => {
    let now = 0;
    const m = new ReceiptMatcher({ clock: { now: () => now }, graceMs: 500 });
    expect(m.onReceipt(r('4d')).kind).toBe('unmatched');
    const e = m.begin(2);
    // the form is not known yet: "4d" names 4D as given only, so it waits graceMs (decimal 77's submit, "4d" in
    // hex, could still be on its way)
    expect(m.addId(e, 0, '4D')).toEqual([]);
    expect(m.addId(e, 1, '4e')).toEqual([]);
    expect(m.onReceipt(r('4e')).kind).toBe('unmatched');
    // in another base: paired when it is the only submit its id names, in any form, once it has waited
    expect(m.onReceipt(r('100')).kind).toBe('unmatched');
    expect(m.track(['64'])).toEqual([]); // 0x64 = 100
    now = 600;
    const { outcomes, orphans } = m.sweep();
    expect(outcomes.map((o) => o.kind)).toEqual(['part', 'complete', 'complete']);
    expect(orphans).toEqual([]);
    now = 1200;
    expect(m.sweep()).toEqual({ outcomes: [], orphans: [] });
  });

  it('learns the link\'s id form from unambiguous pairs (hex ids written in decimal), then never takes decimal "16" for hex "16"', () => {
    let now = 0;
    const m = new ReceiptMatcher({ clock: { now: () => now }, graceMs: 500 });
    const hexIds = ['a', 'b', 'c', 'd', 'e', 'f', '1a', '1b', '1c', '1d', '1e', '1f'];
    for (const id of hexIds) {
      m.track([id]);
      expect(m.onReceipt(r(String(parseInt(id, 16)))).kind).toBe('unmatched'); // the only submit it names: waits
    }
    now = 500;
    // once they have waited graceMs: paired, evidence
    expect(m.sweep().outcomes.map((o) => o.kind)).toEqual(Array(12).fill('complete'));
    expect(m.idForm).toBe('hexToDecimal');
    m.track(['2a']);
    expect(m.onReceipt(r('42')).kind).toBe('complete'); // known now: matched at once
    m.track(['16']); // hex id 0x16 = 22
    // the receipt for hex id "10" (16 in decimal) comes before "10" is tracked: it must not complete "16"
    expect(m.onReceipt(r('16')).kind).toBe('unmatched');
    const late = m.track(['10']);
    expect(late).toEqual([expect.objectContaining({ kind: 'complete' })]);
    if (late[0]!.kind === 'complete') expect(late[0]!.result.messageIds).toEqual(['10']);
    expect(m.onReceipt(r('22')).kind).toBe('complete');
  });

  it('deduces the same form when both sides write hex letters', () => {
    let now = 0;
    const m = new ReceiptMatcher({ clock: { now: () => now }, graceMs: 500 });
    for (const id of ['1a', '2b', '3c', '16']) m.track([id]);
    for (const id of ['1a', '2b', '3c']) expect(m.onReceipt(r(id.toUpperCase())).kind).toBe('unmatched');
    now = 500;
    expect(m.sweep().outcomes.map((o) => o.kind)).toEqual(['complete', 'complete', 'complete']);
    expect(m.idForm).toBe('same');
    expect(m.onReceipt(r('16')).kind).toBe('complete');
  });

  it('waitForReceipt resolves for a result already in, for any part id, and times out otherwise', async () => {
    const m = new ReceiptMatcher();
    m.track(['x1', 'x2']);
    const waiting = m.waitFor('x2', 5000);
    m.onReceipt(r('x1'));
    m.onReceipt(r('x2'));
    expect((await waiting).messageIds).toEqual(['x1', 'x2']);
    expect((await m.waitFor('x1', 10)).stat).toBe('DELIVRD');
    await expect(m.waitFor('nope', 20)).rejects.toThrow(/no receipt for message nope within 20 ms/);
  });

  it('forgets entries after their TTL and reports unclaimed early receipts', () => {
    let now = 0;
    const m = new ReceiptMatcher({ ttlMs: 1000, earlyTtlMs: 500, clock: { now: () => now } });
    m.track(['q1']);
    m.onReceipt(r('zz'));
    now = 600;
    expect(m.sweep().orphans.map((p) => p.id)).toEqual(['zz']);
    now = 1500;
    m.sweep();
    expect(m.size).toBe(0);
    expect(m.onReceipt(r('q1')).kind).toBe('unmatched');
  });

  it('remembers a completed message for completedTtlMs only (duplicates and late waitFor), then forgets it', async () => {
    let now = 0;
    const m = new ReceiptMatcher({ ttlMs: 3_600_000, completedTtlMs: 1000, clock: { now: () => now }, idForm: 'same' });
    m.track(['c1']);
    m.track(['c2']);
    expect(m.onReceipt(r('c1')).kind).toBe('complete');
    now = 500;
    expect(m.onReceipt(r('c1')).kind).toBe('duplicate');
    expect((await m.waitFor('c1', 10)).stat).toBe('DELIVRD');
    now = 1001;
    m.sweep();
    expect(m.size).toBe(1); // c2 still waits for its receipt
    expect(m.onReceipt(r('c1')).kind).toBe('unmatched');
    expect(m.onReceipt(r('c2')).kind).toBe('complete');
  });

  it('with completedTtlMs 0 forgets a message as soon as it is complete, expiring the others in order', () => {
    let now = 0;
    const m = new ReceiptMatcher({ ttlMs: 1000, completedTtlMs: 0, clock: { now: () => now }, idForm: 'same' });
    m.track(['d1']);
    m.track(['d2']);
    now = 10;
    m.track(['d3', 'd4']);
    expect(m.size).toBe(3);
    expect(m.onReceipt(r('d2')).kind).toBe('complete');
    expect(m.size).toBe(2);
    expect(m.onReceipt(r('d2')).kind).toBe('unmatched');
    expect(m.onReceipt(r('d3')).kind).toBe('part');
    now = 1005; // d1 expires, d3/d4 (tracked at 10) do not
    m.sweep();
    expect(m.size).toBe(1);
    expect(m.onReceipt(r('d1')).kind).toBe('unmatched');
    expect(m.onReceipt(r('d4')).kind).toBe('complete');
    expect(m.size).toBe(0);
  });
});

describe('ReceiptMatcher: ids that read the same in every form', () => {
  it('matches at once when every form of the id names the same part ("1" is 1 in hex and decimal)', () => {
    const now = 0;
    const m = new ReceiptMatcher({ clock: { now: () => now }, graceMs: 500 });
    m.track(['1']);
    expect(m.onReceipt(r('1')).kind).toBe('complete');
    // "16" is ambiguous while decimal 16 and decimal 22 (hex 16) are both in flight: it waits for the grace period
    m.track(['16']);
    m.track(['22']);
    expect(m.onReceipt(r('16')).kind).toBe('unmatched');
  });
});

describe('ReceiptMatcher: a receipt that beats its submit response (another bind) while the form is not known', () => {
  const kindsAndMeta = (outcomes: ReturnType<ReceiptMatcher['sweep']>['outcomes']) =>
    outcomes.map((o) => (o.kind === 'complete' ? `${o.part.id}→${String(o.result.meta)}` : o.kind));

  it('does not pair receipt "12" with hex "c" (12 in decimal) while B, whose id is "12", has no id yet', () => {
    let now = 0;
    const m = new ReceiptMatcher({ clock: { now: () => now }, graceMs: 500 });
    const a = m.begin(1, 'A');
    expect(m.addId(a, 0, 'c')).toEqual([]);
    const b = m.begin(1, 'B'); // sent on bind A; its submit_sm_resp not read yet
    expect(m.onReceipt(r('12')).kind).toBe('unmatched'); // B's receipt, read first on bind B
    now = 10;
    expect(m.addId(b, 0, '12')).toEqual([]); // "12" now names B (as given) and A (hex "c" written in decimal)
    expect(m.onReceipt(r('c')).kind).toBe('unmatched'); // A's: names A (as given) and B (decimal 12 written in hex)
    now = 600;
    expect(kindsAndMeta(m.sweep().outcomes)).toEqual(['12→B', 'c→A']);
    expect(m.idForm).toBe('same');
    expect(m.counters).toMatchObject({ paired: 2, unmatched: 0, mispaired: 0 });
  });

  it('does not pair a held receipt with the first submit that one form reads it as when that id arrives', () => {
    let now = 0;
    const m = new ReceiptMatcher({ clock: { now: () => now }, graceMs: 500 });
    const a = m.begin(1, 'A');
    const b = m.begin(1, 'B');
    expect(m.onReceipt(r('12')).kind).toBe('unmatched'); // B's, before either response
    expect(m.addId(a, 0, 'c')).toEqual([]); // A's id reads "12" only as hex written in decimal: not paired yet
    expect(m.addId(b, 0, '12')).toEqual([]);
    expect(m.onReceipt(r('c')).kind).toBe('unmatched');
    now = 600;
    expect(kindsAndMeta(m.sweep().outcomes)).toEqual(['12→B', 'c→A']);
    expect(m.counters).toMatchObject({ paired: 2, unmatched: 0, mispaired: 0 });
  });

  it('pairs at once an id that reads the same in every form, and learns the form from receipts that waited', () => {
    let now = 0;
    const m = new ReceiptMatcher({ clock: { now: () => now }, graceMs: 500 });
    const pending = m.begin(1, 'later'); // a submit whose response is still on the way
    m.track(['7'], 'seven');
    expect(m.onReceipt(r('7')).kind).toBe('complete'); // "7" names it in every form: safe whatever the form
    for (const id of ['a', 'b', 'd']) m.track([id], id);
    for (const id of ['10', '11', '13']) expect(m.onReceipt(r(id)).kind).toBe('unmatched'); // hex in decimal
    expect(m.idForm).toBeUndefined();
    now = 500;
    expect(kindsAndMeta(m.sweep().outcomes)).toEqual(['10→a', '11→b', '13→d']);
    expect(m.idForm).toBe('hexToDecimal');
    expect(m.addId(pending, 0, 'e')).toEqual([]);
    expect(m.onReceipt(r('14')).kind).toBe('complete'); // learned: paired at once
    expect(m.counters).toMatchObject({ paired: 5, unmatched: 0, mispaired: 0 });
  });
});

describe('ReceiptMatcher: a held receipt settles once every submit begun before it has its response', () => {
  const kindsAndMeta = (outcomes: MatchOutcome[]) =>
    outcomes.map((o) => (o.kind === 'complete' ? `${o.part.id}→${String(o.result.meta)}` : o.kind));

  it('pairs right after the last earlier response, long before graceMs', () => {
    let now = 0;
    const m = new ReceiptMatcher({ clock: { now: () => now }, graceMs: 500 });
    const a = m.begin(1, 'A');
    const b = m.begin(1, 'B');
    expect(m.addId(a, 0, '12')).toEqual([]);
    // "12" names A as given only; B's response (another bind) could still say "c" or "18": held
    expect(m.onReceipt(r('12')).kind).toBe('unmatched');
    now = 20;
    expect(m.sweep().outcomes).toEqual([]);
    expect(m.heldReceipts).toBe(1);
    // B's response: every submit begun before the receipt has its id, none claims "12" but A: paired now
    expect(kindsAndMeta(m.addId(b, 0, 'x9'))).toEqual(['12→A']);
    expect(m.heldReceipts).toBe(0);
    expect(m.counters).toMatchObject({ receipts: 1, paired: 1, unmatched: 0, mispaired: 0 });
  });

  it("does not pair while an earlier submit is unanswered whose id could be the receipt's in another form", () => {
    let now = 0;
    const m = new ReceiptMatcher({ clock: { now: () => now }, graceMs: 500 });
    const a = m.begin(1, 'A');
    const b = m.begin(1, 'B');
    expect(m.addId(a, 0, 'c')).toEqual([]); // hex "c" is 12 in decimal
    expect(m.onReceipt(r('12')).kind).toBe('unmatched'); // B's receipt, before B's response
    const c = m.begin(1, 'C'); // begun after the receipt arrived: its response is not waited for
    now = 100;
    expect(m.sweep().outcomes).toEqual([]);
    expect(m.addId(c, 0, 'x1')).toEqual([]); // B still unanswered: not paired with A
    now = 200;
    expect(m.sweep().outcomes).toEqual([]);
    // B's response: "12" now names B as given and A written in decimal, both waiting: not guessed
    expect(m.addId(b, 0, '12')).toEqual([]);
    expect(m.heldReceipts).toBe(1);
    expect(m.onReceipt(r('c')).kind).toBe('unmatched'); // A's: names A as given and B written in hex
    now = 600; // together they show the form
    expect(kindsAndMeta(m.sweep().outcomes)).toEqual(['12→B', 'c→A']);
    expect(m.counters).toMatchObject({ paired: 2, unmatched: 0, mispaired: 0 });
  });

  it('settles when an earlier submit fails instead of answering', () => {
    const now = 0;
    const m = new ReceiptMatcher({ clock: { now: () => now }, graceMs: 500 });
    const a = m.begin(1, 'A');
    const b = m.begin(1, 'B');
    const c = m.begin(1, 'C');
    expect(m.addId(a, 0, '12')).toEqual([]);
    expect(m.onReceipt(r('12')).kind).toBe('unmatched');
    expect(m.abandon(b)).toEqual([]); // C still open
    expect(kindsAndMeta(m.abandon(c))).toEqual(['12→A']);
    expect(m.size).toBe(1); // A, complete (remembered for completedTtlMs); B and C had no id: dropped
  });

  it('waits for a submit_multi in flight (expectResponse), and for graceMs at most when a response never comes', () => {
    let now = 0;
    const m = new ReceiptMatcher({ clock: { now: () => now }, graceMs: 500 });
    const a = m.begin(1, 'A');
    const multi = m.expectResponse();
    expect(m.addId(a, 0, '12')).toEqual([]);
    expect(m.onReceipt(r('12')).kind).toBe('unmatched');
    expect(m.onReceipt(r('5b')).kind).toBe('unmatched'); // the multi's receipt, before its response
    expect(m.track(['5b'], 'M', now, ['4790000001', '4790000002'], multi)).toEqual([]);
    expect(kindsAndMeta(m.responded(multi))).toEqual(['12→A', 'part']);
    // an earlier submit that never answers: the receipt waits graceMs, then pairs as before
    const b = m.begin(1, 'B');
    const c = m.begin(1, 'C');
    expect(m.addId(b, 0, '34')).toEqual([]);
    expect(m.onReceipt(r('34')).kind).toBe('unmatched');
    now = 300;
    expect(m.sweep().outcomes).toEqual([]);
    now = 500;
    expect(kindsAndMeta(m.sweep().outcomes)).toEqual(['34→B']);
    expect(c.messageIds).toEqual(['']);
  });

  it('a receipt naming a submit begun after it arrived: begin() is not called before sending here, so receipts wait graceMs', () => {
    let now = 0;
    const m = new ReceiptMatcher({ clock: { now: () => now }, graceMs: 500 });
    expect(m.onReceipt(r('12')).kind).toBe('unmatched');
    const a = m.begin(1, 'A');
    expect(m.addId(a, 0, '12')).toEqual([]);
    const b = m.begin(1, 'B');
    expect(m.addId(b, 0, '34')).toEqual([]);
    expect(m.onReceipt(r('34')).kind).toBe('unmatched'); // nothing open, but the order proves nothing now
    now = 500;
    expect(kindsAndMeta(m.sweep().outcomes)).toEqual(['12→A', '34→B']);
  });
});
