/**
 * ISO-2022-JP (RFC 1468), which iconv-lite does not provide, built on iconv-lite's EUC-JP tables:
 * a JIS X 0208 character is its EUC-JP pair with the high bits cleared. Text is ASCII by default;
 * ESC $ B switches to JIS X 0208 and ESC ( B back. Every encoded piece ends in ASCII mode, so each part of a
 * split message decodes on its own.
 */
import iconv from 'iconv-lite';

const ESC = 0x1b;
const TO_JIS = [ESC, 0x24, 0x42]; // ESC $ B
const TO_ASCII = [ESC, 0x28, 0x42]; // ESC ( B
export const ISO2022JP_SWITCH_COST = 3;

/** The JIS X 0208 row/cell pair (0x21..0x7E each) for a character, or undefined. */
function jisPair(ch: string): [number, number] | undefined {
  const euc = iconv.encode(ch, 'eucjp');
  if (euc.length === 2 && euc[0] >= 0xa1 && euc[0] <= 0xfe && euc[1] >= 0xa1 && euc[1] <= 0xfe) {
    return [euc[0] & 0x7f, euc[1] & 0x7f];
  }
  return undefined;
}

/** 1 for an ASCII character, 2 for a JIS X 0208 character, -1 for one ISO-2022-JP cannot carry. */
export function iso2022jpCharBytes(ch: string): number {
  const c = ch.codePointAt(0)!;
  if (c < 0x80) return c === ESC || c === 0x0e || c === 0x0f ? -1 : 1;
  return jisPair(ch) ? 2 : -1;
}

/**
 * Encodes `text`; for a character it cannot carry calls `onBad(ch, index)`, which returns the replacement
 * text to encode instead (or throws).
 */
export function encodeIso2022jp(text: string, onBad: (ch: string, index: number) => string): Buffer {
  const out: number[] = [];
  let jis = false;
  const put = (ch: string, index: number, depth: number): void => {
    const c = ch.codePointAt(0)!;
    if (c < 0x80 && c !== ESC && c !== 0x0e && c !== 0x0f) {
      if (jis) {
        out.push(...TO_ASCII);
        jis = false;
      }
      out.push(c);
      return;
    }
    const pair = c >= 0x80 ? jisPair(ch) : undefined;
    if (pair) {
      if (!jis) {
        out.push(...TO_JIS);
        jis = true;
      }
      out.push(pair[0], pair[1]);
      return;
    }
    if (depth > 0) throw new Error('replacement is not encodable in ISO-2022-JP');
    for (const r of onBad(ch, index)) put(r, index, depth + 1);
  };
  let i = 0;
  for (const ch of text) {
    put(ch, i, 0);
    i += ch.length;
  }
  if (jis) out.push(...TO_ASCII);
  return Buffer.from(out);
}

export function decodeIso2022jp(bytes: Uint8Array): string {
  let out = '';
  let mode: 'ascii' | 'jis' | 'kana' = 'ascii';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === ESC && i + 2 < bytes.length) {
      const a = bytes[i + 1];
      const c = bytes[i + 2];
      if (a === 0x28 && (c === 0x42 || c === 0x4a)) mode = 'ascii';
      else if (a === 0x24 && (c === 0x42 || c === 0x40)) mode = 'jis';
      else if (a === 0x28 && c === 0x49) mode = 'kana';
      else {
        out += '\uFFFD';
        continue;
      }
      i += 2;
      continue;
    }
    if (mode === 'ascii') out += b < 0x80 ? String.fromCharCode(b) : '\uFFFD';
    else if (mode === 'kana') out += b >= 0x21 && b <= 0x5f ? String.fromCharCode(0xff61 + b - 0x21) : '\uFFFD';
    else if (b === 0x0a || b === 0x0d) out += String.fromCharCode(b);
    else if (i + 1 < bytes.length) {
      out += iconv.decode(Buffer.from([b | 0x80, bytes[++i] | 0x80]), 'eucjp');
    } else out += '\uFFFD';
  }
  return out;
}
