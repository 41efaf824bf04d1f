import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { decodeText, describeDataCoding, EncodingError, encodeText } from '../src/index.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('UCS-2 (data_coding 8)', () => {
  it('is big-endian, never Node little-endian ucs2', () => {
    expect(hex(encodeText('Aé€', 8))).toBe('004100e920ac');
    expect(hex(encodeText('Aé€', 8))).not.toBe(Buffer.from('Aé€', 'ucs2').toString('hex'));
    expect(decodeText(Buffer.from('004100e920ac', 'hex'), 8)).toBe('Aé€');
  });

  it('carries emoji as surrogate pairs', () => {
    expect(hex(encodeText('😀', 8))).toBe('d83dde00');
    expect(decodeText(Buffer.from('d83dde00', 'hex'), 8)).toBe('😀');
    const long = '😀'.repeat(40);
    expect(decodeText(encodeText(long, 8), 8)).toBe(long);
  });

  it('decodes an odd trailing octet as U+FFFD', () => {
    expect(decodeText(Buffer.from('004100', 'hex'), 8)).toBe('A\uFFFD');
  });
});

describe('single-byte character sets', () => {
  it('Latin-1 (3)', () => {
    expect(hex(encodeText('café ÿ', 3))).toBe('636166e920ff');
    expect(decodeText(Buffer.from('636166e920ff', 'hex'), 3)).toBe('café ÿ');
    expect(() => encodeText('€', 3)).toThrow(/U\+20AC '€' at position 0 cannot be encoded in Latin-1/);
  });

  it('ASCII (1)', () => {
    expect(hex(encodeText('Hi!', 1))).toBe('486921');
    expect(() => encodeText('Hé', 1)).toThrow(EncodingError);
    expect(decodeText(Buffer.from([0x48, 0xe9]), 1)).toBe('H\uFFFD');
  });

  it('binary (2, 4, 0xF5) carries octets', () => {
    const bytes = Buffer.from([0x00, 0x7f, 0x80, 0xff]);
    expect(encodeText(bytes, 4)).toEqual(bytes);
    expect(encodeText(bytes, 2)).toEqual(bytes);
    expect(encodeText(bytes, 0xf5)).toEqual(bytes);
    expect(hex(encodeText(decodeText(bytes, 4), 4))).toBe('007f80ff');
    expect(() => encodeText(bytes, 8)).toThrow(/binary data_coding/);
  });

  it('Cyrillic ISO-8859-5 (6) and Hebrew ISO-8859-8 (7)', () => {
    expect(hex(encodeText('Привет', 6))).toBe('bfe0d8d2d5e2');
    expect(decodeText(Buffer.from('bfe0d8d2d5e2', 'hex'), 6)).toBe('Привет');
    expect(hex(encodeText('שלום', 7))).toBe('f9ece5ed');
    expect(decodeText(Buffer.from('f9ece5ed', 'hex'), 7)).toBe('שלום');
    // iconv-lite would silently write '?'; we do not
    expect(() => encodeText('При€', 6)).toThrow(/U\+20AC '€' at position 3/);
    expect(hex(encodeText('При€', 6, { onUnencodable: 'replace' }))).toBe('bfe0d83f');
  });
});

describe('Japanese and Korean character sets', () => {
  it('JIS (5) as Shift_JIS', () => {
    expect(hex(encodeText('日本', 5))).toBe('93fa967b');
    expect(decodeText(Buffer.from('93fa967b', 'hex'), 5)).toBe('日本');
  });

  it('ISO-2022-JP (10): escapes in and out of JIS X 0208', () => {
    expect(hex(encodeText('a日本b', 10))).toBe('611b2442467c4b5c1b284262');
    expect(decodeText(Buffer.from('611b2442467c4b5c1b284262', 'hex'), 10)).toBe('a日本b');
    expect(hex(encodeText('日', 10))).toBe('1b2442467c1b2842');
    expect(() => encodeText('한', 10)).toThrow(/U\+D55C '한' at position 0 cannot be encoded in ISO-2022-JP/);
  });

  it('extended Kanji (13) as EUC-JP, including JIS X 0212', () => {
    expect(hex(encodeText('丂', 13))).toBe('8fb0a1');
    expect(decodeText(Buffer.from('8fb0a1c6fc', 'hex'), 13)).toBe('丂日');
  });

  it('KS C 5601 (14) as EUC-KR', () => {
    expect(hex(encodeText('한국어', 14))).toBe('c7d1b1b9beee');
    expect(decodeText(encodeText('한국어', 14), 14)).toBe('한국어');
    expect(() => encodeText('日本語😀', 14)).toThrow(/U\+1F600/);
  });
});

describe('data_coding', () => {
  it('0 means what the link says: GSM by default, or Latin-1, or ASCII', () => {
    expect(hex(encodeText('@é', 0))).toBe('0005');
    expect(hex(encodeText('@é', 0, { smscDefault: 'latin1' }))).toBe('40e9');
    expect(hex(encodeText('@', 0, { smscDefault: 'ascii' }))).toBe('40');
    expect(() => encodeText('é', 0, { smscDefault: 'ascii' })).toThrow(/ASCII/);
  });

  it('1 is ASCII by default, or GSM 7-bit where the link uses it that way', () => {
    expect(() => encodeText('@€', 1)).toThrow(/U\+20AC/);
    expect(hex(encodeText('@€', 1, { ia5: 'gsm' }))).toBe('001b65');
    expect(decodeText(Buffer.from('001b65', 'hex'), 1, { ia5: 'gsm' })).toBe('@€');
    expect(describeDataCoding(1, 'gsm', 'gsm').alphabet).toBe('gsm7');
  });

  it('reads what the npm smpp package sends as data_coding 1 (its GSM coder) with ia5 gsm', () => {
    const smpp = createRequire(import.meta.url)('smpp/lib/defs.js') as {
      consts: { ENCODING: Record<string, number> };
      encodings: { ASCII: { encode(t: string): Buffer } };
    };
    expect(smpp.consts.ENCODING.ASCII).toBe(1);
    const text = 'Price @ 5€ {ok} Ünïcode-free ß';
    const theirs = smpp.encodings.ASCII.encode(text.replace('ï', 'i'));
    expect(decodeText(theirs, 1, { ia5: 'gsm' })).toBe(text.replace('ï', 'i'));
    expect(encodeText(text.replace('ï', 'i'), 1, { ia5: 'gsm' })).toEqual(theirs);
  });

  it('understands the 23.038 coding groups', () => {
    expect(describeDataCoding(0xf0)).toMatchObject({ alphabet: 'gsm7', messageClass: 0 });
    expect(describeDataCoding(0xf6)).toMatchObject({ alphabet: 'binary', messageClass: 2 });
    expect(describeDataCoding(0x18)).toMatchObject({ alphabet: 'ucs2', messageClass: 0 });
    expect(decodeText(encodeText('flash', 0xf0), 0xf0)).toBe('flash');
    expect(decodeText(encodeText('ünïcödé', 0x18), 0x18)).toBe('ünïcödé');
  });

  it('rejects reserved and unsupported values with a clear error', () => {
    for (const dc of [0x09, 0x0b, 0x0c, 0x0f, 0x80, 0x30, 256, -1]) {
      expect(() => encodeText('x', dc)).toThrow(EncodingError);
    }
    expect(() => encodeText('x', 0x0b)).toThrow(/0x0B is reserved/);
  });
});
