import { describe, expect, it } from 'vitest';
import { ReceiptMatcher } from '../src/index.js';

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
    const m = new ReceiptMatcher();
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
    expect(m.addId(e, 0, '4D')).toEqual([expect.objectContaining({ kind: 'part' })]);
    expect(m.addId(e, 1, '4e')).toEqual([]);
    expect(m.onReceipt(r('4e')).kind).toBe('complete');
    // in another base: paired as soon as it is the only submit its id names, in any form (issue 10's rule)
    expect(m.onReceipt(r('100')).kind).toBe('unmatched');
    expect(m.track(['64'])).toEqual([expect.objectContaining({ kind: 'complete' })]); // 0x64 = 100
    now = 600;
    expect(m.sweep()).toEqual({ outcomes: [], orphans: [] });
  });

  it('learns the link\'s id form from unambiguous pairs (hex ids written in decimal), then never takes decimal "16" for hex "16"', () => {
    const m = new ReceiptMatcher();
    const hexIds = ['a', 'b', 'c', 'd', 'e', 'f', '1a', '1b', '1c', '1d', '1e', '1f'];
    const kinds: string[] = [];
    for (const id of hexIds) {
      m.track([id]);
      kinds.push(m.onReceipt(r(String(parseInt(id, 16)))).kind); // the only submit its id names: paired, evidence
    }
    expect(kinds).toEqual(Array(12).fill('complete'));
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
    const m = new ReceiptMatcher();
    for (const id of ['1a', '2b', '3c', '16']) m.track([id]);
    for (const id of ['1a', '2b', '3c']) expect(m.onReceipt(r(id.toUpperCase())).kind).toBe('complete');
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
    const m = new ReceiptMatcher({ ttlMs: 3_600_000, completedTtlMs: 1000, clock: { now: () => now } });
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
    const m = new ReceiptMatcher({ ttlMs: 1000, completedTtlMs: 0, clock: { now: () => now } });
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
