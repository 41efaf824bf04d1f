import { describe, expect, it } from 'vitest';
import {
  decodePdu,
  encodePdu,
  formatReceipt,
  MessageState,
  type PduOf,
  parseReceipt,
  receiptFromPdu,
  receiptIdCandidates,
  receiptIdsMatch,
} from '../src/index.js';
import { receiptPdu } from './receipt-pdus.js';

const submitted = new Date('2026-11-23T12:00:00Z');
const done = new Date('2026-11-23T12:01:30Z');

describe('formatReceipt', () => {
  it('writes the Appendix B layout with 10-digit dates and a lower-case text key by default', () => {
    expect(
      formatReceipt({
        id: '0A1B2C',
        stat: 'DELIVRD',
        submit_date: submitted,
        done_date: done,
        text: 'Hello world, this is longer than twenty',
      }),
    ).toBe(
      'id:0A1B2C sub:001 dlvrd:001 submit date:2611231200 done date:2611231201 stat:DELIVRD err:000 text:Hello world, this is',
    );
  });
  it('follows the dialect: 12-digit dates, Text:, id converted, local offset', () => {
    const s = formatReceipt(
      { id: 'ff', stat: 'UNDELIV', err: 34, submit_date: submitted, done_date: done, text: 'x' },
      { dateDigits: 12, textKey: 'Text', id: 'decimal', utcOffsetMinutes: 60 },
    );
    expect(s).toBe(
      'id:255 sub:001 dlvrd:000 submit date:261123130000 done date:261123130130 stat:UNDELIV err:034 Text:x',
    );
  });
});

describe('parseReceipt', () => {
  it('reads what formatReceipt writes', () => {
    const r = parseReceipt(
      formatReceipt(
        { id: '12345', stat: 'DELIVRD', submit_date: submitted, done_date: done, text: 'hi' },
        { dateDigits: 12 },
      ),
    );
    expect(r).toMatchObject({
      id: '12345',
      sub: '001',
      dlvrd: '001',
      stat: 'DELIVRD',
      message_state: MessageState.DELIVERED,
      err: '000',
      text: 'hi',
    });
    expect(r!.submit_date!.toISOString()).toBe('2026-11-23T12:00:00.000Z');
    expect(r!.done_date!.toISOString()).toBe('2026-11-23T12:01:30.000Z');
  });
  it('tolerates upper-case keys, 14-digit dates, missing fields and text with colons and spaces', () => {
    const r = parseReceipt('ID:abc123 SUBMIT DATE:20261123120000 Stat:REJECTD Text:Code: 1234 err:5 ok');
    expect(r).toMatchObject({
      id: 'abc123',
      stat: 'REJECTD',
      message_state: MessageState.REJECTED,
      text: 'Code: 1234 err:5 ok',
    });
    expect(r!.sub).toBeUndefined();
    expect(r!.err).toBeUndefined();
    expect(r!.submit_date!.toISOString()).toBe('2026-11-23T12:00:00.000Z');
  });
  it('keeps unknown stat values and unparseable dates as text', () => {
    const r = parseReceipt('id:1 stat:FAILED done date:notadate err:X1');
    expect(r).toMatchObject({ id: '1', stat: 'FAILED', done_date_text: 'notadate', err: 'X1' });
    expect(r!.message_state).toBeUndefined();
    expect(r!.done_date).toBeUndefined();
  });
  it('reads fields separated by commas or semicolons, with spaces around the colon, underscores in date keys', () => {
    const r = parseReceipt(
      'id : 0A1b, sub:001;dlvrd:001, submit_date:2611231200,done_Date : 2611231201; stat:delivrd, err:000, text:x',
    );
    expect(r).toMatchObject({
      id: '0A1b',
      sub: '001',
      dlvrd: '001',
      stat: 'delivrd',
      message_state: MessageState.DELIVERED,
      err: '000',
      text: 'x',
    });
    expect(r!.done_date!.toISOString()).toBe('2026-11-23T12:01:00.000Z');
    // a label must start the text or follow a separator: "xid:" and "substat:" are not labels
    expect(parseReceipt('xid:5 substat:DELIVRD')).toBeNull();
    // the first occurrence of a field wins
    expect(parseReceipt('id:1 id:2 stat:UNDELIV')).toMatchObject({ id: '1', stat: 'UNDELIV' });
  });
  it('returns null for text that is not a receipt', () => {
    expect(parseReceipt('Hello, see you at 10:30')).toBeNull();
  });
});

describe('receiptFromPdu', () => {
  const base = receiptPdu(
    'id:255 sub:001 dlvrd:000 submit date:2611231200 done date:2611231201 stat:UNDELIV err:034 text:',
  );
  it('prefers the TLVs over the text, through a real encode/decode', () => {
    const pdu = decodePdu(
      encodePdu({
        ...base,
        tlvs: { receipted_message_id: 'FF', message_state: 5, network_error_code: { type: 3, code: 34 } },
      }),
    ) as PduOf<'deliver_sm'>;
    const r = receiptFromPdu(pdu)!;
    expect(r).toMatchObject({
      id: 'FF',
      message_state: 5,
      stat: 'UNDELIV',
      err: '034',
      network_error_code: { type: 3, code: 34 },
      intermediate: false,
    });
  });
  it('reads a receipt given only in TLVs, or only in message_payload', () => {
    expect(
      receiptFromPdu({
        ...base,
        short_message: Buffer.alloc(0),
        tlvs: { receipted_message_id: 'x1', message_state: 2 },
      }),
    ).toMatchObject({
      id: 'x1',
      stat: 'DELIVRD',
    });
    expect(
      receiptFromPdu({
        ...base,
        short_message: Buffer.alloc(0),
        tlvs: { message_payload: Buffer.from('id:9 stat:EXPIRED') },
      }),
    ).toMatchObject({
      id: '9',
      message_state: MessageState.EXPIRED,
    });
  });
  it('returns null for an ordinary message', () => {
    expect(receiptFromPdu({ ...base, esm_class: 0 })).toBeNull();
  });
});

describe('receiptIdCandidates', () => {
  it('gives hex, decimal and unpadded forms', () => {
    const c = receiptIdCandidates('00FF');
    expect(c).toEqual(expect.arrayContaining(['00FF', 'FF', 'ff', '255']));
    expect(receiptIdCandidates('255')).toEqual(expect.arrayContaining(['255', 'ff', 'FF']));
    expect(receiptIdsMatch('0000255', 'ff')).toBe(true);
    expect(receiptIdsMatch('abc-1', 'ABC-1')).toBe(true);
    expect(receiptIdsMatch('abc-1', 'abc-2')).toBe(false);
  });
});
