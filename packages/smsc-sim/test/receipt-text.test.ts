// The receipt text's parts read on the short path (delivery/receipts.ts) say what the long one says: the excerpt
// read straight from the octets is the decoded text's start, and the dates kept per minute / second are those a
// Date formats, for every mix of alphabet, UDH and octets tried here.

import { EsmClass, formatReceipt } from '@smppkit/core';
import { encodeText, encodeUtf16be } from '@smppkit/encoding';
import { describe, expect, it } from 'vitest';
import { receiptDate, receiptExcerpt } from '../src/delivery/receipts.js';
import { messageText } from '../src/util/user-data.js';
import { messageRecord } from './records.js';

const GSM_AS_ASCII = /^[ !"#%&'()*+,\-./0-9:;<=>?A-Za-z]*$/;

describe('receipt excerpt', () => {
  it('is the first 20 characters of the decoded text, and says whether they are all GSM-as-ASCII', () => {
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
    const udh = Buffer.from([0x05, 0x00, 0x03, 0x01, 0x02, 0x01]);
    let n = 0;
    for (const { dataCoding, sm } of octets) {
      for (const withUdh of [false, true]) {
        const rec = messageRecord(++n, {
          dataCoding,
          shortMessage: withUdh ? Buffer.concat([udh, sm]) : sm,
          esmClass: withUdh ? EsmClass.UDHI : 0,
          text: '',
        });
        const want = messageText(rec).slice(0, 20);
        const got = receiptExcerpt(rec);
        expect({ dataCoding, sm: [...sm], withUdh, ...got }).toEqual({
          dataCoding,
          sm: [...sm],
          withUdh,
          text: want,
          asAscii: GSM_AS_ASCII.test(want),
        });
      }
    }
    // a part whose text was decoded on the way in: that text
    const part = messageRecord(++n, { text: 'décodé déjà, plus de vingt caractères' });
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
