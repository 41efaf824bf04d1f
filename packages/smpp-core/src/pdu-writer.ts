// Encoding helpers called by the generated encoders (pdu-codec.ts): size checks that throw SmppEncodeError naming
// the field and value, and writers for the composite fields.
import { Buffer } from 'node:buffer';
import { SmppEncodeError } from './errors.js';
import { SMPP_TIME_RE } from './time.js';
import { checkLatin1, tlvsSize, writeTlvs } from './tlv-codec.js';

function encErr(field: string, message: string): SmppEncodeError {
  return new SmppEncodeError(field, `${field} ${message}`);
}
/** A string value for an error message, cut at 40 characters. */
function showString(v: string): string {
  return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
}
export function show(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

export const H = {
  EMPTY: Buffer.alloc(0),
  tlvsSize,
  writeTlvs,
  badInt(v: unknown, field: string, max: number): never {
    throw encErr(field, `is ${show(v)}, must be an integer 0..${max}`);
  },
  cstrSize(v: unknown, max: number, field: string): number {
    if (typeof v !== 'string') throw encErr(field, `is ${show(v)}, must be a string`);
    if (v.length >= max) throw encErr(field, `is ${v.length} octets, max ${max - 1}: ${showString(v)}`);
    return v.length + 1; // the characters are checked by wstr() as they are written
  },
  timeSize(v: unknown, field: string, absoluteOnly: boolean): number {
    if (v === '') return 1;
    if (typeof v !== 'string' || !SMPP_TIME_RE.test(v)) {
      throw encErr(field, `is ${show(v)}, must be '' or an SMPP time of 16 characters (YYMMDDhhmmsstnnp)`);
    }
    if (absoluteOnly && v.endsWith('R')) throw encErr(field, `is ${show(v)}, must be an absolute time (not relative)`);
    return 17;
  },
  smSize(v: unknown, tlvs: { message_payload?: unknown } | undefined): number {
    if (!(v instanceof Uint8Array)) throw encErr('short_message', `is ${show(v)}, must be a Buffer`);
    if (v.length > 255) throw encErr('short_message', `is ${v.length} octets, max 255 (use the message_payload TLV)`);
    if (v.length > 0 && tlvs != null && tlvs.message_payload !== undefined) {
      throw encErr('short_message', 'must be empty when the message_payload TLV is present');
    }
    return 1 + v.length;
  },
  destsSize(v: unknown): number {
    if (!Array.isArray(v) || v.length < 1 || v.length > 255) {
      throw encErr(
        'dest_address',
        `must be an array of 1..255 destinations, got ${Array.isArray(v) ? v.length : show(v)}`,
      );
    }
    let size = 1;
    for (let i = 0; i < v.length; i++) {
      const d = v[i];
      const f = `dest_address[${i}]`;
      if (d?.dest_flag === 1) {
        if (!isU8(d.dest_addr_ton)) H.badInt(d.dest_addr_ton, `${f}.dest_addr_ton`, 255);
        if (!isU8(d.dest_addr_npi)) H.badInt(d.dest_addr_npi, `${f}.dest_addr_npi`, 255);
        size += 3 + H.cstrSize(d.destination_addr, 21, `${f}.destination_addr`);
      } else if (d?.dest_flag === 2) {
        size += 1 + H.cstrSize(d.dl_name, 21, `${f}.dl_name`);
      } else {
        throw encErr(`${f}.dest_flag`, `is ${show(d?.dest_flag)}, must be 1 (SME address) or 2 (distribution list)`);
      }
    }
    return size;
  },
  unsuccessSize(v: unknown): number {
    if (!Array.isArray(v) || v.length > 255) throw encErr('unsuccess_sme', `must be an array of at most 255 entries`);
    let size = 1;
    for (let i = 0; i < v.length; i++) {
      const d = v[i];
      const f = `unsuccess_sme[${i}]`;
      if (!isU8(d?.dest_addr_ton)) H.badInt(d?.dest_addr_ton, `${f}.dest_addr_ton`, 255);
      if (!isU8(d.dest_addr_npi)) H.badInt(d.dest_addr_npi, `${f}.dest_addr_npi`, 255);
      if (!isU32(d.error_status_code)) H.badInt(d.error_status_code, `${f}.error_status_code`, 0xffffffff);
      size += 6 + H.cstrSize(d.destination_addr, 21, `${f}.destination_addr`);
    }
    return size;
  },
  /** Writes a C-string; only octets 0x01..0xFF may be written (a NUL inside would end the field early). */
  wstr(b: Buffer, o: number, v: string, field: string): number {
    const n = v.length;
    for (let i = 0; i < n; i++) {
      const c = v.charCodeAt(i);
      if (c === 0 || c > 0xff) checkLatin1(v, field); // throws, naming the character
      b[o + i] = c;
    }
    b[o + n] = 0;
    return o + n + 1;
  },
  wdests(b: Buffer, o: number, v: any[]): number {
    b[o++] = v.length;
    for (const d of v) {
      b[o++] = d.dest_flag;
      if (d.dest_flag === 1) {
        b[o++] = d.dest_addr_ton;
        b[o++] = d.dest_addr_npi;
        o = H.wstr(b, o, d.destination_addr, 'dest_address.destination_addr');
      } else {
        o = H.wstr(b, o, d.dl_name, 'dest_address.dl_name');
      }
    }
    return o;
  },
  wunsuccess(b: Buffer, o: number, v: any[]): number {
    b[o++] = v.length;
    for (const d of v) {
      b[o++] = d.dest_addr_ton;
      b[o++] = d.dest_addr_npi;
      o = H.wstr(b, o, d.destination_addr, 'unsuccess_sme.destination_addr');
      o = b.writeUInt32BE(d.error_status_code, o);
    }
    return o;
  },
  missingTlv(name: string): never {
    throw encErr(`tlvs.${name}`, 'is mandatory in this PDU');
  },
  sizeMismatch(name: string, wrote: number, size: number): never {
    throw new Error(`internal: ${name} wrote ${wrote} octets, computed ${size}`);
  },
};

function isU8(v: unknown): boolean {
  return typeof v === 'number' && (v & 0xff) === v;
}
function isU32(v: unknown): boolean {
  return typeof v === 'number' && v >>> 0 === v;
}
