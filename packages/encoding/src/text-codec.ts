/**
 * encodeText / decodeText: text ⇄ the bytes of short_message (or message_payload) for a data_coding value.
 */
import iconv from 'iconv-lite';
import { type Alphabet, describeDataCoding, type Ia5Meaning, type SmscDefault } from './data-coding.js';
import { EncodingError, unencodable } from './errors.js';
import { decodeSeptets, encodeSeptets, gsmCodec, type NationalLanguage, type UnencodablePolicy } from './gsm7.js';
import { decodeIso2022jp, encodeIso2022jp } from './iso2022jp.js';
import { fillBitsForUdh, packSeptets, unpackSeptets } from './pack7.js';
import { decodeUtf16be, encodeUtf16be } from './ucs2.js';

export interface TextOptions extends UnencodablePolicy {
  /** What data_coding 0 means on this link (default 'gsm'). */
  smscDefault?: SmscDefault;
  /** What data_coding 1 means on this link: 'ascii' (default, the spec) or 'gsm' (GSM 7-bit, as some MCs use it). */
  ia5?: Ia5Meaning;
  /** GSM 7-bit as one septet per octet ('unpacked', default: what most SMPP links carry) or 'packed'. */
  gsmPacking?: 'unpacked' | 'packed';
  /** National language tables in force (GSM 7-bit only; signalled in the UDH with IEIs 0x25/0x24). */
  nationalLanguage?: NationalLanguage;
  /** Packed GSM only: octets of UDH (UDHL included) before the text, from which the fill bits follow. */
  udhLength?: number;
}

export interface DecodeOptions extends TextOptions {
  /** Packed GSM only: the exact number of septets (TP-UDL minus the UDH), when known. */
  septets?: number;
}

/** iconv-lite names for the single- and multi-byte character sets it provides. */
const ICONV_NAME: Partial<Record<Alphabet, string>> = {
  cyrillic: 'iso-8859-5',
  hebrew: 'iso-8859-8',
  jis: 'shiftjis',
  'extended-kanji': 'eucjp',
  ksc5601: 'euc-kr',
};

/** Bytes per character limit check for the byte-per-character sets we handle without iconv. */
const MAX_CODE: Partial<Record<Alphabet, number>> = { ascii: 0x7f, latin1: 0xff, binary: 0xff };

function replacementOf(policy: UnencodablePolicy): string {
  return policy.replacement ?? '?';
}

/**
 * Text → bytes for `dataCoding`. Binary data codings (2, 4, 0xF4–0xF7, …) take a Buffer, or a string whose
 * characters are all U+0000–U+00FF (one octet each). A character the character set cannot carry throws
 * EncodingError('UNENCODABLE') naming it and its position, unless `onUnencodable: 'replace'`.
 */
export function encodeText(text: string | Uint8Array, dataCoding: number, opts: TextOptions = {}): Buffer {
  const info = describeDataCoding(dataCoding, opts.smscDefault, opts.ia5);
  if (typeof text !== 'string') {
    if (info.alphabet !== 'binary') {
      throw new EncodingError(
        'INVALID_OPTION',
        `a byte array can only be sent with a binary data_coding, not ${info.name}`,
      );
    }
    return Buffer.from(text);
  }
  return encodeAlphabet(text, info.alphabet, info.name, opts, dataCoding);
}

export function encodeAlphabet(
  text: string,
  alphabet: Alphabet,
  name: string,
  opts: TextOptions,
  dataCoding?: number,
): Buffer {
  switch (alphabet) {
    case 'gsm7': {
      const septets = encodeSeptets(text, gsmCodec(opts.nationalLanguage), opts, dataCoding);
      if (opts.gsmPacking === 'packed') return packSeptets(septets, fillBitsForUdh(opts.udhLength ?? 0));
      return Buffer.from(septets.buffer, septets.byteOffset, septets.length);
    }
    case 'ucs2':
      return encodeUtf16be(text);
    case 'ascii':
    case 'latin1':
    case 'binary':
      return encodeBytePerChar(text, MAX_CODE[alphabet]!, name, opts, dataCoding);
    case 'iso-2022-jp':
      return encodeIso2022jp(text, (ch, i) => badChar(ch, i, name, opts, dataCoding));
    default:
      return encodeIconv(text, ICONV_NAME[alphabet]!, name, opts, dataCoding);
  }
}

function badChar(ch: string, index: number, name: string, opts: UnencodablePolicy, dataCoding?: number): string {
  if (opts.onUnencodable === 'replace') return replacementOf(opts);
  throw unencodable(ch, index, name, dataCoding);
}

function encodeBytePerChar(
  text: string,
  max: number,
  name: string,
  opts: UnencodablePolicy,
  dataCoding?: number,
): Buffer {
  let clean = true;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > max) {
      clean = false;
      break;
    }
  }
  if (clean) return Buffer.from(text, 'latin1');
  let fixed = '';
  let i = 0;
  for (const ch of text) {
    fixed += ch.charCodeAt(0) > max ? badChar(ch, i, name, opts, dataCoding) : ch;
    i += ch.length;
  }
  for (let j = 0; j < fixed.length; j++) {
    if (fixed.charCodeAt(j) > max)
      throw new EncodingError('INVALID_OPTION', `replacement '${replacementOf(opts)}' is not encodable in ${name}`);
  }
  return Buffer.from(fixed, 'latin1');
}

/** iconv-lite silently substitutes what it cannot encode; we check by decoding back. */
function encodeIconv(
  text: string,
  charset: string,
  name: string,
  opts: UnencodablePolicy,
  dataCoding?: number,
): Buffer {
  const whole = iconv.encode(text, charset);
  if (iconv.decode(whole, charset) === text) return whole;
  const pieces: Buffer[] = [];
  let i = 0;
  for (const ch of text) {
    const b = iconv.encode(ch, charset);
    if (iconv.decode(b, charset) === ch) pieces.push(b);
    else {
      const r = badChar(ch, i, name, opts, dataCoding);
      const rb = iconv.encode(r, charset);
      if (iconv.decode(rb, charset) !== r)
        throw new EncodingError('INVALID_OPTION', `replacement '${r}' is not encodable in ${name}`);
      pieces.push(rb);
    }
    i += ch.length;
  }
  return Buffer.concat(pieces);
}

/** Whether `ch` (one code point) round-trips through the iconv character set of `alphabet`. */
export function iconvCharBytes(ch: string, alphabet: Alphabet): number {
  const charset = ICONV_NAME[alphabet]!;
  const b = iconv.encode(ch, charset);
  return iconv.decode(b, charset) === ch ? b.length : -1;
}

/**
 * Bytes → text for `dataCoding`. Never throws on content: bytes a character set does not define decode to
 * U+FFFD. Binary data codings decode to a string of U+0000–U+00FF, one character per octet.
 */
export function decodeText(bytes: Uint8Array, dataCoding: number, opts: DecodeOptions = {}): string {
  const info = describeDataCoding(dataCoding, opts.smscDefault, opts.ia5);
  return decodeAlphabet(bytes, info.alphabet, opts);
}

export function decodeAlphabet(bytes: Uint8Array, alphabet: Alphabet, opts: DecodeOptions = {}): string {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  switch (alphabet) {
    case 'gsm7': {
      const septets =
        opts.gsmPacking === 'packed' ? unpackSeptets(buf, fillBitsForUdh(opts.udhLength ?? 0), opts.septets) : buf;
      return decodeSeptets(septets, gsmCodec(opts.nationalLanguage));
    }
    case 'ucs2':
      return decodeUtf16be(buf);
    case 'ascii': {
      let out = '';
      for (let i = 0; i < buf.length; i++) out += buf[i] < 0x80 ? String.fromCharCode(buf[i]) : '\uFFFD';
      return out;
    }
    case 'latin1':
    case 'binary':
      return buf.toString('latin1');
    case 'iso-2022-jp':
      return decodeIso2022jp(buf);
    default:
      return iconv.decode(buf, ICONV_NAME[alphabet]!);
  }
}
