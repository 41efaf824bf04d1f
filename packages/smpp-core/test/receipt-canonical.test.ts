// parseReceipt reads the canonical receipt layout in one pass (parseCanonicalReceipt) and anything else the general
// way (parseReceiptGeneral). Property: wherever the fast path answers, it gives exactly what the general reading
// gives; it answers for every canonical text; texts near the layout (fields missing or reordered, extra spaces,
// labels in other cases, odd dates, long ids, colons and commas in values) either match or go the general way.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCanonicalReceipt, parseReceipt, parseReceiptGeneral } from '../src/index.js';

const LABELS = ['id', 'sub', 'dlvrd', 'submit date', 'done date', 'stat', 'err', 'text'] as const;

const alnum = fc.constantFrom(...'0123456789abcdefABCDEFxyzXYZ-_.'.split(''));
const digitsOf = (min: number, max: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((a) => a.join(''));
/** An id: decimal, hex, UUID-like, up to 64 characters. */
const id = fc.oneof(
  digitsOf(1, 20),
  fc.bigInt({ min: 0n, max: 2n ** 64n }).map((n) => n.toString(16)),
  fc.uuid(),
  fc.string({ unit: alnum, minLength: 1, maxLength: 64 }),
);
/** A date: valid 10/12/14 digits, or odd (other lengths, bad months, letters). */
const date = fc.oneof(
  fc
    .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true })
    .map((d) => d.toISOString().replace(/\D/g, '').slice(2, 12)),
  fc
    .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true })
    .map((d) => d.toISOString().replace(/\D/g, '').slice(2, 14)),
  fc
    .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true })
    .map((d) => d.toISOString().replace(/\D/g, '').slice(0, 14)),
  digitsOf(1, 16),
  fc.constantFrom('2613011200', '2601320000', '2601012460', 'notadate', '26010112OO'),
);
const stat = fc.oneof(
  fc.constantFrom('DELIVRD', 'UNDELIV', 'EXPIRED', 'DELETED', 'ACCEPTD', 'UNKNOWN', 'REJECTD', 'ENROUTE', 'delivrd'),
  fc.string({ unit: alnum, minLength: 1, maxLength: 10 }),
);
const three = fc.oneof(digitsOf(3, 3), digitsOf(1, 5), fc.string({ unit: alnum, minLength: 1, maxLength: 4 }));
const textChar = fc.integer({ min: 1, max: 255 }).map((c) => String.fromCharCode(c));
/** The text: anything, colons and labels included. */
const text = fc.oneof(
  fc.string({ unit: textChar, maxLength: 40 }),
  fc.constantFrom('', 'Code: 1234 stat:UNDELIV', ' id:9 err:1', 'Your verification co'),
);

type Fields = [string, string, string, string, string, string, string, string];
const fields = fc.tuple(id, three, three, date, date, stat, three, text) as fc.Arbitrary<Fields>;

/** The canonical text of the fields; `Text:` as the spec's example writes it, or `text:`. */
const canonical = (f: Fields, textKey = 'text') => LABELS.map((l, i) => `${i === 7 ? textKey : l}:${f[i]}`).join(' ');

/** One change that takes a canonical text near (or away from) the layout. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat(7) }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat(6) }),
  fc.record({ kind: fc.constant('case' as const), at: fc.nat(7), upper: fc.boolean() }),
  fc.record({
    kind: fc.constant('gap' as const),
    at: fc.nat(7),
    gap: fc.constantFrom('  ', '\t', ' \t', '', ', ', ';', ' ,', '\u00a0'),
  }),
  fc.record({ kind: fc.constant('beforeColon' as const), at: fc.nat(7), space: fc.constantFrom(' ', '\t') }),
  fc.record({
    kind: fc.constant('value' as const),
    at: fc.nat(6),
    edit: fc.constantFrom('lead', 'trail', 'colon', 'comma', 'semicolon', 'empty', 'label'),
  }),
  fc.record({ kind: fc.constant('underscore' as const), done: fc.boolean() }),
  fc.record({ kind: fc.constant('prefix' as const), p: fc.constantFrom(' ', 'x', 'ID:', 'dlr ', '\n') }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

/** The text of fields after the mutations, one after the other (positions wrap once fields are dropped). */
function mutated(f: Fields, ms: Mutation[]): string {
  const labels: string[] = [...LABELS];
  const values: string[] = [...f];
  const gaps: string[] = labels.map((_, i) => (i === 0 ? '' : ' '));
  const colon: string[] = labels.map(() => ':');
  let prefix = '';
  for (const m of ms) mutate(m);
  return prefix + labels.map((l, i) => `${gaps[i]}${l}${colon[i]}${values[i]}`).join('');

  function mutate(m: Mutation): void {
    const n = labels.length;
    if (n < 2) return;
    const at = 'at' in m ? m.at % (m.kind === 'swap' || m.kind === 'value' ? n - 1 : n) : 0;
    switch (m.kind) {
      case 'drop':
        labels.splice(at, 1);
        values.splice(at, 1);
        gaps.splice(at, 1);
        colon.splice(at, 1);
        gaps[0] = '';
        break;
      case 'swap':
        [labels[at], labels[at + 1]] = [labels[at + 1]!, labels[at]!];
        [values[at], values[at + 1]] = [values[at + 1]!, values[at]!];
        break;
      case 'case':
        labels[at] = m.upper ? labels[at]!.toUpperCase() : labels[at]![0]!.toUpperCase() + labels[at]!.slice(1);
        break;
      case 'gap':
        if (at > 0) gaps[at] = m.gap;
        else prefix = m.gap;
        break;
      case 'beforeColon':
        colon[at] = `${m.space}:`;
        break;
      case 'value': {
        const v = values[at]!;
        const edits: Record<string, string> = {
          lead: ` ${v}`,
          trail: `${v} `,
          colon: `${v.slice(0, 1)}:${v.slice(1)}`,
          comma: `${v},`,
          semicolon: `${v};`,
          empty: '',
          label: `${v} stat:X`,
        };
        values[at] = edits[m.edit]!;
        break;
      }
      case 'underscore': {
        const i = labels.indexOf(m.done ? 'done date' : 'submit date');
        if (i >= 0) labels[i] = m.done ? 'done_date' : 'submit_date';
        break;
      }
      case 'prefix':
        prefix = m.p;
        break;
    }
  }
}

describe('parseReceipt: the canonical fast path against the general reading', () => {
  it('takes every canonical text, and gives what the general reading gives', () => {
    fc.assert(
      fc.property(fields, fc.constantFrom('text', 'Text'), (f, textKey) => {
        const t = canonical(f, textKey);
        const fast = parseCanonicalReceipt(t);
        expect(fast).toBeDefined();
        expect(fast).toStrictEqual(parseReceiptGeneral(t));
        expect(parseReceipt(t)).toStrictEqual(fast);
      }),
      { numRuns: 3000 },
    );
  });

  it('near the layout: the same as the general reading wherever it answers, the general reading elsewhere', () => {
    let fast = 0;
    let general = 0;
    fc.assert(
      fc.property(fields, fc.array(mutation, { maxLength: 3 }), (f, ms) => {
        const t = mutated(f, ms);
        const got = parseCanonicalReceipt(t);
        const want = parseReceiptGeneral(t);
        if (got === undefined) general++;
        else {
          fast++;
          expect(got).toStrictEqual(want);
        }
        expect(parseReceipt(t)).toStrictEqual(want);
      }),
      { numRuns: 5000 },
    );
    // both ways were taken (the mutations are not all caught, nor all let through)
    expect(fast).toBeGreaterThan(100);
    expect(general).toBeGreaterThan(100);
  });

  it('reads the canonical receipt field by field', () => {
    const t =
      'id:0A1b2C sub:001 dlvrd:001 submit date:2612011200 done date:261201120105 stat:DELIVRD err:000 text:Code: 1 stat:X';
    expect(parseCanonicalReceipt(t)).toStrictEqual({
      id: '0A1b2C',
      sub: '001',
      dlvrd: '001',
      submit_date_text: '2612011200',
      done_date_text: '261201120105',
      stat: 'DELIVRD',
      err: '000',
      text: 'Code: 1 stat:X',
      submit_date: new Date('2026-12-01T12:00:00Z'),
      done_date: new Date('2026-12-01T12:01:05Z'),
      message_state: 2,
    });
    // not the layout: the general reading
    expect(parseCanonicalReceipt('id:1 stat:DELIVRD')).toBeUndefined();
    expect(parseCanonicalReceipt(t.replace('sub:', 'SUB:'))).toBeUndefined();
    expect(parseCanonicalReceipt(t.replace(' dlvrd', '  dlvrd'))).toBeUndefined();
    expect(parseCanonicalReceipt(t.replace('text:', 'Text:'))).toStrictEqual(parseCanonicalReceipt(t));
    expect(parseCanonicalReceipt(t.replace('text:', 'TEXT:'))).toBeUndefined();
  });
});
