import { describe, expect, it } from 'vitest';
import {
  countMessage,
  decodeText,
  EncodingError,
  parseUdh,
  ReferenceAllocator,
  splitMessage,
  unpackSeptets,
} from '../src/index.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('countMessage', () => {
  it('160 GSM characters are one part, 161 are two of 153', () => {
    expect(countMessage('a'.repeat(160))).toMatchObject({
      parts: 1,
      units: 160,
      perPart: 160,
      remaining: 0,
      udhLength: 0,
    });
    expect(countMessage('a'.repeat(161))).toMatchObject({
      parts: 2,
      units: 161,
      perPart: 153,
      remaining: 145,
      udhLength: 6,
    });
    expect(countMessage('a'.repeat(306))).toMatchObject({ parts: 2, remaining: 0 });
    expect(countMessage('a'.repeat(307))).toMatchObject({ parts: 3 });
  });

  it('an extension character costs two septets', () => {
    expect(countMessage('€'.repeat(80))).toMatchObject({ characters: 80, units: 160, parts: 1 });
    expect(countMessage('a' + '€'.repeat(80))).toMatchObject({ characters: 81, units: 161, parts: 2 });
  });

  it('UCS-2: 70 units in one part, 67 per part after; 16-bit references give 152 / 66', () => {
    expect(countMessage('ж'.repeat(70))).toMatchObject({ dataCoding: 8, parts: 1, perPart: 70 });
    expect(countMessage('ж'.repeat(71))).toMatchObject({ parts: 2, perPart: 67 });
    expect(countMessage('ж'.repeat(71), { mode: 'udh16' })).toMatchObject({ parts: 2, perPart: 66, udhLength: 7 });
    expect(countMessage('a'.repeat(161), { mode: 'udh16' })).toMatchObject({ parts: 2, perPart: 152 });
  });

  it('an emoji counts one character, two UTF-16 units', () => {
    expect(countMessage('😀'.repeat(35))).toMatchObject({ characters: 35, units: 70, parts: 1 });
    expect(countMessage('😀'.repeat(36))).toMatchObject({ characters: 36, units: 72, parts: 2 });
  });

  it('8-bit: 140 octets, then 134 / 133', () => {
    expect(countMessage('é'.repeat(140), { dataCoding: 3 })).toMatchObject({ parts: 1, perPart: 140 });
    expect(countMessage('é'.repeat(141), { dataCoding: 3 })).toMatchObject({ parts: 2, perPart: 134 });
    expect(countMessage('é'.repeat(141), { dataCoding: 3, mode: 'udh16' })).toMatchObject({ parts: 2, perPart: 133 });
  });

  it('national language shift elements shrink the parts', () => {
    const c = countMessage('ş'.repeat(200), { dataCoding: 0, nationalLanguage: { single: 1 } });
    // UDH 6 + 3 = 9 octets → 149 septets; each ş costs 2
    expect(c).toMatchObject({ perPart: 149, udhLength: 9, units: 400, parts: 3 });
    const one = countMessage('ş'.repeat(10), { dataCoding: 0, nationalLanguage: { locking: 1 } });
    expect(one).toMatchObject({ perPart: 155, udhLength: 4, units: 10, parts: 1 });
  });

  it('payload mode is one submission, counted on the air as udh8 segments', () => {
    expect(countMessage('a'.repeat(400), { mode: 'payload' })).toMatchObject({ parts: 1, segments: 3, perPart: 153 });
  });
});

describe('splitMessage', () => {
  it('splits 161 GSM characters into 153 + 8 with an 8-bit reference UDH', () => {
    const s = splitMessage('a'.repeat(161), { reference: 0x2a });
    expect(s.udhi).toBe(true);
    expect(s.parts.map((p) => p.units)).toEqual([153, 8]);
    expect(hex(s.parts[0].udh!)).toBe('0500032a0201');
    expect(hex(s.parts[1].shortMessage)).toBe('0500032a0202' + '61'.repeat(8));
    expect(s.parts[0].shortMessage.length).toBe(6 + 153);
  });

  it('160 GSM characters are one part without UDH', () => {
    const s = splitMessage('a'.repeat(160));
    expect(s.parts).toHaveLength(1);
    expect(s.udhi).toBe(false);
    expect(s.reference).toBeUndefined();
    expect(s.parts[0].shortMessage.length).toBe(160);
  });

  it('never ends a part between ESC and its code', () => {
    const text = 'a'.repeat(152) + '€' + 'b'.repeat(10);
    const s = splitMessage(text, { reference: 1 });
    expect(s.parts.map((p) => p.units)).toEqual([152, 12]);
    expect(s.parts[0].userData[151]).toBe(0x61);
    expect(hex(s.parts[1].userData)).toBe('1b65' + '62'.repeat(10));
    expect(s.parts.map((p) => p.text).join('')).toBe(text);
  });

  it('never ends a UCS-2 part inside a surrogate pair', () => {
    const text = 'x'.repeat(66) + '😀' + 'y'.repeat(5);
    const s = splitMessage(text, { reference: 1 });
    expect(s.dataCoding).toBe(8);
    expect(s.parts.map((p) => p.units)).toEqual([66, 7]);
    expect(hex(s.parts[1].userData)).toBe('d83dde00' + '0079'.repeat(5));
  });

  it('packs GSM after the UDH with the right fill bits', () => {
    const text = 'a'.repeat(170);
    const s8 = splitMessage(text, { gsmPacking: 'packed', reference: 5 });
    expect(s8.parts[0].userData.length).toBe(134); // 1 fill bit + 153 × 7 = 1072 bits
    expect(s8.parts[0].shortMessage.length).toBe(140);
    expect(decodeText(s8.parts[0].userData, 0, { gsmPacking: 'packed', udhLength: 6 })).toBe('a'.repeat(153));
    const s16 = splitMessage(text, { gsmPacking: 'packed', mode: 'udh16', reference: 5 });
    expect(s16.parts[0].shortMessage.length).toBe(140); // 7 + 133 (152 × 7 = 1064 bits)
    expect([...unpackSeptets(s16.parts[0].userData, 0, 152)]).toEqual(new Array(152).fill(0x61));
  });

  it('packed: a part ending in a wanted CR on an octet boundary gives up one septet to stay within 140 octets', () => {
    // 160 septets fill 140 octets exactly; a final CR must be doubled (23.038 §6.1.2.3.1), which no longer fits
    const text = 'a'.repeat(159) + '\r';
    expect(countMessage(text).parts).toBe(1);
    expect(countMessage(text, { gsmPacking: 'packed' }).parts).toBe(2);
    const s = splitMessage(text, { gsmPacking: 'packed', reference: 3 });
    expect(s.parts.map((p) => p.units)).toEqual([153, 7]);
    expect(s.parts.every((p) => p.shortMessage.length <= 140)).toBe(true);
    const mid = splitMessage('a'.repeat(152) + '\r' + 'b'.repeat(10), { gsmPacking: 'packed', reference: 3 });
    expect(mid.parts.map((p) => p.units)).toEqual([152, 11]);
  });

  it('SAR mode gives TLV values and no UDH', () => {
    const s = splitMessage('a'.repeat(200), { mode: 'sar', reference: 0x1234 });
    expect(s.udhi).toBe(false);
    expect(s.parts.map((p) => p.sar)).toEqual([
      { sar_msg_ref_num: 0x1234, sar_total_segments: 2, sar_segment_seqnum: 1 },
      { sar_msg_ref_num: 0x1234, sar_total_segments: 2, sar_segment_seqnum: 2 },
    ]);
    expect(s.parts[0].shortMessage.length).toBe(153);
    expect(() => splitMessage('ş', { mode: 'sar', dataCoding: 0, nationalLanguage: { single: 1 } })).toThrow(
      /mode sar/,
    );
  });

  it('payload mode puts everything in one message_payload', () => {
    const s = splitMessage('a'.repeat(400), { mode: 'payload' });
    expect(s.parts).toHaveLength(1);
    expect(s.parts[0].shortMessage.length).toBe(0);
    expect(s.parts[0].messagePayload!.length).toBe(400);
  });

  it('national language elements go in every part, single messages included', () => {
    const s = splitMessage('Işık', { nationalLanguages: [1] });
    expect(s.nationalLanguage).toEqual({ locking: 1 });
    expect(s.udhi).toBe(true);
    expect(hex(s.parts[0].udh!)).toBe('03250101');
    expect(parseUdh(s.parts[0].shortMessage).nationalLanguage).toEqual({ locking: 1 });
  });

  it('ports go in every part', () => {
    const s = splitMessage('a'.repeat(200), { ports: { destination: 2948, origin: 9200 }, reference: 9 });
    expect(hex(s.parts[0].udh!)).toBe('0b0003090201' + '05040b8423f0');
    expect(s.parts[0].units).toBe(146);
  });

  it('rejects a reference or maxParts out of range, naming it', () => {
    expect(() => splitMessage('a'.repeat(200), { reference: 256 })).toThrow(
      /reference is 256, must be an integer 0\.\.255 in mode udh8/,
    );
    expect(() => splitMessage('a'.repeat(200), { mode: 'sar', reference: 65536 })).toThrow(/0\.\.65535 in mode sar/);
    expect(splitMessage('a'.repeat(200), { mode: 'udh16', reference: 65535 }).reference).toBe(65535);
    expect(() => splitMessage('a', { maxParts: 0 })).toThrow(/maxParts is 0/);
    expect(() => splitMessage('a', { maxParts: 256 })).toThrow(/maxParts is 256/);
  });

  it('refuses more than 255 parts', () => {
    expect(() => splitMessage('a'.repeat(153 * 255 + 1))).toThrow(EncodingError);
    expect(() => splitMessage('a'.repeat(153 * 3 + 1), { maxParts: 3 })).toThrow(/needs 4 parts/);
    expect(splitMessage('a'.repeat(153 * 255)).parts).toHaveLength(255);
  });

  it('allocates references per destination, wrapping', () => {
    const refs = new ReferenceAllocator({ random: () => 254 / 256 });
    const a = [0, 1, 2].map(() => splitMessage('a'.repeat(200), { references: refs, destination: '111' }).reference);
    expect(a).toEqual([254, 255, 0]);
    expect(splitMessage('a'.repeat(200), { references: refs, destination: '222' }).reference).toBe(254);
    const r16 = splitMessage('a'.repeat(200), { references: refs, destination: '111', mode: 'udh16' }).reference!;
    expect(r16).toBe(Math.floor((254 / 256) * 65536));
  });

  it('the bounded allocator forgets the least recently used destination', () => {
    let calls = 0;
    const refs = new ReferenceAllocator({ maxDestinations: 2, random: () => (calls++, 0) });
    refs.next('a');
    refs.next('b');
    refs.next('a');
    refs.next('c'); // forgets b
    expect(refs.next('a')).toBe(2);
    expect(refs.next('b')).toBe(0);
    expect(calls).toBe(4);
  });

  it('splits multi-byte character sets between characters, each part decodable on its own', () => {
    const japanese = 'こんにちは、世界。今日はいい天気ですね。abc '.repeat(8);
    for (const dataCoding of [5, 10, 13]) {
      const s = splitMessage(japanese, { dataCoding, reference: 1 });
      expect(s.parts.length).toBeGreaterThan(1);
      expect(countMessage(japanese, { dataCoding }).parts).toBe(s.parts.length);
      for (const p of s.parts) {
        expect(p.shortMessage.length).toBeLessThanOrEqual(140);
        expect(decodeText(p.userData, dataCoding)).toBe(p.text);
      }
      expect(s.parts.map((p) => p.text).join('')).toBe(japanese);
    }
    // ISO-2022-JP: every part starts in ASCII and returns to it
    for (const p of splitMessage(japanese, { dataCoding: 10, reference: 1 }).parts) {
      const escapes: string[] = [];
      for (let i = 0; i < p.userData.length; i++)
        if (p.userData[i] === 0x1b) escapes.push(hex(p.userData.subarray(i, i + 3)));
      expect(escapes.length).toBeGreaterThan(0);
      expect(escapes.at(-1)).toBe('1b2842');
    }
    const korean = '안녕하세요 세계, 오늘 날씨가 좋네요. '.repeat(6);
    const k = splitMessage(korean, { dataCoding: 14, reference: 1 });
    expect(k.parts.every((p) => p.shortMessage.length <= 140)).toBe(true);
    expect(k.parts.map((p) => decodeText(p.userData, 14)).join('')).toBe(korean);
  });
});
