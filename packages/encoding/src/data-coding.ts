/**
 * The data_coding table: which character set each SMPP data_coding value (v3.4/v5.0 §5.2.19, and the
 * 3GPP TS 23.038 coding groups some MCs pass through) stands for. Every other module asks here.
 */
import { EncodingError } from './errors.js';

export type Alphabet =
  | 'gsm7' // GSM 03.38 default alphabet (+ national tables via UDH)
  | 'ascii' // IA5 / ANSI X3.4
  | 'latin1' // ISO-8859-1
  | 'binary' // 8-bit data
  | 'ucs2' // UCS-2 / UTF-16 big-endian
  | 'cyrillic' // ISO-8859-5
  | 'hebrew' // ISO-8859-8
  | 'jis' // JIS X 0208 (sent as Shift_JIS)
  | 'iso-2022-jp' // ISO-2022-JP
  | 'extended-kanji' // JIS X 0212 (sent as EUC-JP)
  | 'ksc5601'; // KS C 5601 (sent as EUC-KR)

/** What data_coding 0 ("SMSC default alphabet" / "MC specific") means on this link. */
export type SmscDefault = 'gsm' | 'latin1' | 'ascii';

/** What data_coding 1 (IA5) means on this link: ASCII (the spec), or GSM 7-bit as some MCs and the npm smpp package use it. */
export type Ia5Meaning = 'ascii' | 'gsm';

export interface DataCodingInfo {
  dataCoding: number;
  alphabet: Alphabet;
  /** Human name, e.g. 'UCS-2 (UTF-16BE)'. */
  name: string;
  /** GSM message class when the value carries one (23.038 groups 00x1 and 1111). */
  messageClass?: 0 | 1 | 2 | 3;
}

/** The plain SMPP values 0x00–0x0E (0x00 resolved through the SmscDefault setting). */
const SMPP_VALUES: Record<number, { alphabet: Alphabet; name: string } | string> = {
  0x01: { alphabet: 'ascii', name: 'IA5/ASCII' },
  0x02: { alphabet: 'binary', name: '8-bit binary' },
  0x03: { alphabet: 'latin1', name: 'Latin-1 (ISO-8859-1)' },
  0x04: { alphabet: 'binary', name: '8-bit binary' },
  0x05: { alphabet: 'jis', name: 'JIS X 0208 (Shift_JIS)' },
  0x06: { alphabet: 'cyrillic', name: 'Cyrillic (ISO-8859-5)' },
  0x07: { alphabet: 'hebrew', name: 'Latin/Hebrew (ISO-8859-8)' },
  0x08: { alphabet: 'ucs2', name: 'UCS-2 (UTF-16BE)' },
  0x09: 'pictogram encoding is not supported',
  0x0a: { alphabet: 'iso-2022-jp', name: 'ISO-2022-JP' },
  0x0b: 'data_coding 0x0B is reserved',
  0x0c: 'data_coding 0x0C is reserved',
  0x0d: { alphabet: 'extended-kanji', name: 'Extended Kanji JIS X 0212 (EUC-JP)' },
  0x0e: { alphabet: 'ksc5601', name: 'KS C 5601 (EUC-KR)' },
};

const SMSC_DEFAULT: Record<SmscDefault, { alphabet: Alphabet; name: string }> = {
  gsm: { alphabet: 'gsm7', name: 'GSM 7-bit (SMSC default)' },
  latin1: { alphabet: 'latin1', name: 'Latin-1 (SMSC default)' },
  ascii: { alphabet: 'ascii', name: 'IA5/ASCII (SMSC default)' },
};

const GROUP_ALPHABET: (Alphabet | undefined)[] = ['gsm7', 'binary', 'ucs2', undefined];
const GROUP_NAME: Record<string, string> = { gsm7: 'GSM 7-bit', binary: '8-bit binary', ucs2: 'UCS-2 (UTF-16BE)' };

function hex(dc: number): string {
  return `0x${dc.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** Which character set a data_coding value stands for; EncodingError UNSUPPORTED_DATA_CODING if none. */
export function describeDataCoding(
  dataCoding: number,
  smscDefault: SmscDefault = 'gsm',
  ia5: Ia5Meaning = 'ascii',
): DataCodingInfo {
  if (!Number.isInteger(dataCoding) || dataCoding < 0 || dataCoding > 0xff) {
    throw new EncodingError('UNSUPPORTED_DATA_CODING', `data_coding ${dataCoding} is not an octet (0..255)`, {
      dataCoding,
    });
  }
  if (dataCoding === 0) {
    const d = SMSC_DEFAULT[smscDefault];
    if (!d) throw new EncodingError('INVALID_OPTION', `smscDefault '${smscDefault}' is not one of gsm, latin1, ascii`);
    return { dataCoding, ...d };
  }
  if (dataCoding === 1 && ia5 === 'gsm') return { dataCoding, alphabet: 'gsm7', name: 'GSM 7-bit (as IA5)' };
  if (ia5 !== 'ascii' && ia5 !== 'gsm')
    throw new EncodingError('INVALID_OPTION', `ia5 '${ia5}' is not one of ascii, gsm`);
  const plain = SMPP_VALUES[dataCoding];
  if (typeof plain === 'object') return { dataCoding, ...plain };
  if (typeof plain === 'string') throw new EncodingError('UNSUPPORTED_DATA_CODING', plain, { dataCoding });

  const group = dataCoding >> 4;
  // 23.038 general data coding (00xx) and automatic deletion (01xx) groups, uncompressed only
  if ((group === 0x1 || group === 0x4 || group === 0x5) && (dataCoding & 0x20) === 0) {
    const alphabet = GROUP_ALPHABET[(dataCoding >> 2) & 3];
    if (alphabet) {
      const info: DataCodingInfo = { dataCoding, alphabet, name: GROUP_NAME[alphabet] };
      if (dataCoding & 0x10) info.messageClass = (dataCoding & 3) as 0 | 1 | 2 | 3;
      if (info.messageClass !== undefined) info.name += ` class ${info.messageClass}`;
      return info;
    }
  }
  // MWI groups: 1100 discard / 1101 store (GSM 7-bit), 1110 store (UCS-2)
  if (group === 0xc || group === 0xd)
    return { dataCoding, alphabet: 'gsm7', name: 'GSM 7-bit (message waiting indication)' };
  if (group === 0xe) return { dataCoding, alphabet: 'ucs2', name: 'UCS-2 (message waiting indication)' };
  if (group === 0xf) {
    const alphabet: Alphabet = dataCoding & 0x04 ? 'binary' : 'gsm7';
    const messageClass = (dataCoding & 3) as 0 | 1 | 2 | 3;
    return { dataCoding, alphabet, name: `${GROUP_NAME[alphabet]} class ${messageClass}`, messageClass };
  }
  throw new EncodingError('UNSUPPORTED_DATA_CODING', `data_coding ${hex(dataCoding)} is reserved or compressed`, {
    dataCoding,
  });
}

/** The data_coding to put in a PDU for an alphabet, given what 0 means on the link. */
export function dataCodingFor(alphabet: Alphabet, smscDefault: SmscDefault = 'gsm'): number {
  if (alphabet === 'gsm7') {
    if (smscDefault !== 'gsm') {
      throw new EncodingError(
        'INVALID_OPTION',
        `GSM 7-bit has no data_coding of its own when data_coding 0 means ${smscDefault} (smscDefault '${smscDefault}')`,
      );
    }
    return 0;
  }
  if (SMSC_DEFAULT[smscDefault].alphabet === alphabet) return 0;
  if (alphabet === 'binary') return 0x04; // "octet unspecified", all technologies (0x02 is TDMA/CDMA only)
  for (const [k, v] of Object.entries(SMPP_VALUES))
    if (typeof v === 'object' && v.alphabet === alphabet) return Number(k);
  throw new EncodingError('INVALID_OPTION', `no data_coding for alphabet '${alphabet}'`);
}
