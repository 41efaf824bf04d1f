// The receipt text written on the short path (delivery/receipt-text.ts) is what the long one writes: the excerpt
// read straight from the octets is the decoded text's start, the dates kept per minute / second are those a Date
// formats, and the whole text's octets are formatReceipt's text encoded, for every mix of alphabet, UDH, octets,
// ids, states and dates tried here.

import { EsmClass, formatReceipt } from '@smppkit/core';
import { encodeText, encodeUtf16be } from '@smppkit/encoding';
import { describe, expect, it } from 'vitest';
import type { ReceiptStyle } from '../src/config/types.js';
import {
  type ReceiptFacts,
  receiptDate,
  receiptExcerpt,
  receiptOctets,
  receiptText,
} from '../src/delivery/receipt-text.js';
import type { MessageRecord } from '../src/store/index.js';
import { messageText } from '../src/util/user-data.js';
import { messageRecord } from './records.js';

const GSM_AS_ASCII = /^[ !"#%&'()*+,\-./0-9:;<=>?A-Za-z]*$/;

function samples(): Array<{ dataCoding: number; sm: Buffer }> {
  const texts = [
    'Your verification code is 123456. It expires in 10 minutes.',
    'short',
    'exactly twenty chars',
    'twenty-one characters',
    '',
    '@home $5 _x_ {braces} [sq] ~tilde~ `back` ^hat',
    'Hello @ world and more text beyond twenty',
    'abcdefghijklmnopqrs€ after the euro',
    'abcdefghijklmnopqrst€ euro at 21',
    'Ünïcödé at the start',
    '£5 € Привет 👋',
  ];
  const octets: Array<{ dataCoding: number; sm: Buffer }> = [];
  for (const t of texts) {
    for (const dc of [0, 1, 3]) {
      try {
        octets.push({ dataCoding: dc, sm: encodeText(t, dc, { onUnencodable: 'replace' }) });
      } catch {
        // not in this alphabet
      }
    }
    octets.push({ dataCoding: 8, sm: encodeUtf16be(t) });
    octets.push({ dataCoding: 4, sm: Buffer.from(t, 'latin1') });
    octets.push({ dataCoding: 0xf0, sm: Buffer.from(t, 'latin1') });
  }
  // octets that are no text of the alphabet, and GSM escapes (ESC 0x65 is €) inside and at the edge of 20
  octets.push({ dataCoding: 0, sm: Buffer.from([0x41, 0x1b, 0x65, 0x42, 0x00, 0x02, 0x11, 0x7f, 0x80, 0xff]) });
  octets.push({ dataCoding: 0, sm: Buffer.concat([Buffer.from('a'.repeat(19)), Buffer.from([0x1b, 0x65])]) });
  octets.push({ dataCoding: 0, sm: Buffer.concat([Buffer.from('a'.repeat(20)), Buffer.from([0x1b, 0x65])]) });
  octets.push({ dataCoding: 1, sm: Buffer.from([0x41, 0x80, 0x42]) });
  octets.push({ dataCoding: 0x07, sm: Buffer.from('reserved data coding') });
  return octets;
}

const UDH = Buffer.from([0x05, 0x00, 0x03, 0x01, 0x02, 0x01]);

/** each sample as a single message and as a part with a UDH */
function records(): MessageRecord[] {
  let n = 0;
  return samples().flatMap(({ dataCoding, sm }) =>
    [false, true].map((withUdh) =>
      messageRecord(++n, {
        dataCoding,
        shortMessage: withUdh ? Buffer.concat([UDH, sm]) : sm,
        esmClass: withUdh ? EsmClass.UDHI : 0,
        text: '',
      }),
    ),
  );
}

describe('receipt excerpt', () => {
  it('is the first 20 characters of the decoded text, and says whether they are all GSM-as-ASCII', () => {
    for (const rec of records()) {
      const want = messageText(rec).slice(0, 20);
      const { dataCoding, esmClass } = rec;
      const sm = [...rec.shortMessage];
      expect({ dataCoding, esmClass, sm, ...receiptExcerpt(rec) }).toEqual({
        dataCoding,
        esmClass,
        sm,
        text: want,
        asAscii: GSM_AS_ASCII.test(want),
      });
    }
    // a part whose text was decoded on the way in: that text
    const part = messageRecord(1000, { text: 'décodé déjà, plus de vingt caractères' });
    expect(receiptExcerpt(part)).toEqual({ text: 'décodé déjà, plus de', asAscii: false });
  });
});

describe('receipt dates', () => {
  it('are what formatReceipt writes of the same time, for both digit counts, across minutes, days and years', () => {
    const from = Date.UTC(2025, 11, 31, 23, 58, 30);
    const times: number[] = [];
    for (let t = from; t < from + 4 * 60_000; t += 7_777) times.push(t, t + 1, from + 999, t + 59_999);
    times.push(Date.UTC(2000, 0, 1), Date.UTC(2009, 8, 9, 9, 9, 9), Date.UTC(2099, 11, 31, 23, 59, 59, 999));
    for (const digits of [10, 12] as const) {
      for (const t of times) {
        const want = formatReceipt({ id: '1', stat: 'DELIVRD', submit_date: new Date(t) }, { dateDigits: digits });
        const got = formatReceipt(
          { id: '1', stat: 'DELIVRD', submit_date: receiptDate(t, digits) },
          { dateDigits: digits },
        );
        expect({ t, digits, text: got }).toEqual({ t, digits, text: want });
      }
    }
  });
});

describe('receipt text', () => {
  it("is formatReceipt's text of the decoded excerpt, encoded in the GSM default alphabet", () => {
    const styles: ReceiptStyle[] = [
      { idFormat: 'hex', dateDigits: 10, content: 'text+tlv', lowerCaseKeys: false },
      { idFormat: 'decimal', dateDigits: 12, content: 'text', lowerCaseKeys: true },
    ];
    const t0 = Date.UTC(2026, 11, 1, 14, 59, 58);
    const facts: ReceiptFacts[] = [
      { stat: 'DELIVRD', err: 0, dlvrd: 1, submittedAt: t0, doneAt: t0 + 10 },
      { stat: 'DELIVRD', err: 0, dlvrd: 1, submittedAt: t0, doneAt: t0 + 2500 },
      { stat: 'UNDELIV', err: 5, dlvrd: 0, submittedAt: t0 + 61_000, doneAt: t0 + 122_000 },
      { stat: 'EXPIRED', err: 1234, dlvrd: 0, submittedAt: t0, doneAt: t0 + 86_400_000 },
    ];
    const ids = ['1', 'ffffffffffff', '18446744073709551615', 'éé'];
    const recs = records();
    let i = 0;
    for (const style of styles) {
      const textKey = style.lowerCaseKeys ? 'text' : 'Text';
      for (const f of facts) {
        for (const rec of recs) {
          // the same facts in runs and alone: the text kept between receipts is used and replaced
          const id = ids[i++ % ids.length];
          const want = receiptOctets(
            formatReceipt(
              {
                id,
                sub: 1,
                dlvrd: f.dlvrd,
                submit_date: new Date(f.submittedAt),
                done_date: new Date(f.doneAt),
                stat: f.stat,
                err: f.err,
                text: messageText(rec),
              },
              { dateDigits: style.dateDigits, textKey },
            ),
          );
          const got = receiptText(rec, id, f, style);
          expect({ id, sm: [...rec.shortMessage], text: [...got] }).toEqual({
            id,
            sm: [...rec.shortMessage],
            text: [...want],
          });
        }
      }
    }
  });
});
