// lazyReceiptFromPdu reads a receipt PDU as receiptFromPdu does, lazily. Property: for any receipt PDU (text canonical,
// near it or any; in short_message, message_payload or absent; with or without the receipted_message_id, message_state
// and network_error_code TLVs; a receipt's esm_class or an MO's), every field has the value receiptFromPdu gives, read
// in any order, and fields() is receiptFromPdu's object. And the text is not decoded for id and stat when the TLVs
// give them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodePdu,
  encodePdu,
  formatReceipt,
  LazyReceipt,
  lazyReceiptFromPdu,
  type PduOf,
  receiptFromPdu,
} from '../src/index.js';
import { receiptPdu } from './receipt-pdus.js';

const FIELDS = [
  'id',
  'sub',
  'dlvrd',
  'submit_date',
  'done_date',
  'submit_date_text',
  'done_date_text',
  'stat',
  'message_state',
  'err',
  'text',
  'network_error_code',
  'intermediate',
] as const;

const base = receiptPdu(Buffer.alloc(0));

const alnum = fc.constantFrom(...'0123456789abcdefABCDEF-'.split(''));
const word = (max: number) => fc.string({ unit: alnum, minLength: 0, maxLength: max });
const date = fc.oneof(
  fc
    .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true })
    .map((d) => d.toISOString().replace(/\D/g, '').slice(2, 12)),
  fc.constantFrom('2613011200', 'notadate', '261201120000', ''),
);
const stat = fc.constantFrom('DELIVRD', 'UNDELIV', 'EXPIRED', 'ENROUTE', 'delivrd', 'SCHEDULED', 'BOGUS', '');
/** A receipt text: the canonical layout, the same with a field dropped or labels reordered, or anything. */
const text = fc.oneof(
  fc
    .record({ id: word(20), stat, err: word(3), d1: date, d2: date, t: word(20) })
    .map((f) => formatReceipt({ id: f.id, stat: f.stat, err: f.err, submit_date: f.d1, done_date: f.d2, text: f.t })),
  fc
    .tuple(word(10), stat, date, fc.boolean())
    .map(([id, s, d, idFirst]) =>
      idFirst ? `id:${id} stat:${s} done date:${d} err:1` : `Stat:${s}, ID:${id}; submit_date:${d}`,
    ),
  fc.string({ unit: fc.integer({ min: 1, max: 255 }).map((c) => String.fromCharCode(c)), maxLength: 60 }),
  fc.constant(''),
);
const tlvs = fc.record(
  {
    receipted_message_id: fc.oneof(word(12), fc.constant('')),
    message_state: fc.oneof(fc.integer({ min: 0, max: 9 }), fc.constant(200)),
    network_error_code: fc.record({ type: fc.integer({ min: 1, max: 3 }), code: fc.integer({ min: 0, max: 65535 }) }),
  },
  { requiredKeys: [] },
);
const pduArb = fc
  .record({
    text,
    where: fc.constantFrom('short_message', 'message_payload', 'none'),
    tlvs,
    esm: fc.constantFrom(0x04, 0x20, 0x00, 0x08),
  })
  .map(({ text: t, where, tlvs: tl, esm }) => {
    const bytes = Buffer.from(t, 'latin1');
    const all: Record<string, unknown> = { ...tl };
    if (where === 'message_payload') all.message_payload = bytes;
    const pdu: PduOf<'deliver_sm'> = {
      ...base,
      esm_class: esm,
      short_message: where === 'short_message' ? bytes : Buffer.alloc(0),
      tlvs: all as PduOf<'deliver_sm'>['tlvs'],
    };
    // through a real encode and decode, as a client reads it
    return decodePdu(encodePdu(pdu)) as PduOf<'deliver_sm'>;
  });

/** The fields in a random order (a lazy read must not depend on which is asked first). */
const order = fc.shuffledSubarray([...FIELDS], { minLength: FIELDS.length });

describe('lazyReceiptFromPdu', () => {
  it('gives every field receiptFromPdu gives, in any order of reading; fields() is its object', () => {
    fc.assert(
      fc.property(pduArb, order, (pdu, keys) => {
        const eager = receiptFromPdu(pdu);
        const lazy = lazyReceiptFromPdu(pdu);
        if (eager === null) {
          expect(lazy).toBeNull();
          return;
        }
        expect(lazy).toBeInstanceOf(LazyReceipt);
        const l = lazy as unknown as Record<string, unknown>;
        const e = eager as unknown as Record<string, unknown>;
        for (const k of keys) expect(l[k], k).toStrictEqual(e[k]);
        expect(lazy!.fields()).toStrictEqual(eager);
        expect(JSON.parse(JSON.stringify(lazy))).toStrictEqual(JSON.parse(JSON.stringify(eager)));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads no text for id and stat when the TLVs give them; the other fields read it once', () => {
    let decoded = 0;
    const bytes = Buffer.from(
      'id:9 sub:001 dlvrd:001 submit date:2612011200 done date:2612011201 stat:UNDELIV err:7 text:',
    );
    const counted = new Proxy(bytes, {
      get(target, prop) {
        if (prop === 'toString') {
          return (...a: Parameters<Buffer['toString']>) => {
            decoded++;
            return target.toString(...a);
          };
        }
        const v = Reflect.get(target, prop, target);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const pdu: PduOf<'deliver_sm'> = {
      ...base,
      short_message: counted,
      tlvs: { receipted_message_id: 'FF', message_state: 2 },
    };
    const r = lazyReceiptFromPdu(pdu)!;
    expect([r.id, r.stat, r.message_state, r.intermediate]).toEqual(['FF', 'DELIVRD', 2, false]);
    expect(decoded).toBe(0);
    expect(r.err).toBe('7');
    expect(r.done_date).toEqual(new Date(Date.UTC(2026, 11, 1, 12, 1)));
    expect(r.done_date).toBe(r.done_date); // one Date, as a plain object's
    expect(r.text).toBe('');
    expect(decoded).toBe(1);
    // without the message_state TLV the stat is the text's: read at once
    const s = lazyReceiptFromPdu({ ...pdu, short_message: bytes, tlvs: { receipted_message_id: 'FF' } })!;
    expect([s.id, s.stat, s.message_state]).toEqual(['FF', 'UNDELIV', 5]);
  });
});
