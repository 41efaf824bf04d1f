import { describe, expect, it } from 'vitest';
import { decodeText, encodeText, fillBitsForUdh, packedLength, packSeptets, unpackSeptets } from '../src/index.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('packed GSM 7-bit', () => {
  it('packs the classic example', () => {
    expect(hex(encodeText('hellohello', 0, { gsmPacking: 'packed' }))).toBe('e8329bfd4697d9ec37');
    expect(decodeText(Buffer.from('e8329bfd4697d9ec37', 'hex'), 0, { gsmPacking: 'packed' })).toBe('hellohello');
  });

  it('derives fill bits from the UDH length', () => {
    expect(fillBitsForUdh(0)).toBe(0);
    expect(fillBitsForUdh(6)).toBe(1); // 8-bit concatenation
    expect(fillBitsForUdh(7)).toBe(0); // 16-bit concatenation
    expect(fillBitsForUdh(5)).toBe(2);
    expect(fillBitsForUdh(12)).toBe(2);
    expect(fillBitsForUdh(9)).toBe(5);
    expect(fillBitsForUdh(4)).toBe(3);
  });

  it('puts one zero fill bit after a 6-octet UDH', () => {
    // 'A' = 0x41 shifted left by one bit
    expect(hex(packSeptets(Uint8Array.from([0x41]), 1))).toBe('82');
    expect(hex(encodeText('AB', 0, { gsmPacking: 'packed', udhLength: 6 }))).toBe('8242');
    expect(decodeText(Buffer.from('8242', 'hex'), 0, { gsmPacking: 'packed', udhLength: 6 })).toBe('AB');
  });

  it('fills 7 spare bits with CR, not @, and the decoder strips it', () => {
    const seven = encodeText('1234567', 0, { gsmPacking: 'packed' });
    expect(seven.length).toBe(7);
    expect(seven[6] >> 1).toBe(0x0d);
    expect(decodeText(seven, 0, { gsmPacking: 'packed' })).toBe('1234567');
    expect(packedLength(7)).toBe(7);
    expect(packedLength(8)).toBe(7);
    expect(packedLength(153, 1)).toBe(134);
  });

  it('doubles a wanted final CR that ends on an octet boundary (23.038 §6.1.2.3.1)', () => {
    // 8 septets = 56 bits exactly; the last is a wanted CR, so a second CR follows (1 spare bit after it)
    const bytes = encodeText('1234567\r', 0, { gsmPacking: 'packed' });
    expect(bytes.length).toBe(8);
    expect([...unpackSeptets(bytes)].slice(-2)).toEqual([0x0d, 0x0d]);
    // a receiver shows the CR twice, as the spec accepts; with the septet count the text is exact
    expect(decodeText(bytes, 0, { gsmPacking: 'packed' })).toBe('1234567\r\r');
    expect(decodeText(bytes, 0, { gsmPacking: 'packed', septets: 8 })).toBe('1234567\r');
  });

  it('keeps a real trailing @ when the septet count is given', () => {
    const bytes = encodeText('1234567@', 0, { gsmPacking: 'packed' });
    expect(bytes.length).toBe(7);
    expect(decodeText(bytes, 0, { gsmPacking: 'packed', septets: 8 })).toBe('1234567@');
    expect(decodeText(bytes, 0, { gsmPacking: 'packed' })).toBe('1234567@');
  });

  it('unpacks exactly what it packed for every length and fill', () => {
    for (let fill = 0; fill < 7; fill++) {
      for (let n = 0; n < 20; n++) {
        const septets = Uint8Array.from({ length: n }, (_, i) => (i * 37 + fill) & 0x7f);
        expect([...unpackSeptets(packSeptets(septets, fill), fill, n)]).toEqual([...septets]);
      }
    }
  });
});
