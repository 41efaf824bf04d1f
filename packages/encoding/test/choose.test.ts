import { describe, expect, it } from 'vitest';
import { chooseEncoding, countMessage } from '../src/index.js';

describe('chooseEncoding', () => {
  it('GSM 7-bit when every character is in the default alphabet or extension table', () => {
    expect(chooseEncoding('Hello {world} €5')).toMatchObject({ dataCoding: 0, alphabet: 'gsm7' });
    expect(chooseEncoding('Ça va').reason).toMatch(/default alphabet/);
    expect(chooseEncoding('ça va').reason).toMatch(/ç is sent as 0x09/);
  });

  it('UCS-2 for anything else, naming the first character that ruled GSM out', () => {
    const c = chooseEncoding('Hi 😀');
    expect(c).toMatchObject({ dataCoding: 8, alphabet: 'ucs2' });
    expect(c.reason).toMatch(/U\+1F600 '😀' at position 3 is not in the GSM 7-bit default alphabet/);
    expect(c.reason).toMatch(/surrogate pairs/);
  });

  it('Turkish text fits GSM with the Turkish tables, when national languages are allowed', () => {
    const text = 'Şişli ılık ığdır çağ';
    expect(chooseEncoding(text).dataCoding).toBe(8);
    const c = chooseEncoding(text, { nationalLanguages: [1, 2, 3] });
    expect(c).toMatchObject({ dataCoding: 0, alphabet: 'gsm7', nationalLanguage: { locking: 1 } });
    expect(c.reason).toMatch(/Turkish/);
    expect(chooseEncoding(text, { nationalLanguages: 'all' }).nationalLanguage?.locking).toBe(1);
    // Spanish has only a single-shift table (2 septets per accented letter)
    expect(chooseEncoding('Canción más rápida', { nationalLanguages: [2] }).nationalLanguage).toEqual({ single: 2 });
    // the Portuguese locking table also holds ó á in one septet each, so among all it is cheaper
    expect(chooseEncoding('Canción más rápida', { nationalLanguages: 'all' }).nationalLanguage).toEqual({ locking: 3 });
  });

  it('Hindi text fits GSM with the Hindi locking shift', () => {
    const c = chooseEncoding('नमस्ते दुनिया, आप कैसे हैं?', { nationalLanguages: 'all' });
    expect(c.nationalLanguage?.locking).toBe(6);
    expect(countMessage('नमस्ते '.repeat(30), { nationalLanguages: [6] })).toMatchObject({
      dataCoding: 0,
      units: 210,
      parts: 2,
    });
  });

  it('picks the national tables that need the fewest parts', () => {
    // 150 Turkish letters: locking shift 1 septet each, single shift 2 each
    const text = 'ş'.repeat(150);
    const c = chooseEncoding(text, { nationalLanguages: [1] });
    expect(c.nationalLanguage).toEqual({ locking: 1 });
    expect(countMessage(text, { nationalLanguages: [1] })).toMatchObject({ parts: 1, units: 150, udhLength: 4 });
  });

  it('takes explicitly named tables as a candidate when the data_coding is left to it', () => {
    expect(chooseEncoding('Işık', { nationalLanguage: { single: 1 } }).nationalLanguage).toEqual({ single: 1 });
    expect(chooseEncoding('plain', { nationalLanguage: { single: 1 } }).nationalLanguage).toBeUndefined();
  });

  it('does not use national tables in SAR mode (no UDH to signal them)', () => {
    expect(chooseEncoding('Işık', { nationalLanguages: 'all', mode: 'sar' }).dataCoding).toBe(8);
  });

  it('Latin-1 only when allowed or when data_coding 0 means Latin-1', () => {
    expect(chooseEncoding('naïve').dataCoding).toBe(8);
    expect(chooseEncoding('naïve', { allowLatin1: true }).dataCoding).toBe(3);
    expect(chooseEncoding('naïve', { smscDefault: 'latin1' })).toMatchObject({ dataCoding: 0, alphabet: 'latin1' });
    expect(chooseEncoding('plain', { smscDefault: 'ascii' })).toMatchObject({ dataCoding: 0, alphabet: 'ascii' });
    expect(chooseEncoding('€', { smscDefault: 'latin1' }).dataCoding).toBe(8);
  });
});
