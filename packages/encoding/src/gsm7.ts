/**
 * GSM 7-bit text ⇄ septets (one septet per array element), for the default alphabet or any pair of national
 * language locking/single-shift tables. Packing septets into octets is in pack7.ts.
 */

import { EncodingError, unencodable } from './errors.js';
import { ESC, LOCKING_ESC, LOCKING_UNDEFINED, languageTables } from './gsm-tables.js';

/** Which national language tables are in force (the UDH IEIs 0x25 and 0x24). 0/undefined = default. */
export interface NationalLanguage {
  locking?: number;
  single?: number;
}

export interface GsmCodec {
  readonly locking: number;
  readonly single: number;
  readonly name: string;
  /**
   * code unit → septet (0..127), ESC<<8|septet (two septets), or -1; as long as the highest code unit in the
   * tables (U+221E ∞ at most), so a code unit past its end is not encodable.
   */
  readonly encodeTable: Int16Array;
  readonly decodeLocking: readonly string[];
  readonly decodeSingle: readonly (string | undefined)[];
}

const codecs = new Map<number, GsmCodec>();

/** The codec for a locking/single language pair (built once, cached). */
export function gsmCodec(nl?: NationalLanguage): GsmCodec {
  const lockingId = nl?.locking ?? 0;
  const singleId = nl?.single ?? 0;
  const key = (lockingId << 8) | singleId;
  let c = codecs.get(key);
  if (!c) {
    c = buildCodec(lockingId, singleId);
    codecs.set(key, c);
  }
  return c;
}

function buildCodec(lockingId: number, singleId: number): GsmCodec {
  const lockingLang = languageTables(lockingId);
  const singleLang = languageTables(singleId);
  if (!lockingLang?.locking) {
    throw new EncodingError('INVALID_OPTION', `national language ${lockingId} has no locking-shift table`);
  }
  if (!singleLang?.single) {
    throw new EncodingError('INVALID_OPTION', `national language ${singleId} has no single-shift table`);
  }
  const decodeLocking: string[] = [];
  let highest = 0xe7;
  for (const ch of lockingLang.locking)
    if (ch !== LOCKING_ESC && ch !== LOCKING_UNDEFINED) highest = Math.max(highest, ch.charCodeAt(0));
  for (const ch of Object.values(singleLang.single)) highest = Math.max(highest, ch.charCodeAt(0));
  const encodeTable = new Int16Array(highest + 1).fill(-1);
  let septet = 0;
  for (const ch of lockingLang.locking) {
    if (ch === LOCKING_ESC || ch === LOCKING_UNDEFINED) {
      decodeLocking.push('\uFFFD');
    } else {
      decodeLocking.push(ch);
      const cu = ch.charCodeAt(0);
      if (encodeTable[cu] === -1) encodeTable[cu] = septet;
    }
    septet++;
  }
  const decodeSingle: (string | undefined)[] = new Array(128).fill(undefined);
  for (const [k, ch] of Object.entries(singleLang.single)) {
    const code = Number(k);
    decodeSingle[code] = ch;
    const cu = ch.charCodeAt(0);
    if (encodeTable[cu] === -1) encodeTable[cu] = (ESC << 8) | code;
  }
  // 0x09 is Ç in the default alphabet; ç has no place of its own there, so it is sent as 0x09 too
  // (handsets show Ç). Only when the tables in force have no exact ç.
  if (encodeTable[0xe7] === -1 && encodeTable[0xc7] !== -1) encodeTable[0xe7] = encodeTable[0xc7];
  const name =
    lockingId === 0 && singleId === 0
      ? 'GSM 7-bit'
      : `GSM 7-bit (${lockingId ? `${lockingLang.name} locking shift` : 'default alphabet'}, ${
          singleId ? `${singleLang.name} single shift` : 'default extension'
        })`;
  return { locking: lockingId, single: singleId, name, encodeTable, decodeLocking, decodeSingle };
}

export interface UnencodablePolicy {
  /** 'throw' (default): EncodingError naming the character and its position; 'replace': substitute. */
  onUnencodable?: 'throw' | 'replace';
  /** The substitute when onUnencodable is 'replace' (default '?'); must itself be encodable. */
  replacement?: string;
}

/** Text → septets. Extension characters take two septets (ESC + code). */
export function encodeSeptets(
  text: string,
  codec: GsmCodec,
  policy?: UnencodablePolicy,
  dataCoding?: number,
): Uint8Array {
  const table = codec.encodeTable;
  const out = new Uint8Array(text.length * 2);
  let n = 0;
  let replacement: Uint8Array | undefined;
  const size = table.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const v = c < size ? table[c] : -1;
    if (v >= 0) {
      if (v > 0x7f) {
        out[n++] = ESC;
        out[n++] = v & 0x7f;
      } else {
        out[n++] = v;
      }
      continue;
    }
    // not encodable (or a surrogate: nothing outside the BMP is in any GSM table)
    const cp = text.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    if (policy?.onUnencodable !== 'replace') throw unencodable(ch, i, codec.name, dataCoding);
    replacement ??= replacementSeptets(codec, policy.replacement ?? '?');
    // a replacement can be two septets per character; the output was sized for 2 per code unit
    if (n + replacement.length > out.length) return growAndContinue(out, n, text, i, codec, policy, dataCoding);
    out.set(replacement, n);
    n += replacement.length;
    if (cp > 0xffff) i++;
  }
  return out.subarray(0, n);
}

function replacementSeptets(codec: GsmCodec, replacement: string): Uint8Array {
  try {
    return encodeSeptets(replacement, codec, { onUnencodable: 'throw' });
  } catch {
    throw new EncodingError('INVALID_OPTION', `replacement '${replacement}' is not encodable in ${codec.name}`);
  }
}

function growAndContinue(
  done: Uint8Array,
  n: number,
  text: string,
  i: number,
  codec: GsmCodec,
  policy: UnencodablePolicy,
  dc?: number,
): Uint8Array {
  const rest = encodeSeptets(text.slice(i), codec, policy, dc);
  const out = new Uint8Array(n + rest.length);
  out.set(done.subarray(0, n));
  out.set(rest, n);
  return out;
}

/** Index of the first character the codec cannot carry, or -1. */
export function firstUnencodable(text: string, codec: GsmCodec): number {
  const table = codec.encodeTable;
  const size = table.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= size || table[c] < 0) return i;
  }
  return -1;
}

/**
 * Septets → text. ESC + a code the single-shift table lacks shows the locking-table character (23.038
 * §6.2.1.1); ESC ESC (SS2, reserved) shows a space; a trailing lone ESC shows nothing. Septets > 0x7F
 * (not GSM) become U+FFFD.
 */
export function decodeSeptets(septets: Uint8Array, codec: GsmCodec): string {
  const t = unitTablesOf(codec);
  if (t === null) return decodeSeptetsAsStrings(septets, codec);
  const n = septets.length;
  if (units.length < n) {
    units = new Uint16Array(n);
    unitBytes = Buffer.from(units.buffer);
  }
  let k = 0;
  for (let i = 0; i < n; i++) {
    const s = septets[i];
    if (s === ESC) {
      if (i + 1 >= n) break;
      const c = septets[++i];
      units[k++] = c > 0x7f ? 0xfffd : t.single[c] !== 0 ? t.single[c] : c === ESC ? 0x20 : t.locking[c];
    } else {
      units[k++] = s > 0x7f ? 0xfffd : t.locking[s];
    }
  }
  return stringOfUnits(k);
}

/** The same, one string per character: for a codec whose tables hold an entry that is not one UTF-16 unit. */
function decodeSeptetsAsStrings(septets: Uint8Array, codec: GsmCodec): string {
  const locking = codec.decodeLocking;
  const single = codec.decodeSingle;
  let out = '';
  const n = septets.length;
  for (let i = 0; i < n; i++) {
    const s = septets[i];
    if (s === ESC) {
      if (i + 1 >= n) break;
      const c = septets[++i];
      if (c > 0x7f) out += '\uFFFD';
      else out += single[c] ?? (c === ESC ? ' ' : locking[c]);
    } else {
      out += s > 0x7f ? '\uFFFD' : locking[s];
    }
  }
  return out;
}

/** Scratch for decodeSeptets (decoding builds no string per character), and a byte view of it. */
let units = new Uint16Array(256);
let unitBytes = Buffer.from(units.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A codec's decode tables as UTF-16 units (0 in single: no entry); null when an entry is not exactly one unit. */
const unitTables = new WeakMap<GsmCodec, { locking: Uint16Array; single: Uint16Array } | null>();
function unitTablesOf(codec: GsmCodec): { locking: Uint16Array; single: Uint16Array } | null {
  let t = unitTables.get(codec);
  if (t !== undefined) return t;
  const locking = new Uint16Array(128);
  const single = new Uint16Array(128);
  t = { locking, single };
  for (let c = 0; c < 128; c++) {
    const l = codec.decodeLocking[c];
    const x = codec.decodeSingle[c];
    if (l === undefined || l.length !== 1 || (x !== undefined && x.length !== 1)) {
      t = null;
      break;
    }
    locking[c] = l.charCodeAt(0);
    if (x !== undefined) single[c] = x.charCodeAt(0);
  }
  unitTables.set(codec, t);
  return t;
}

/** The first k units of the scratch as a string. */
function stringOfUnits(k: number): string {
  // UTF-16LE bytes: the platform's order on every machine Node runs on but s390x
  if (LITTLE_ENDIAN) return unitBytes.toString('utf16le', 0, k * 2);
  const CHUNK = 8192; // fromCharCode takes its arguments on the stack
  let out = '';
  for (let i = 0; i < k; i += CHUNK)
    out += String.fromCharCode.apply(null, units.subarray(i, Math.min(k, i + CHUNK)) as unknown as number[]);
  return out;
}
