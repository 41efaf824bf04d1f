// The receipt's deliver_sm written straight into its octets (delivery/receipt-pdu.ts) is what the encoder makes of
// receiptPdu's PDU, for every receipt style, final state, error code, id form, address and text tried here; a
// receipt it does not take (null) is one the encoder's path is there for.

import { EsmClass, encodeWithHeader } from '@smppkit/core';
import { encodeUtf16be } from '@smppkit/encoding';
import { describe, expect, it } from 'vitest';
import { type ReceiptStyle, STATE_NAMES, type StateName } from '../src/config/types.js';
import { receiptBytes } from '../src/delivery/receipt-pdu.js';
import { receiptPdu } from '../src/delivery/receipts.js';
import type { MessageRecord } from '../src/store/index.js';
import { messageRecord } from './records.js';

const styles: ReceiptStyle[] = [];
for (const content of ['text+tlv', 'tlv', 'text'] as const)
  for (const idFormat of ['hex', 'decimal'] as const)
    for (const receiptIdFormat of [undefined, 'hex', 'decimal'] as const)
      for (const dateDigits of [10, 12] as const)
        for (const lowerCaseKeys of [false, true])
          styles.push({
            idFormat,
            dateDigits,
            content,
            lowerCaseKeys,
            ...(receiptIdFormat ? { receiptIdFormat } : {}),
          });

const t0 = Date.UTC(2026, 11, 1, 14, 59, 58);

function records(): MessageRecord[] {
  const out: MessageRecord[] = [];
  const texts = ['Your verification code is 123456. It expires in 10 minutes.', 'hi', '', 'exactly twenty chars'];
  const addrs: Array<[string, string]> = [
    ['LOADTEST', '4790000001'],
    ['', ''],
    ['12345678901234567890', '98765432109876543210'],
  ];
  let id = 1;
  for (const state of ['DELIVERED', 'UNDELIVERABLE', 'EXPIRED', 'REJECTED', 'DELETED'] as StateName[])
    for (const err of [0, 5, 1234, 0xffff])
      for (const text of texts)
        for (const [src, dst] of addrs) {
          id = id * 7 + 3; // ids of every length, in both forms
          out.push(
            messageRecord(id % 2 ** 48, {
              mid: (id % 2 ** 48).toString(16),
              sourceTon: 5,
              sourceNpi: 0,
              sourceAddr: src,
              destTon: 1,
              destNpi: 1,
              destAddr: dst,
              shortMessage: Buffer.from(text, 'latin1'),
              text: '',
              state,
              err,
              submittedAt: t0,
              doneAt: t0 + (id % 5) * 61_000,
            }),
          );
        }
  return out;
}

describe('receipt deliver_sm written straight', () => {
  it("is the encoder's octets of receiptPdu's PDU, for every style, state, error, id, address and text", () => {
    let direct = 0;
    const wrong: unknown[] = [];
    for (const style of styles)
      for (const rec of records())
        for (const withTlvs of [true, false]) {
          const got = receiptBytes(rec, style, withTlvs);
          const want = encodeWithHeader('deliver_sm', receiptPdu(rec, style, withTlvs), 0, 0);
          // an empty short_message (the text may be in message_payload) takes formatReceipt's path: when the
          // receipt has a text, the encoder's
          const text = withTlvs ? style.content !== 'tlv' : true;
          const expected = !text || rec.shortMessage.length > 0 ? want.toString('hex') : null;
          const hex = got === null ? null : got.toString('hex');
          if (hex !== expected) wrong.push({ style, id: rec.id, withTlvs, hex, expected });
          if (got !== null) direct++;
        }
    expect(wrong).toEqual([]);
    expect(direct).toBeGreaterThan(styles.length * records().length);
  });

  it('leaves to the encoder what it does not take: a long or non-Latin-1 address, a text not written straight', () => {
    const style = styles[0];
    const cases: MessageRecord[] = [
      messageRecord(1, { sourceAddr: '123456789012345678901' }), // 21 characters: beyond deliver_sm's limit
      messageRecord(2, { destAddr: 'Ωmega' }),
      messageRecord(3, { dataCoding: 8, shortMessage: encodeUtf16be('Привет') }),
      messageRecord(4, { esmClass: EsmClass.UDHI, shortMessage: Buffer.from([5, 0, 3, 1, 2, 1, 0x41]) }),
      messageRecord(5, { state: 'DELIVERED', err: 0x10000 }),
    ];
    for (const rec of cases)
      expect({ id: rec.id, bytes: receiptBytes(rec, style, true) }).toEqual({ id: rec.id, bytes: null });
    // every one still has its receipt: through receiptPdu and the encoder (which refuses the long address, naming it)
    expect(() => encodeWithHeader('deliver_sm', receiptPdu(cases[0], style), 0, 0)).toThrow(/destination_addr/);
    expect(encodeWithHeader('deliver_sm', receiptPdu(cases[2], style), 0, 0).length).toBeGreaterThan(16);
  });

  it("writes each receipt's own addresses, TON and NPI, also when only these change from one receipt to the next", () => {
    const style = styles[0];
    const recs: MessageRecord[] = [];
    for (const [sourceAddr, destAddr] of [
      ['LOADTEST', '4790000001'],
      ['LOADTEST', '4790000002'],
      ['LOADTES', '4790000002'],
    ])
      for (const [sourceTon, sourceNpi, destTon, destNpi] of [
        [5, 0, 1, 1],
        [5, 0, 1, 1],
        [1, 0, 1, 1],
        [1, 1, 1, 1],
        [1, 1, 2, 1],
        [1, 1, 2, 9],
        [1, 1, 2, 9],
      ])
        recs.push(
          messageRecord(recs.length + 1, {
            sourceTon,
            sourceNpi,
            destTon,
            destNpi,
            sourceAddr,
            destAddr,
            state: 'DELIVERED',
            text: '',
            doneAt: t0,
          }),
        );
    // then one address alone changes
    const last = recs[recs.length - 1]!;
    recs.push(messageRecord(100, { ...last, id: 100, sourceAddr: 'LOADTEST' }));
    recs.push(messageRecord(101, { ...last, id: 101, sourceAddr: 'LOADTEST', destAddr: '4790000001' }));
    for (const rec of recs) {
      const want = encodeWithHeader('deliver_sm', receiptPdu(rec, style), 0, 0).toString('hex');
      expect({ id: rec.id, hex: receiptBytes(rec, style, true)?.toString('hex') }).toEqual({ id: rec.id, hex: want });
    }
  });

  it('covers every final state a receipt reports', () => {
    for (const state of STATE_NAMES) {
      const rec = messageRecord(9, { state, err: 1, text: '' });
      const got = receiptBytes(rec, styles[0], true);
      expect(got?.toString('hex')).toBe(
        encodeWithHeader('deliver_sm', receiptPdu(rec, styles[0]), 0, 0).toString('hex'),
      );
    }
  });
});
