// Reading TLV values (the decode side of tlv-codec.ts): one reader per TLV definition, built once from the TLV table
// (tlv-table.ts) so that decoding does not dispatch on the value type per PDU; and the Latin-1 string and frame-view
// helpers the PDU reader shares.
import { viewOf } from './buffer-view.js';
import { SmppDecodeError } from './errors.js';
import { CommandStatus } from './status.js';
import type { TlvDef } from './tlv-table.js';

export interface TlvErrorContext {
  commandId: number;
  sequenceNumber: number;
  /** Lenient decoding: a C-string TLV longer than its maximum is accepted (up to LENIENT_CSTRING_MAX) and reported. */
  lenient: boolean;
  stretched(field: string, length: number, max: number): void;
}

/** Lenient decoding: the longest C-string accepted past its spec maximum (NUL included), never past the PDU. */
export const LENIENT_CSTRING_MAX = 256;

function lenError(def: TlvDef, len: number, expected: string, ctx: TlvErrorContext): SmppDecodeError {
  return new SmppDecodeError(
    `TLV ${def.name} (0x${def.tag.toString(16).padStart(4, '0')}) has length ${len}, expected ${expected}`,
    {
      code: 'BAD_TLV_LENGTH',
      commandStatus: CommandStatus.ESME_RINVTLVLEN,
      commandId: ctx.commandId,
      sequenceNumber: ctx.sequenceNumber,
      field: `tlvs.${def.name}`,
    },
  );
}

export type TlvReader = (b: Buffer, o: number, len: number, ctx: TlvErrorContext) => unknown;

/**
 * The reader of one TLV's values: reads `len` octets at `o` (the caller checked that they are inside the PDU).
 * Built once per TLV definition so that decoding does not dispatch on the type again.
 */
export function makeTlvReader(def: TlvDef): TlvReader {
  const t = def.type;
  switch (t.kind) {
    case 'int': {
      const size = t.size;
      const accept = t.accept ?? [];
      if (accept.length > 0) {
        return (b, o, len, ctx) => {
          if (len === size || accept.includes(len)) return readUint(b, o, len);
          throw lenError(def, len, `${size}`, ctx);
        };
      }
      if (size === 1) {
        return (b, o, len, ctx) => {
          if (len !== 1) throw lenError(def, len, '1', ctx);
          return b[o];
        };
      }
      if (size === 2) {
        return (b, o, len, ctx) => {
          if (len !== 2) throw lenError(def, len, '2', ctx);
          return (b[o] << 8) | b[o + 1];
        };
      }
      return (b, o, len, ctx) => {
        if (len !== 4) throw lenError(def, len, '4', ctx);
        return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
      };
    }
    case 'uintvar':
      return (b, o, len, ctx) => {
        if (len < t.min || len > t.max) throw lenError(def, len, `${t.min}..${t.max}`, ctx);
        return readUint(b, o, len);
      };
    case 'cstring':
      return (b, o, len, ctx) => {
        if (len < t.min || len > t.max) {
          if (!(ctx.lenient && len > t.max && len <= LENIENT_CSTRING_MAX))
            throw lenError(def, len, `${t.min}..${t.max}`, ctx);
          ctx.stretched(`tlvs.${def.name}`, len, t.max);
        }
        const last = o + len - 1;
        let i = o;
        while (i < last && b[i] !== 0) i++;
        if (i !== last || b[last] !== 0) {
          throw new SmppDecodeError(`TLV ${def.name} is not a NUL-terminated string of ${len} octets`, {
            code: 'BAD_TLV_VALUE',
            commandStatus: CommandStatus.ESME_RINVTLVVAL,
            commandId: ctx.commandId,
            sequenceNumber: ctx.sequenceNumber,
            field: `tlvs.${def.name}`,
          });
        }
        return latin1(b, o, last);
      };
    case 'octets':
      return (b, o, len, ctx) => {
        if (len < t.min || len > t.max) throw lenError(def, len, `${t.min}..${t.max}`, ctx);
        return view(b, o, len);
      };
    case 'network_error_code':
      return (b, o, len, ctx) => {
        if (len !== 3) throw lenError(def, len, '3', ctx);
        return { type: b[o], code: (b[o + 1] << 8) | b[o + 2] };
      };
    case 'broadcast_content_type':
      return (b, o, len, ctx) => {
        if (len !== 3) throw lenError(def, len, '3', ctx);
        return { network_type: b[o], content_type: (b[o + 1] << 8) | b[o + 2] };
      };
    case 'broadcast_frequency_interval':
      return (b, o, len, ctx) => {
        if (len !== 3) throw lenError(def, len, '3', ctx);
        return { time_unit: b[o], number: (b[o + 1] << 8) | b[o + 2] };
      };
    case 'broadcast_area':
      return (b, o, len, ctx) => {
        if (len < 1 || len > 101) throw lenError(def, len, '1..101', ctx);
        return { format: b[o], details: view(b, o + 1, len - 1) };
      };
    case 'flag_or_int1':
      return (b, o, len, ctx) => {
        if (len === 0) return true;
        if (len === 1) return b[o];
        throw lenError(def, len, '0 or 1', ctx);
      };
    case 'ms_validity':
      return (b, o, len, ctx) => {
        if (len === 1) return b[o];
        if (len === 4) return { behaviour: b[o], time_unit: b[o + 1], number: (b[o + 2] << 8) | b[o + 3] };
        throw lenError(def, len, '1 or 4', ctx);
      };
  }
}

/** Up to this many octets, strings are built in JS (one String.fromCharCode call) instead of the native
 * latin1Slice: the short addresses and ids that fill PDUs (README, Performance: where the time went). */
const SHORT_STRING = 16;

/** Octets s..e of b as a Latin-1 string. The switch over short lengths is generated once at start-up. */
export const latin1: (b: Buffer, s: number, e: number) => string = new Function(
  'fcc',
  `return function latin1(b, s, e) {
    switch (e - s) {
      ${Array.from({ length: SHORT_STRING + 1 }, (_, n) => `case ${n}: return fcc(${Array.from({ length: n }, (_, i) => `b[s + ${i}]`).join(', ')});`).join('\n      ')}
      default: return b.latin1Slice(s, e);
    }
  };`,
)(String.fromCharCode);

function readUint(b: Buffer, o: number, len: number): number {
  let v = 0;
  for (let i = 0; i < len; i++) v = v * 256 + b[o + i];
  return v;
}

/** len octets at o, as a view into the frame (see decodePdu: frames are never reused). */
export function view(b: Buffer, o: number, len: number): Buffer {
  return viewOf(b, o, len);
}
