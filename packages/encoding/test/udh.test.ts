import { describe, expect, it } from 'vitest';
import { buildUdh, EncodingError, parseUdh, udhLength } from '../src/index.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('UDH', () => {
  it('builds and parses 8-bit and 16-bit concatenation', () => {
    const u8 = buildUdh([{ type: 'concat', referenceBits: 8, reference: 0x42, total: 3, sequence: 2 }]);
    expect(hex(u8)).toBe('050003420302');
    expect(parseUdh(Buffer.concat([u8, Buffer.from('hi')])).concat).toEqual({
      type: 'concat',
      referenceBits: 8,
      reference: 0x42,
      total: 3,
      sequence: 2,
    });
    const u16 = buildUdh([{ type: 'concat', referenceBits: 16, reference: 0x1234, total: 2, sequence: 1 }]);
    expect(hex(u16)).toBe('0608041234' + '0201');
    const p = parseUdh(u16);
    expect(p.length).toBe(7);
    expect(p.concat).toMatchObject({ referenceBits: 16, reference: 0x1234, total: 2, sequence: 1 });
  });

  it('builds and parses port addressing and national language shifts', () => {
    const u = buildUdh([
      { type: 'ports', bits: 16, destination: 2948, origin: 9200 },
      { type: 'national-locking-shift', language: 1 },
      { type: 'national-single-shift', language: 1 },
    ]);
    expect(hex(u)).toBe('0c' + '05040b8423f0' + '250101' + '240101');
    const p = parseUdh(u);
    expect(p.ports).toEqual({ type: 'ports', bits: 16, destination: 2948, origin: 9200 });
    expect(p.nationalLanguage).toEqual({ locking: 1, single: 1 });
    expect(hex(buildUdh([{ type: 'ports', bits: 8, destination: 5, origin: 6 }]))).toBe('0404020506');
    expect(udhLength(p.elements)).toBe(u.length);
  });

  it('keeps unknown elements and a known IEI with the wrong length, byte for byte', () => {
    const raw = Buffer.from('0b' + '0a03010203' + '0002aabb' + '7000', 'hex');
    const p = parseUdh(raw);
    expect(p.elements).toEqual([
      { type: 'unknown', iei: 0x0a, data: Buffer.from('010203', 'hex') },
      { type: 'unknown', iei: 0x00, data: Buffer.from('aabb', 'hex') },
      { type: 'unknown', iei: 0x70, data: Buffer.alloc(0) },
    ]);
    expect(p.concat).toBeUndefined();
    expect(hex(buildUdh(p.elements))).toBe(hex(raw));
  });

  it('rejects a UDH that runs past the data, naming what is wrong', () => {
    expect(() => parseUdh(Buffer.from('05000301', 'hex'))).toThrow(/UDHL is 5 but only 3 octets follow/);
    expect(() => parseUdh(Buffer.from('0300050102', 'hex'))).toThrow(/IEDL 5, past the end/);
    expect(() => parseUdh(Buffer.alloc(0))).toThrow(EncodingError);
  });

  it('refuses to build out-of-range values', () => {
    expect(() => buildUdh([{ type: 'concat', referenceBits: 8, reference: 256, total: 2, sequence: 1 }])).toThrow(
      /8-bit reference is 256/,
    );
    expect(() => buildUdh([{ type: 'concat', referenceBits: 8, reference: 1, total: 2, sequence: 3 }])).toThrow(
      /sequence is 3/,
    );
    expect(() => buildUdh([{ type: 'concat', referenceBits: 16, reference: 1, total: 0, sequence: 1 }])).toThrow(
      /total is 0/,
    );
  });
});
