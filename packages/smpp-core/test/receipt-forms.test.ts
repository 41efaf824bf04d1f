import { describe, expect, it } from 'vitest';
import {
  formatReceipt,
  normalizeReceiptId,
  receiptFromPdu,
  receiptIdFormsNaming,
  receiptIdInForm,
} from '../src/index.js';
import { receiptPdu } from './receipt-pdus.js';

describe('receipt id forms (one definition, used by the client matcher and the receipt text)', () => {
  it('normalises case, surrounding spaces and zero padding', () => {
    expect(normalizeReceiptId(' 000FF ')).toBe('ff');
    expect(normalizeReceiptId('0')).toBe('0');
    expect(normalizeReceiptId('000')).toBe('0');
    expect(normalizeReceiptId('abc-1')).toBe('abc-1');
  });

  it('writes a submit id in each form, or says it cannot', () => {
    expect(receiptIdInForm('0000ABC1', 'same')).toBe('abc1');
    expect(receiptIdInForm('0000ABC1', 'hexToDecimal')).toBe('43969');
    expect(receiptIdInForm('1234567890', 'decimalToHex')).toBe('499602d2');
    expect(receiptIdInForm('a', 'decimalToHex')).toBeUndefined();
    expect(receiptIdInForm('x-1', 'hexToDecimal')).toBeUndefined();
    // beyond 2^53 the conversion is exact (BigInt)
    expect(receiptIdInForm('ffffffffffffffffff', 'hexToDecimal')).toBe(BigInt('0xffffffffffffffffff').toString(10));
    expect(receiptIdInForm('123456789012345678901', 'decimalToHex')).toBe(BigInt('123456789012345678901').toString(16));
  });

  it('names the forms in which a receipt id names a submit id: "10" is hex "a" in decimal, and decimal "16" in hex', () => {
    expect(receiptIdFormsNaming('10', 'a')).toEqual(['hexToDecimal']);
    expect(receiptIdFormsNaming('10', '16')).toEqual(['decimalToHex']);
    expect(receiptIdFormsNaming('10', '10')).toEqual(['same']);
    expect(receiptIdFormsNaming('1', '1')).toEqual(['same', 'hexToDecimal', 'decimalToHex']);
    expect(receiptIdFormsNaming('10', '11')).toEqual([]);
  });

  it('the receipt text writes ids through the same forms', () => {
    expect(formatReceipt({ id: '00ff', stat: 'DELIVRD' }, { id: 'decimal' })).toMatch(/^id:255 /);
    expect(formatReceipt({ id: '255', stat: 'DELIVRD' }, { id: 'hex' })).toMatch(/^id:ff /);
    expect(formatReceipt({ id: 'x-1', stat: 'DELIVRD' }, { id: 'hex' })).toMatch(/^id:x-1 /);
  });
});

describe('receiptFromPdu: message_state TLV against the text', () => {
  const base = receiptPdu(
    'id:7 sub:001 dlvrd:001 submit date:2611231200 done date:2611231201 stat:DELIVRD err:000 text:',
  );
  it('the TLV wins over the text stat when both are present', () => {
    const r = receiptFromPdu({ ...base, tlvs: { receipted_message_id: '7', message_state: 5 } })!; // 5 = UNDELIVERABLE
    expect(r.message_state).toBe(5);
    expect(r.stat).toBe('UNDELIV');
  });
  it('the text stat stays when the TLV holds a state with no stat name', () => {
    const r = receiptFromPdu({ ...base, tlvs: { message_state: 200 } })!;
    expect(r).toMatchObject({ message_state: 200, stat: 'DELIVRD' });
  });
  it('without the TLV the text stat and its state are used', () => {
    expect(receiptFromPdu(base)).toMatchObject({ stat: 'DELIVRD', message_state: 2 });
  });
});
