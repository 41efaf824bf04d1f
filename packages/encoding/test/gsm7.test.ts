import { describe, expect, it } from 'vitest';
import {
  decodeSeptets,
  decodeText,
  EncodingError,
  encodeSeptets,
  encodeText,
  gsmCodec,
  languageTables,
  nationalLanguageIds,
} from '../src/index.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('GSM 7-bit default alphabet', () => {
  it('maps the traps of the table to the right septets', () => {
    // 0x00 '@' vs 0x40 '¡', 0x02 '$' vs 0x24 '¤', 0x11 '_', 0x5F '§', 0x60 '¿', LF 0x0A, CR 0x0D
    expect(hex(encodeText('@¡$¤_§¿\n\r', 0))).toBe('0040022411' + '5f60' + '0a0d');
    expect(decodeText(Buffer.from([0x00, 0x40, 0x02, 0x24, 0x11, 0x5f, 0x60]), 0)).toBe('@¡$¤_§¿');
  });

  it('encodes every extension character as ESC + code (two septets)', () => {
    expect(hex(encodeText('\f^{}\\[~]|€', 0))).toBe('1b0a1b141b281b291b2f1b3c1b3d1b3e1b401b65');
    expect(decodeText(Buffer.from('1b0a1b141b281b291b2f1b3c1b3d1b3e1b401b65', 'hex'), 0)).toBe('\f^{}\\[~]|€');
  });

  it('decodes 0x09 as capital Ç and encodes both Ç and ç to 0x09', () => {
    expect(decodeText(Buffer.from([0x09]), 0)).toBe('Ç');
    expect(hex(encodeText('Çç', 0))).toBe('0909');
  });

  it('round-trips the whole default table and extension table', () => {
    const codec = gsmCodec();
    const septets: number[] = [];
    for (let s = 0; s < 128; s++) if (s !== 0x1b) septets.push(s);
    for (const e of [0x0a, 0x14, 0x28, 0x29, 0x2f, 0x3c, 0x3d, 0x3e, 0x40, 0x65]) septets.push(0x1b, e);
    const text = decodeSeptets(Uint8Array.from(septets), codec);
    expect([...encodeSeptets(text, codec)]).toEqual(septets);
  });

  it('decodes long septet runs (beyond any scratch size) and every national table, byte for byte', () => {
    const codec = gsmCodec();
    const unit = Uint8Array.from([0x00, 0x02, 0x1b, 0x65, 0x41, 0x7f, 0x1b, 0x1b, 0x80]);
    const many = new Uint8Array(unit.length * 9000);
    for (let i = 0; i < 9000; i++) many.set(unit, i * unit.length);
    expect(decodeSeptets(many, codec)).toBe('@$€Aà \uFFFD'.repeat(9000));
    // a lone ESC at the end shows nothing
    expect(decodeSeptets(Uint8Array.from([0x41, 0x1b]), codec)).toBe('A');
    for (const lang of nationalLanguageIds()) {
      const c = gsmCodec({ single: lang, locking: languageTables(lang)?.locking ? lang : 0 });
      const all = Uint8Array.from([...Array(128).keys()].filter((s) => s !== 0x1b));
      // the codec's own table, character by character
      expect(decodeSeptets(all, c)).toBe([...all].map((s) => c.decodeLocking[s]).join(''));
      const escaped = Uint8Array.from([...all].flatMap((s) => [0x1b, s]));
      expect(decodeSeptets(escaped, c)).toBe([...all].map((s) => c.decodeSingle[s] ?? c.decodeLocking[s]).join(''));
    }
  });

  it('throws naming the character and its position for what GSM cannot carry', () => {
    const err = (() => {
      try {
        encodeText('price 5`', 0);
      } catch (e) {
        return e as EncodingError;
      }
      throw new Error('no error');
    })();
    expect(err).toBeInstanceOf(EncodingError);
    expect(err.code).toBe('UNENCODABLE');
    expect(err.char).toBe('`');
    expect(err.position).toBe(7);
    expect(err.message).toContain("U+0060 '`' at position 7");
  });

  it('names an emoji as one code point', () => {
    expect(() => encodeText('ok 👍', 0)).toThrow(/U\+1F44D '👍' at position 3/);
  });

  it('replaces only when asked, with the chosen replacement', () => {
    expect(hex(encodeText('a😀b', 0, { onUnencodable: 'replace' }))).toBe('613f62');
    expect(hex(encodeText('a😀b', 0, { onUnencodable: 'replace', replacement: ' ' }))).toBe('612062');
    expect(hex(encodeText('a😀b', 0, { onUnencodable: 'replace', replacement: '€' }))).toBe('611b6562');
    expect(() => encodeText('a😀b', 0, { onUnencodable: 'replace', replacement: '😀' })).toThrow(/replacement/);
  });

  it('decodes an unknown escape as the default-table character, ESC ESC as space', () => {
    expect(decodeText(Buffer.from([0x1b, 0x41, 0x1b, 0x1b, 0x42]), 0)).toBe('A B');
  });
});

describe('national language tables (3GPP TS 23.038 Annex A)', () => {
  it('Turkish locking shift carries ş ğ ı İ Ş Ğ in one septet each', () => {
    const tr = { locking: 1 };
    expect(hex(encodeText('şğıİŞĞç€', 0, { nationalLanguage: tr }))).toBe('1d0c07401c0b6004');
    expect(decodeText(Buffer.from('1d0c07401c0b6004', 'hex'), 0, { nationalLanguage: tr })).toBe('şğıİŞĞç€');
  });

  it('Turkish single shift carries them behind ESC', () => {
    const tr = { single: 1 };
    expect(hex(encodeText('ŞşĞğİıç', 0, { nationalLanguage: tr }))).toBe('1b531b731b471b671b491b691b63');
    expect(decodeText(Buffer.from('1b531b731b471b671b491b691b63', 'hex'), 0, { nationalLanguage: tr })).toBe('ŞşĞğİıç');
    // the default extension characters stay where they were
    expect(hex(encodeText('€{', 0, { nationalLanguage: tr }))).toBe('1b651b28');
  });

  it('Spanish single shift carries the acute vowels and ç exactly', () => {
    const es = { single: 2 };
    expect(hex(encodeText('ÁÍÓÚáíóúç', 0, { nationalLanguage: es }))).toBe('1b411b491b4f1b551b611b691b6f1b751b09');
    expect(decodeText(Buffer.from('1b09', 'hex'), 0, { nationalLanguage: es })).toBe('ç');
    expect(languageTables(2)?.locking).toBeUndefined();
    expect(() => encodeText('a', 0, { nationalLanguage: { locking: 2 } })).toThrow(/no locking-shift table/);
  });

  it('Portuguese locking and single shift', () => {
    const pt = { locking: 3, single: 3 };
    expect(hex(encodeText('ãõçêÁ`', 0, { nationalLanguage: { locking: 3 } }))).toBe('7b7c09040e7d');
    // Ã and â are in both tables: the locking table (one septet) wins; ∞ is only in the locking table
    expect(hex(encodeText('Ã∞â', 0, { nationalLanguage: pt }))).toBe('5b151d');
    expect(decodeText(Buffer.from('1b7f1b5b', 'hex'), 0, { nationalLanguage: { single: 3 } })).toBe('âÃ');
  });

  it('Hindi locking and single shift (A.3.6 / A.2.6)', () => {
    const hi = { locking: 6, single: 6 };
    // न म स ् त े ␠ द ु न ि य ा
    expect(hex(encodeText('नमस्ते दुनिया', 0, { nationalLanguage: hi }))).toBe('2f424c5f2759202b532f514350');
    // Devanagari digits and danda are in the single-shift table; Latin capitals too
    expect(hex(encodeText('०९।A', 0, { nationalLanguage: hi }))).toBe('1b1c1b251b191b41');
    expect(decodeText(Buffer.from('2f424c5f2759202b532f5143501b1c', 'hex'), 0, { nationalLanguage: hi })).toBe(
      'नमस्ते दुनिया०',
    );
    expect(() => encodeText('নমস্কার', 0, { nationalLanguage: hi })).toThrow(/U\+09A8/);
  });

  it('has tables for every language id 1–13 and rejects the others', () => {
    for (let id = 4; id <= 13; id++) {
      const t = languageTables(id)!;
      expect(t.locking).toBeDefined();
      expect(Object.keys(t.single!).length).toBeGreaterThan(50);
      // every table still has LF, CR, space and the digits (Indian tables share these with the default alphabet)
      expect(t.locking![0x0a]).toBe('\n');
      expect(t.locking![0x20]).toBe(' ');
      expect(t.locking!.slice(0x30, 0x3a)).toBe('0123456789');
    }
    expect(languageTables(14)).toBeUndefined();
    expect(() => encodeText('a', 0, { nationalLanguage: { single: 14 } })).toThrow(/national language 14/);
  });

  it('Bengali, Tamil and Urdu text round-trip through their locking tables', () => {
    const cases: [number, string][] = [
      [4, 'আমার সোনার বাংলা'],
      [11, 'வணக்கம் உலகம்'],
      [13, 'سلام دنیا'],
    ];
    for (const [id, text] of cases) {
      const nl = { locking: id, single: id };
      expect(decodeText(encodeText(text, 0, { nationalLanguage: nl }), 0, { nationalLanguage: nl })).toBe(text);
    }
  });
});
