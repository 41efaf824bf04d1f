import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  countMessage,
  decodeText,
  encodeText,
  parseUdh,
  Reassembler,
  type SplitOptions,
  splitMessage,
  type TextOptions,
} from '../src/index.js';

// Written by fixtures/encoding/generate.py from Python's codecs and tables typed in separately.
function fixture<T>(name: string): { cases: T[] } {
  return JSON.parse(
    readFileSync(fileURLToPath(new URL(`../../../fixtures/encoding/${name}`, import.meta.url)), 'utf8'),
  );
}

interface CharsetCase {
  name: string;
  dataCoding: number;
  text: string;
  hex: string;
  options?: TextOptions;
}
interface SplitCase {
  name: string;
  note: string;
  text: string;
  options: SplitOptions;
  dataCoding: number;
  udhi: boolean;
  parts: { udh: string; shortMessage: string; units: number }[];
}

describe('golden vectors: character sets', () => {
  for (const c of fixture<CharsetCase>('charsets.json').cases) {
    it(`${c.name} (data_coding ${c.dataCoding})`, () => {
      const opts = c.options ?? {};
      expect(encodeText(c.text, c.dataCoding, opts).toString('hex')).toBe(c.hex);
      expect(decodeText(Buffer.from(c.hex, 'hex'), c.dataCoding, opts)).toBe(c.text);
    });
  }
});

describe('golden vectors: split messages', () => {
  for (const c of fixture<SplitCase>('split.json').cases) {
    it(`${c.name}: ${c.note}`, () => {
      const s = splitMessage(c.text, c.options);
      expect(s.dataCoding).toBe(c.dataCoding);
      expect(s.udhi).toBe(c.udhi);
      expect(s.parts.map((p) => p.shortMessage.toString('hex'))).toEqual(c.parts.map((p) => p.shortMessage));
      expect(s.parts.map((p) => p.udh?.toString('hex') ?? '')).toEqual(c.parts.map((p) => p.udh));
      expect(s.parts.map((p) => p.units)).toEqual(c.parts.map((p) => p.units));
      expect(countMessage(c.text, c.options).parts).toBe(c.parts.length);

      // and back: the fixture bytes reassemble to the text
      const r = new Reassembler({ gsmPacking: c.options.gsmPacking ?? 'unpacked' });
      let text: string | undefined;
      for (const p of c.parts) {
        const shortMessage = Buffer.from(p.shortMessage, 'hex');
        if (p.udh) expect(parseUdh(shortMessage).length).toBe(p.udh.length / 2);
        text =
          r.push({ source: 'a', destination: 'b', dataCoding: c.dataCoding, shortMessage, udhi: c.udhi })?.text ?? text;
      }
      expect(text).toBe(c.text);
    });
  }
});
