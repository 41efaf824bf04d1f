// Size, check and write of TLV values and of a PDU's TLV part, driven by the TLV table (tlv-table.ts).
// Reading them is in tlv-reader.ts.
import { SmppEncodeError } from './errors.js';
import type { TlvDef, UnknownTlv } from './tlv-table.js';
import { TLV_TABLE } from './tlv-table.js';

/** name → definition, as a prototype-less object rather than a Map (README, Performance: where the time went). */
const BY_NAME: Record<string, TlvDef | undefined> = Object.assign(
  Object.create(null),
  Object.fromEntries(TLV_TABLE.map((t) => [t.name, t])),
);

function isBytes(v: unknown): v is Uint8Array {
  return v instanceof Uint8Array;
}
function isUint(v: unknown, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;
}
function enc(field: string, message: string): SmppEncodeError {
  return new SmppEncodeError(field, `${field} ${message}`);
}
function show(v: unknown): string {
  if (isBytes(v)) return `<${v.length} octets>`;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

const INT_MAX: Record<number, number> = { 1: 0xff, 2: 0xffff, 4: 0xffffffff };

/** `tlvs.name` or `tlvs.name[i]` for error messages. */
function tlvField(def: TlvDef, at: number): string {
  return at < 0 ? `tlvs.${def.name}` : `tlvs.${def.name}[${at}]`;
}

function isLatin1(v: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 0 || c > 0xff) return false;
  }
  return true;
}

/**
 * Octets of one TLV value (without tag and length); throws SmppEncodeError when the value breaks the TLV's limits.
 * `at` is the value's index in a repeatable TLV's array (-1: not repeatable), used only in error messages.
 */
export function tlvValueSize(def: TlvDef, v: unknown, at = -1): number {
  const t = def.type;
  switch (t.kind) {
    case 'int':
      if (!isUint(v, INT_MAX[t.size]))
        throw enc(tlvField(def, at), `is ${show(v)}, must be an integer 0..${INT_MAX[t.size]}`);
      return t.size;
    case 'uintvar': {
      if (!isUint(v, 2 ** (8 * t.max) - 1))
        throw enc(tlvField(def, at), `is ${show(v)}, must be an integer of at most ${t.max} octets`);
      let n = 1;
      while (n < t.max && v >= 2 ** (8 * n)) n++;
      return Math.max(n, t.min);
    }
    case 'cstring': {
      if (typeof v !== 'string') throw enc(tlvField(def, at), `is ${show(v)}, must be a string`);
      const n = v.length + 1;
      if (n > t.max)
        throw enc(
          tlvField(def, at),
          `is ${n} octets with its NUL, max ${t.max}: ${show(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`,
        );
      if (n < t.min) throw enc(tlvField(def, at), `is ${n} octets with its NUL, min ${t.min}: ${show(v)}`);
      if (!isLatin1(v)) checkLatin1(v, tlvField(def, at));
      return n;
    }
    case 'octets':
      if (!isBytes(v)) throw enc(tlvField(def, at), `is ${show(v)}, must be a Buffer`);
      if (v.length > t.max || v.length < t.min)
        throw enc(tlvField(def, at), `is ${v.length} octets, must be ${t.min}..${t.max}`);
      return v.length;
    case 'network_error_code': {
      const o = v as { type?: unknown; code?: unknown } | null;
      if (!o || !isUint(o.type, 0xff) || !isUint(o.code, 0xffff))
        throw enc(tlvField(def, at), `is ${show(v)}, must be { type: 0..255, code: 0..65535 }`);
      return 3;
    }
    case 'broadcast_content_type': {
      const o = v as { network_type?: unknown; content_type?: unknown } | null;
      if (!o || !isUint(o.network_type, 0xff) || !isUint(o.content_type, 0xffff))
        throw enc(tlvField(def, at), `is ${show(v)}, must be { network_type: 0..255, content_type: 0..65535 }`);
      return 3;
    }
    case 'broadcast_frequency_interval': {
      const o = v as { time_unit?: unknown; number?: unknown } | null;
      if (!o || !isUint(o.time_unit, 0xff) || !isUint(o.number, 0xffff))
        throw enc(tlvField(def, at), `is ${show(v)}, must be { time_unit: 0..255, number: 0..65535 }`);
      return 3;
    }
    case 'broadcast_area': {
      const o = v as { format?: unknown; details?: unknown } | null;
      if (!o || !isUint(o.format, 0xff) || !isBytes(o.details))
        throw enc(tlvField(def, at), `is ${show(v)}, must be { format: 0..255, details: Buffer }`);
      if (o.details.length > 100) throw enc(tlvField(def, at), `details is ${o.details.length} octets, max 100`);
      return 1 + o.details.length;
    }
    case 'flag_or_int1':
      if (v === true) return 0;
      if (!isUint(v, 0xff)) throw enc(tlvField(def, at), `is ${show(v)}, must be true (flag) or 0..255`);
      return 1;
    case 'ms_validity': {
      if (typeof v === 'number') {
        if (!isUint(v, 0xff)) throw enc(tlvField(def, at), `is ${v}, must be 0..255`);
        return 1;
      }
      const o = v as { behaviour?: unknown; time_unit?: unknown; number?: unknown } | null;
      if (!o || !isUint(o.behaviour, 0xff) || !isUint(o.time_unit, 0xff) || !isUint(o.number, 0xffff))
        throw enc(tlvField(def, at), `is ${show(v)}, must be 0..255 or { behaviour, time_unit, number }`);
      return 4;
    }
  }
}

export function checkLatin1(v: string, field: string): void {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 0 || c > 0xff)
      throw enc(
        field,
        `contains ${c === 0 ? 'a NUL' : `character U+${c.toString(16).toUpperCase().padStart(4, '0')}`}, C-strings carry only octets 0x01..0xFF`,
      );
  }
}

/** Writes a value that tlvValueSize() accepted; returns the new offset. */
export function writeTlvValue(b: Buffer, o: number, def: TlvDef, v: any): number {
  const t = def.type;
  switch (t.kind) {
    case 'int':
      if (t.size === 1) b[o] = v;
      else if (t.size === 2) {
        b[o] = v >>> 8;
        b[o + 1] = v;
      } else {
        b[o] = v >>> 24;
        b[o + 1] = v >>> 16;
        b[o + 2] = v >>> 8;
        b[o + 3] = v;
      }
      return o + t.size;
    case 'uintvar': {
      let n = 1;
      while (n < t.max && v >= 2 ** (8 * n)) n++;
      if (n < t.min) n = t.min;
      for (let i = n - 1; i >= 0; i--) {
        b[o + i] = v % 256;
        v = Math.floor(v / 256);
      }
      return o + n;
    }
    case 'cstring': {
      const n = v.length;
      for (let i = 0; i < n; i++) b[o + i] = v.charCodeAt(i);
      b[o + n] = 0;
      return o + n + 1;
    }
    case 'octets':
      b.set(v, o);
      return o + v.length;
    case 'network_error_code':
      b[o] = v.type;
      b[o + 1] = v.code >>> 8;
      b[o + 2] = v.code;
      return o + 3;
    case 'broadcast_content_type':
      b[o] = v.network_type;
      b[o + 1] = v.content_type >>> 8;
      b[o + 2] = v.content_type;
      return o + 3;
    case 'broadcast_frequency_interval':
      b[o] = v.time_unit;
      b[o + 1] = v.number >>> 8;
      b[o + 2] = v.number;
      return o + 3;
    case 'broadcast_area':
      b[o] = v.format;
      b.set(v.details, o + 1);
      return o + 1 + v.details.length;
    case 'flag_or_int1':
      if (v === true) return o;
      b[o] = v;
      return o + 1;
    case 'ms_validity':
      if (typeof v === 'number') {
        b[o] = v;
        return o + 1;
      }
      b[o] = v.behaviour;
      b[o + 1] = v.time_unit;
      b[o + 2] = v.number >>> 8;
      b[o + 3] = v.number;
      return o + 4;
  }
}

/** Size of a PDU's TLV part (tags, lengths and values), checking every value. */
export function tlvsSize(
  tlvs: Record<string, unknown> | undefined,
  unknown: readonly UnknownTlv[] | undefined,
): number {
  let size = 0;
  if (tlvs !== undefined && tlvs !== null) {
    for (const name in tlvs) {
      const v = tlvs[name];
      if (v === undefined) continue;
      const def = BY_NAME[name];
      if (def === undefined)
        throw new SmppEncodeError(`tlvs.${name}`, `tlvs.${name} is not a known TLV (use unknown_tlvs for vendor TLVs)`);
      if (def.repeatable) {
        if (!Array.isArray(v)) throw enc(`tlvs.${name}`, `is repeatable and must be an array`);
        for (let i = 0; i < v.length; i++) size += 4 + tlvValueSize(def, v[i], i);
      } else {
        size += 4 + tlvValueSize(def, v);
      }
    }
  }
  if (unknown !== undefined && unknown !== null) {
    if (!Array.isArray(unknown)) throw enc('unknown_tlvs', 'must be an array of { tag, value }');
    for (let i = 0; i < unknown.length; i++) {
      const u = unknown[i];
      if (!u || !isUint(u.tag, 0xffff)) throw enc(`unknown_tlvs[${i}].tag`, `is ${show(u?.tag)}, must be 0..65535`);
      if (!isBytes(u.value) || u.value.length > 0xffff)
        throw enc(`unknown_tlvs[${i}].value`, `must be a Buffer of at most 65535 octets`);
      if (u.after !== undefined && !isUint(u.after, 0xffff))
        throw enc(`unknown_tlvs[${i}].after`, `is ${show(u.after)}, must be a count of known TLVs (0..65535)`);
      size += 4 + u.value.length;
    }
  }
  return size;
}

/**
 * Writes the TLV part checked by tlvsSize(): known TLVs in key order, then unknown ones in array order; an unknown
 * TLV with `after: n` goes after the first n known TLV instances instead (never before an earlier unknown one).
 */
export function writeTlvs(
  b: Buffer,
  o: number,
  tlvs: Record<string, any> | undefined,
  unknown: readonly UnknownTlv[] | undefined,
): number {
  if (unknown != null && tlvs != null && hasPlaced(unknown)) return writeTlvsPlaced(b, o, tlvs, unknown);
  if (tlvs !== undefined && tlvs !== null) {
    for (const name in tlvs) {
      const v = tlvs[name];
      if (v === undefined) continue;
      const def = BY_NAME[name]!;
      if (def.repeatable) for (let i = 0; i < v.length; i++) o = writeOne(b, o, def, v[i]);
      else o = writeOne(b, o, def, v);
    }
  }
  if (unknown !== undefined && unknown !== null) {
    for (let i = 0; i < unknown.length; i++) o = writeUnknown(b, o, unknown[i]);
  }
  return o;
}

function hasPlaced(unknown: readonly UnknownTlv[]): boolean {
  for (let i = 0; i < unknown.length; i++) if (unknown[i].after !== undefined) return true;
  return false;
}

/** writeTlvs when some unknown TLV has a position (decoded from a PDU that had one before known TLVs). */
function writeTlvsPlaced(b: Buffer, o: number, tlvs: Record<string, any>, unknown: readonly UnknownTlv[]): number {
  let u = 0; // next unknown TLV to write
  let known = 0; // known TLV instances written
  const due = () => {
    while (u < unknown.length) {
      const after = unknown[u].after;
      if (after === undefined || after > known) return;
      o = writeUnknown(b, o, unknown[u++]);
    }
  };
  for (const name in tlvs) {
    const v = tlvs[name];
    if (v === undefined) continue;
    const def = BY_NAME[name]!;
    const n = def.repeatable ? v.length : 1;
    for (let i = 0; i < n; i++) {
      due();
      o = writeOne(b, o, def, def.repeatable ? v[i] : v);
      known++;
    }
  }
  while (u < unknown.length) o = writeUnknown(b, o, unknown[u++]);
  return o;
}

function writeUnknown(b: Buffer, o: number, u: UnknownTlv): number {
  b[o] = u.tag >>> 8;
  b[o + 1] = u.tag;
  b[o + 2] = u.value.length >>> 8;
  b[o + 3] = u.value.length;
  b.set(u.value, o + 4);
  return o + 4 + u.value.length;
}

function writeOne(b: Buffer, o: number, def: TlvDef, v: unknown): number {
  const end = writeTlvValue(b, o + 4, def, v);
  const size = end - o - 4;
  b[o] = def.tag >>> 8;
  b[o + 1] = def.tag;
  b[o + 2] = size >>> 8;
  b[o + 3] = size;
  return end;
}
