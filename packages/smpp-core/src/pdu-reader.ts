// Decoding primitives: a reader re-pointed at each frame, reading fields within bounds and throwing
// SmppDecodeError with the status a peer should get. The generated decoders (pdu-codec.ts) call it.
import { Buffer } from 'node:buffer';
import { viewOf } from './buffer-view.js';
import { commandById } from './commands.js';
import { SmppDecodeError } from './errors.js';
import { CommandStatus } from './status.js';
import { SMPP_TIME_RE } from './time.js';
import type { TlvReader } from './tlv-reader.js';
import { LENIENT_CSTRING_MAX, latin1, makeTlvReader, view } from './tlv-reader.js';
import type { UnknownTlv } from './tlv-table.js';
import { tlvByTag } from './tlv-table.js';

/**
 * How PDUs from a peer are read. 'strict': a C-string without its NUL within the spec maximum is refused
 * (SmppDecodeError FIELD_TOO_LONG with the field's status). 'lenient': it is accepted as received, up to
 * LENIENT_CSTRING_MAX octets and never past command_length, and reported (a LeniencyWarning). Time fields keep
 * their format either way; framing and every other rule are the same in both.
 */
export type Strictness = 'strict' | 'lenient';

/** A field accepted by lenient decoding though longer than the spec allows. */
export interface LeniencyWarning {
  readonly command: string;
  /** The field's name (`service_type`, `dest_address[0].destination_addr`, `tlvs.receipted_message_id`). */
  readonly field: string;
  /** Octets received, NUL included when there was one. */
  readonly length: number;
  /** The spec maximum, NUL included. */
  readonly max: number;
}

/** What the decoder needs of a TLV tag: the name in this PDU, whether it repeats, and its reader. */
export interface TlvEntry {
  readonly name: string;
  readonly repeatable: boolean;
  readonly read: TlvReader;
}
/** Tag-indexed (0..0xFFFF) TLV entries; `rename` gives a tag another name in one PDU (0x0606 in broadcast_sm_resp). */
export function tlvEntries(rename: Readonly<Record<number, string>> = {}): (TlvEntry | undefined)[] {
  const table: (TlvEntry | undefined)[] = new Array<TlvEntry | undefined>(0x10000).fill(undefined);
  for (const [tag, def] of tlvByTag) {
    table[tag] = { name: rename[tag] ?? def.name, repeatable: def.repeatable === true, read: makeTlvReader(def) };
  }
  return table;
}

/** Known TLV instances decoded so far (a repeatable TLV counts once per instance). */
function knownCount(tlvs: Record<string, unknown> | undefined): number {
  let n = 0;
  if (tlvs !== undefined) for (const k in tlvs) n += Array.isArray(tlvs[k]) ? (tlvs[k] as unknown[]).length : 1;
  return n;
}

/** Decoding state, re-pointed at each frame (one instance; decoding is synchronous). */
export class Reader {
  b: Buffer = Buffer.alloc(0);
  o = 0;
  end = 0;
  commandId = 0;
  sequenceNumber = 0;
  tlvs: Record<string, unknown> | undefined = undefined;
  unknown: UnknownTlv[] | undefined = undefined;
  /** Accept C-strings longer than their maximum (see Strictness), each reported to onLenient. */
  lenient = false;
  onLenient: ((w: LeniencyWarning) => void) | undefined = undefined;

  err(code: SmppDecodeError['code'], commandStatus: number, message: string, field?: string): SmppDecodeError {
    const name = commandById.get(this.commandId)?.name;
    return new SmppDecodeError(`${name}: ${message}`, {
      code,
      commandStatus,
      commandId: this.commandId,
      sequenceNumber: this.sequenceNumber,
      field,
    });
  }

  truncated(field: string): SmppDecodeError {
    return this.err('TRUNCATED', CommandStatus.ESME_RINVCMDLEN, `${field} runs past the end of the PDU`, field);
  }

  u8(field: string): number {
    if (this.o >= this.end) throw this.truncated(field);
    return this.b[this.o++];
  }

  u32(field: string): number {
    if (this.o + 4 > this.end) throw this.truncated(field);
    const b = this.b;
    const o = this.o;
    this.o = o + 4;
    return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
  }

  /** A C-string of at most max octets (NUL included). openEnd: the NUL may be missing at the very end of the PDU. */
  cstr(max: number, field: string, status: number, openEnd: boolean): string {
    return this.readCstr(max, field, status, openEnd, this.lenient);
  }

  private readCstr(max: number, field: string, status: number, openEnd: boolean, lenient: boolean): string {
    const b = this.b;
    const start = this.o;
    const end = this.end;
    let lim = start + max;
    if (lim > end) lim = end;
    let e = start;
    while (e < lim && b[e] !== 0) e++;
    if (e === lim) {
      if (lim === start + max) {
        if (lenient && max < LENIENT_CSTRING_MAX) return this.stretchedCstr(max, field, status, openEnd);
        throw this.err('FIELD_TOO_LONG', status, `${field} has no NUL within its maximum of ${max} octets`, field);
      }
      if (!openEnd) throw this.truncated(field);
      this.o = end;
      return e === start ? '' : latin1(b, start, e);
    }
    this.o = e + 1;
    return e === start ? '' : latin1(b, start, e);
  }

  /** Lenient: the C-string at this.o had no NUL within `max`; look on, up to LENIENT_CSTRING_MAX and the PDU's end. */
  private stretchedCstr(max: number, field: string, status: number, openEnd: boolean): string {
    const b = this.b;
    const start = this.o;
    const end = this.end;
    const cap = start + LENIENT_CSTRING_MAX;
    const lim = Math.min(cap, end);
    let e = start + max;
    while (e < lim && b[e] !== 0) e++;
    let length: number;
    if (e < lim) {
      this.o = e + 1;
      length = e + 1 - start;
    } else if (lim === cap) {
      throw this.err(
        'FIELD_TOO_LONG',
        status,
        `${field} has no NUL within ${LENIENT_CSTRING_MAX} octets (spec maximum ${max}, accepted up to ${LENIENT_CSTRING_MAX} when lenient)`,
        field,
      );
    } else if (!openEnd) {
      throw this.truncated(field);
    } else {
      this.o = end;
      length = e - start;
    }
    this.stretched(field, length, max);
    return latin1(b, start, e);
  }

  /** Report a field accepted past its maximum (lenient decoding). */
  stretched(field: string, length: number, max: number): void {
    const command = commandById.get(this.commandId)?.name ?? `0x${this.commandId.toString(16).padStart(8, '0')}`;
    this.onLenient?.({ command, field, length, max });
  }

  time(field: string, status: number, absoluteOnly: boolean): string {
    const s = this.readCstr(17, field, status, false, false); // a time has one form: never stretched
    if (s.length !== 0 && (s.length !== 16 || !SMPP_TIME_RE.test(s))) {
      throw this.err(
        'BAD_FIELD',
        status,
        `${field} ${JSON.stringify(s)} is not an SMPP time (16 characters YYMMDDhhmmsstnnp)`,
        field,
      );
    }
    if (absoluteOnly && s.length === 16 && s.charCodeAt(15) === 0x52 /* R */) {
      throw this.err(
        'BAD_FIELD',
        status,
        `${field} ${JSON.stringify(s)} is a relative time; only an absolute time is allowed`,
        field,
      );
    }
    return s;
  }

  shortMessage(): Buffer {
    const n = this.u8('sm_length');
    if (this.o + n > this.end) {
      throw this.err(
        'TRUNCATED',
        CommandStatus.ESME_RINVMSGLEN,
        `sm_length ${n} runs past the end of the PDU`,
        'short_message',
      );
    }
    const o = this.o;
    this.o = o + n;
    return viewOf(this.b, o, n);
  }

  destAddress(): unknown[] {
    const n = this.u8('number_of_dests');
    if (n === 0)
      throw this.err('BAD_FIELD', CommandStatus.ESME_RINVNUMDESTS, 'number_of_dests is 0', 'number_of_dests');
    const out: unknown[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const flag = this.u8(`dest_address[${i}].dest_flag`);
      if (flag === 1) {
        const ton = this.u8(`dest_address[${i}].dest_addr_ton`);
        const npi = this.u8(`dest_address[${i}].dest_addr_npi`);
        const addr = this.cstr(21, `dest_address[${i}].destination_addr`, CommandStatus.ESME_RINVDSTADR, false);
        out[i] = { dest_flag: 1, dest_addr_ton: ton, dest_addr_npi: npi, destination_addr: addr };
      } else if (flag === 2) {
        out[i] = {
          dest_flag: 2,
          dl_name: this.cstr(21, `dest_address[${i}].dl_name`, CommandStatus.ESME_RINVDLNAME, false),
        };
      } else {
        throw this.err(
          'BAD_FIELD',
          CommandStatus.ESME_RINVDESTFLAG,
          `dest_address[${i}].dest_flag is ${flag}, must be 1 or 2`,
          'dest_flag',
        );
      }
    }
    return out;
  }

  unsuccessSme(): unknown[] {
    if (this.o === this.end) return []; // tolerated: no_unsuccess left out of a resp
    const n = this.u8('no_unsuccess');
    const out: unknown[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const ton = this.u8(`unsuccess_sme[${i}].dest_addr_ton`);
      const npi = this.u8(`unsuccess_sme[${i}].dest_addr_npi`);
      const addr = this.cstr(21, `unsuccess_sme[${i}].destination_addr`, CommandStatus.ESME_RINVDSTADR, false);
      const code = this.u32(`unsuccess_sme[${i}].error_status_code`);
      out[i] = { dest_addr_ton: ton, dest_addr_npi: npi, destination_addr: addr, error_status_code: code };
    }
    return out;
  }

  /** Reads the TLV part into this.tlvs / this.unknown (undefined when there are none). */
  readTlvs(names: readonly (TlvEntry | undefined)[]): void {
    const b = this.b;
    const end = this.end;
    let o = this.o;
    let tlvs: Record<string, unknown> | undefined;
    let unknown: UnknownTlv[] | undefined;
    /** Known TLV instances before each unknown one; only allocated when an unknown TLV is seen. */
    let at: number[] | undefined;
    while (o < end) {
      if (end - o < 4) {
        throw this.err(
          'BAD_TLV_STREAM',
          CommandStatus.ESME_RINVTLVSTREAM,
          `${end - o} stray octet(s) after the last TLV`,
        );
      }
      const tag = (b[o] << 8) | b[o + 1];
      const len = (b[o + 2] << 8) | b[o + 3];
      o += 4;
      if (o + len > end) {
        throw this.err(
          'BAD_TLV_STREAM',
          CommandStatus.ESME_RINVTLVSTREAM,
          `TLV 0x${tag.toString(16).padStart(4, '0')} length ${len} runs past the end of the PDU`,
        );
      }
      const e = names[tag];
      if (e === undefined) {
        (unknown ??= []).push({ tag, value: view(b, o, len) });
        (at ??= []).push(knownCount(tlvs));
      } else {
        const v = e.read(b, o, len, this);
        if (tlvs === undefined) {
          tlvs = {};
          tlvs[e.name] = e.repeatable ? [v] : v;
          o += len;
          continue;
        }
        const prev = tlvs[e.name];
        if (e.repeatable) {
          if (prev === undefined) tlvs[e.name] = [v];
          else (prev as unknown[]).push(v);
        } else if (prev === undefined) {
          tlvs[e.name] = v;
        } else {
          // a second instance of a single-valued TLV: kept raw so that nothing is lost
          (unknown ??= []).push({ tag, value: view(b, o, len) });
          (at ??= []).push(knownCount(tlvs));
        }
      }
      o += len;
    }
    this.o = o;
    this.tlvs = tlvs;
    this.unknown = unknown;
    if (at !== undefined) {
      // an unknown TLV followed by known ones keeps its place (`after`); one after all known TLVs needs none
      const total = knownCount(tlvs);
      for (let i = 0; i < at.length; i++) if (at[i] < total) unknown![i].after = at[i];
    }
  }

  /** Strict: short_message and the message_payload TLV both filled is refused (ESME_RINVMSGLEN); lenient: reported. */
  bothMessages(smLength: number): void {
    if (!this.lenient) {
      throw this.err(
        'BAD_FIELD',
        CommandStatus.ESME_RINVMSGLEN,
        `short_message has ${smLength} octets although the message_payload TLV is present (sm_length must be 0)`,
        'short_message',
      );
    }
    this.stretched('short_message', smLength, 0);
  }

  missingTlvs(mandatory: readonly string[]): void {
    for (const name of mandatory) {
      if (this.tlvs === undefined || this.tlvs[name] === undefined) {
        throw this.err(
          'MISSING_TLV',
          CommandStatus.ESME_RMISSINGTLV,
          `mandatory TLV ${name} is missing`,
          `tlvs.${name}`,
        );
      }
    }
  }
}
