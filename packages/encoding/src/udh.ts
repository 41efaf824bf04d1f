/**
 * The user data header (3GPP TS 23.040 §9.2.3.24): UDHL, then information elements IEI | IEDL | IED.
 * Known elements get typed fields; any other element is kept as its raw bytes and written back unchanged.
 */
import { EncodingError } from './errors.js';

export const IEI = {
  CONCAT_8: 0x00,
  PORTS_8: 0x04,
  PORTS_16: 0x05,
  CONCAT_16: 0x08,
  NATIONAL_SINGLE_SHIFT: 0x24,
  NATIONAL_LOCKING_SHIFT: 0x25,
} as const;

export type InformationElement =
  | { type: 'concat'; referenceBits: 8 | 16; reference: number; total: number; sequence: number }
  | { type: 'ports'; bits: 8 | 16; destination: number; origin: number }
  | { type: 'national-single-shift'; language: number }
  | { type: 'national-locking-shift'; language: number }
  | { type: 'unknown'; iei: number; data: Buffer };

export interface ParsedUdh {
  /** Octets the UDH occupies, UDHL included (the user data starts here). */
  length: number;
  elements: InformationElement[];
  /** Convenience views of the first element of each kind. */
  concat?: Extract<InformationElement, { type: 'concat' }>;
  ports?: Extract<InformationElement, { type: 'ports' }>;
  nationalLanguage?: { single?: number; locking?: number };
}

/** The information element field layouts: IEI → IEDL and how to read/write the typed form. */
const LAYOUT: Record<number, { iedl: number; read(d: Buffer): InformationElement }> = {
  [IEI.CONCAT_8]: {
    iedl: 3,
    read: (d) => ({ type: 'concat', referenceBits: 8, reference: d[0], total: d[1], sequence: d[2] }),
  },
  [IEI.CONCAT_16]: {
    iedl: 4,
    read: (d) => ({ type: 'concat', referenceBits: 16, reference: d.readUInt16BE(0), total: d[2], sequence: d[3] }),
  },
  [IEI.PORTS_8]: { iedl: 2, read: (d) => ({ type: 'ports', bits: 8, destination: d[0], origin: d[1] }) },
  [IEI.PORTS_16]: {
    iedl: 4,
    read: (d) => ({ type: 'ports', bits: 16, destination: d.readUInt16BE(0), origin: d.readUInt16BE(2) }),
  },
  [IEI.NATIONAL_SINGLE_SHIFT]: { iedl: 1, read: (d) => ({ type: 'national-single-shift', language: d[0] }) },
  [IEI.NATIONAL_LOCKING_SHIFT]: { iedl: 1, read: (d) => ({ type: 'national-locking-shift', language: d[0] }) },
};

/**
 * Parses the UDH at the start of `userData` (short_message or message_payload with esm_class UDHI set).
 * Throws EncodingError('INVALID_UDH') when UDHL or an IEDL runs past the data. An element of a known IEI but
 * the wrong IEDL is kept as 'unknown'.
 */
export function parseUdh(userData: Uint8Array): ParsedUdh {
  const buf = Buffer.isBuffer(userData) ? userData : Buffer.from(userData.buffer, userData.byteOffset, userData.length);
  if (buf.length < 1) throw new EncodingError('INVALID_UDH', 'UDHI is set but the user data is empty');
  const udhl = buf[0];
  if (udhl + 1 > buf.length) {
    throw new EncodingError('INVALID_UDH', `UDHL is ${udhl} but only ${buf.length - 1} octets follow it`);
  }
  const result: ParsedUdh = { length: udhl + 1, elements: [] };
  let p = 1;
  const end = udhl + 1;
  while (p < end) {
    if (p + 2 > end)
      throw new EncodingError('INVALID_UDH', `information element at octet ${p} is cut off by UDHL ${udhl}`);
    const iei = buf[p];
    const iedl = buf[p + 1];
    if (p + 2 + iedl > end) {
      throw new EncodingError(
        'INVALID_UDH',
        `IEI 0x${hex(iei)} at octet ${p} has IEDL ${iedl}, past the end of the UDH (UDHL ${udhl})`,
      );
    }
    const data = Buffer.from(buf.subarray(p + 2, p + 2 + iedl));
    const layout = LAYOUT[iei];
    const el: InformationElement = layout && layout.iedl === iedl ? layout.read(data) : { type: 'unknown', iei, data };
    result.elements.push(el);
    if (el.type === 'concat') result.concat ??= el;
    else if (el.type === 'ports') result.ports ??= el;
    else if (el.type === 'national-single-shift') (result.nationalLanguage ??= {}).single ??= el.language;
    else if (el.type === 'national-locking-shift') (result.nationalLanguage ??= {}).locking ??= el.language;
    p += 2 + iedl;
  }
  return result;
}

function hex(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}

function checkRange(name: string, v: number, min: number, max: number): void {
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new EncodingError('INVALID_UDH', `${name} is ${v}, must be an integer ${min}..${max}`);
  }
}

function elementBytes(el: InformationElement): number[] {
  switch (el.type) {
    case 'concat': {
      checkRange('concatenation total', el.total, 1, 255);
      checkRange('concatenation sequence', el.sequence, 1, el.total);
      if (el.referenceBits === 16) {
        checkRange('16-bit reference', el.reference, 0, 0xffff);
        return [IEI.CONCAT_16, 4, el.reference >> 8, el.reference & 0xff, el.total, el.sequence];
      }
      checkRange('8-bit reference', el.reference, 0, 0xff);
      return [IEI.CONCAT_8, 3, el.reference, el.total, el.sequence];
    }
    case 'ports':
      if (el.bits === 16) {
        checkRange('destination port', el.destination, 0, 0xffff);
        checkRange('origin port', el.origin, 0, 0xffff);
        return [IEI.PORTS_16, 4, el.destination >> 8, el.destination & 0xff, el.origin >> 8, el.origin & 0xff];
      }
      checkRange('destination port', el.destination, 0, 0xff);
      checkRange('origin port', el.origin, 0, 0xff);
      return [IEI.PORTS_8, 2, el.destination, el.origin];
    case 'national-single-shift':
      checkRange('national language', el.language, 0, 0xff);
      return [IEI.NATIONAL_SINGLE_SHIFT, 1, el.language];
    case 'national-locking-shift':
      checkRange('national language', el.language, 0, 0xff);
      return [IEI.NATIONAL_LOCKING_SHIFT, 1, el.language];
    case 'unknown':
      checkRange('IEI', el.iei, 0, 0xff);
      checkRange(`IEDL of IEI 0x${hex(el.iei)}`, el.data.length, 0, 0xff);
      return [el.iei, el.data.length, ...el.data];
  }
}

/** Builds UDHL + elements. Throws EncodingError('INVALID_UDH') for a value out of range or a UDH over 139 octets. */
export function buildUdh(elements: readonly InformationElement[]): Buffer {
  const body: number[] = [];
  for (const el of elements) body.push(...elementBytes(el));
  if (body.length > 139)
    throw new EncodingError('INVALID_UDH', `UDH of ${body.length + 1} octets leaves no room in 140`);
  return Buffer.from([body.length, ...body]);
}

/** Octets buildUdh would produce for these elements (UDHL included); 0 for no elements. */
export function udhLength(elements: readonly InformationElement[]): number {
  if (elements.length === 0) return 0;
  let n = 1;
  for (const el of elements) {
    if (el.type === 'unknown') n += 2 + el.data.length;
    else if (el.type === 'concat') n += el.referenceBits === 16 ? 6 : 5;
    else if (el.type === 'ports') n += el.bits === 16 ? 6 : 4;
    else n += 3;
  }
  return n;
}
