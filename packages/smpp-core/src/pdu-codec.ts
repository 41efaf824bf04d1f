// encodePdu / decodePdu. For each command of the table (commands.ts) one specialised encoder and one decoder
// are generated once at start-up from its field list, so the hot path has no table walk, computes the exact
// size before its single allocation, and every decoded PDU of one kind has the same object shape.
import type { CommandDef, FieldDef, Pdu } from './commands.js';
import { COMMAND_TABLE, commandById } from './commands.js';
import { SmppDecodeError, SmppEncodeError } from './errors.js';
import { CommandStatus } from './status.js';
import type { UnknownTlv } from './tlv-table.js';
import { tlvByTag } from './tlv-table.js';
import type { TlvReader } from './tlv-codec.js';
import { checkLatin1, latin1, makeTlvReader, tlvsSize, view, writeTlvs } from './tlv-codec.js';

export interface EncodeOptions {
  /** Write the body of a response whose command_status is not 0 (default false: such responses are header-only). */
  bodyOnError?: boolean;
}

const HEADER = 16;

const TIME_RE = /^\d{15}[-+R]$/;

// ---------------------------------------------------------------------------------------------- reader

/** Decoding state, re-pointed at each frame (one instance; decoding is synchronous). */
class Reader {
  b: Buffer = Buffer.alloc(0);
  o = 0;
  end = 0;
  commandId = 0;
  sequenceNumber = 0;
  tlvs: Record<string, unknown> | undefined = undefined;
  unknown: UnknownTlv[] | undefined = undefined;

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
    const b = this.b;
    const start = this.o;
    const end = this.end;
    let lim = start + max;
    if (lim > end) lim = end;
    let e = start;
    while (e < lim && b[e] !== 0) e++;
    if (e === lim) {
      if (lim === start + max) {
        throw this.err('FIELD_TOO_LONG', status, `${field} has no NUL within its maximum of ${max} octets`, field);
      }
      if (!openEnd) throw this.truncated(field);
      this.o = end;
      return e === start ? '' : latin1(b, start, e);
    }
    this.o = e + 1;
    return e === start ? '' : latin1(b, start, e);
  }

  time(field: string, status: number): string {
    const s = this.cstr(17, field, status, false);
    if (s.length !== 0 && (s.length !== 16 || !TIME_RE.test(s))) {
      throw this.err('BAD_FIELD', status, `${field} ${JSON.stringify(s)} is not an SMPP time (16 characters YYMMDDhhmmsstnnp)`, field);
    }
    return s;
  }

  shortMessage(): Buffer {
    const n = this.u8('sm_length');
    if (this.o + n > this.end) {
      throw this.err('TRUNCATED', CommandStatus.ESME_RINVMSGLEN, `sm_length ${n} runs past the end of the PDU`, 'short_message');
    }
    const o = this.o;
    this.o = o + n;
    return this.b.subarray(o, o + n);
  }

  destAddress(): unknown[] {
    const n = this.u8('number_of_dests');
    if (n === 0) throw this.err('BAD_FIELD', CommandStatus.ESME_RINVNUMDESTS, 'number_of_dests is 0', 'number_of_dests');
    const out: unknown[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const flag = this.u8(`dest_address[${i}].dest_flag`);
      if (flag === 1) {
        const ton = this.u8(`dest_address[${i}].dest_addr_ton`);
        const npi = this.u8(`dest_address[${i}].dest_addr_npi`);
        const addr = this.cstr(21, `dest_address[${i}].destination_addr`, CommandStatus.ESME_RINVDSTADR, false);
        out[i] = { dest_flag: 1, dest_addr_ton: ton, dest_addr_npi: npi, destination_addr: addr };
      } else if (flag === 2) {
        out[i] = { dest_flag: 2, dl_name: this.cstr(21, `dest_address[${i}].dl_name`, CommandStatus.ESME_RINVDLNAME, false) };
      } else {
        throw this.err('BAD_FIELD', CommandStatus.ESME_RINVDESTFLAG, `dest_address[${i}].dest_flag is ${flag}, must be 1 or 2`, 'dest_flag');
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
  readTlvs(names: ReadonlyMap<number, TlvEntry>): void {
    const b = this.b;
    const end = this.end;
    let o = this.o;
    let tlvs: Record<string, unknown> | undefined;
    let unknown: UnknownTlv[] | undefined;
    while (o < end) {
      if (end - o < 4) {
        throw this.err('BAD_TLV_STREAM', CommandStatus.ESME_RINVTLVSTREAM, `${end - o} stray octet(s) after the last TLV`);
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
      const e = names.get(tag);
      if (e === undefined) {
        (unknown ??= []).push({ tag, value: view(b, o, len) });
      } else {
        const v = e.read(b, o, len, this);
        tlvs ??= {};
        const prev = tlvs[e.name];
        if (e.repeatable) {
          if (prev === undefined) tlvs[e.name] = [v];
          else (prev as unknown[]).push(v);
        } else if (prev === undefined) {
          tlvs[e.name] = v;
        } else {
          // a second instance of a single-valued TLV: kept raw so that nothing is lost
          (unknown ??= []).push({ tag, value: view(b, o, len) });
        }
      }
      o += len;
    }
    this.o = o;
    this.tlvs = tlvs;
    this.unknown = unknown;
  }

  missingTlvs(mandatory: readonly string[]): void {
    for (const name of mandatory) {
      if (this.tlvs === undefined || this.tlvs[name] === undefined) {
        throw this.err('MISSING_TLV', CommandStatus.ESME_RMISSINGTLV, `mandatory TLV ${name} is missing`, `tlvs.${name}`);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------- encode helpers

function encErr(field: string, message: string): SmppEncodeError {
  return new SmppEncodeError(field, `${field} ${message}`);
}
/** A string value for an error message, cut at 40 characters. */
function showString(v: string): string {
  return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
}
function show(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

const H = {
  HEADER,
  EMPTY: Buffer.alloc(0),
  TIME_RE,
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
  timeSize(v: unknown, field: string): number {
    if (v === '') return 1;
    if (typeof v !== 'string' || !TIME_RE.test(v)) {
      throw encErr(field, `is ${show(v)}, must be '' or an SMPP time of 16 characters (YYMMDDhhmmsstnnp)`);
    }
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
      throw encErr('dest_address', `must be an array of 1..255 destinations, got ${Array.isArray(v) ? v.length : show(v)}`);
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

// ---------------------------------------------------------------------------------------------- code generation

/** What the decoder needs of a TLV tag: the name in this PDU, whether it repeats, and its reader. */
interface TlvEntry {
  readonly name: string;
  readonly repeatable: boolean;
  readonly read: TlvReader;
}
const TLV_ENTRIES = new Map<number, TlvEntry>(
  [...tlvByTag].map(([tag, def]) => [tag, { name: def.name, repeatable: def.repeatable === true, read: makeTlvReader(def) }]),
);

const isResponse = (c: CommandDef) => (c.id & 0x80000000) !== 0;

function defaultOf(f: FieldDef): string {
  switch (f.type) {
    case 'u8':
    case 'u16':
    case 'u32':
      return '0';
    case 'cstring':
    case 'time':
      return "''";
    case 'short_message':
      return 'H.EMPTY';
    case 'dest_address':
    case 'unsuccess_sme':
      return '[]';
  }
}

function buildEncoder(c: CommandDef): (pdu: any, bodyOnError: boolean) => Buffer {
  const L: string[] = [];
  const resp = isResponse(c);
  const hasBody = c.body.length > 0;
  L.push(`const st = p.command_status, seq = p.sequence_number;`);
  L.push(`if (typeof st !== 'number' || st >>> 0 !== st) H.badInt(st, 'command_status', 4294967295);`);
  L.push(`if (typeof seq !== 'number' || seq >>> 0 !== seq) H.badInt(seq, 'sequence_number', 4294967295);`);
  L.push(`const tl = p.tlvs, un = p.unknown_tlvs;`);
  // error responses are header-only by default
  L.push(resp && hasBody ? `const body = st === 0 || bodyOnError;` : `const body = true;`);
  L.push(`let size = ${HEADER};`);
  c.body.forEach((f, i) => L.push(`let v${i};`));
  L.push(`if (body) {`);
  c.body.forEach((f, i) => {
    const name = JSON.stringify(f.name);
    L.push(`v${i} = p[${name}]; if (v${i} === undefined) v${i} = ${defaultOf(f)};`);
    switch (f.type) {
      case 'u8':
        L.push(`if (typeof v${i} !== 'number' || (v${i} & 255) !== v${i}) H.badInt(v${i}, ${name}, 255); size += 1;`);
        break;
      case 'u16':
        L.push(`if (typeof v${i} !== 'number' || (v${i} & 65535) !== v${i}) H.badInt(v${i}, ${name}, 65535); size += 2;`);
        break;
      case 'u32':
        L.push(`if (typeof v${i} !== 'number' || v${i} >>> 0 !== v${i}) H.badInt(v${i}, ${name}, 4294967295); size += 4;`);
        break;
      case 'cstring':
        L.push(`size += H.cstrSize(v${i}, ${f.max}, ${name});`);
        break;
      case 'time':
        L.push(`size += H.timeSize(v${i}, ${name});`);
        break;
      case 'short_message':
        L.push(`size += H.smSize(v${i}, tl);`);
        break;
      case 'dest_address':
        L.push(`size += H.destsSize(v${i});`);
        break;
      case 'unsuccess_sme':
        L.push(`size += H.unsuccessSize(v${i});`);
        break;
    }
  });
  if (c.mandatoryTlvs?.length) {
    const check = c.mandatoryTlvs.map((n) => `if (tl == null || tl[${JSON.stringify(n)}] === undefined) H.missingTlv(${JSON.stringify(n)});`);
    L.push(resp ? `if (st === 0) { ${check.join(' ')} }` : check.join(' '));
  }
  L.push(`if (tl != null || un != null) size += H.tlvsSize(tl, un);`);
  L.push(`}`);
  L.push(`const b = Buffer.allocUnsafe(size);`);
  const id = c.id >>> 0;
  L.push(`b[0] = size >>> 24; b[1] = size >>> 16; b[2] = size >>> 8; b[3] = size;`);
  L.push(`b[4] = ${id >>> 24}; b[5] = ${(id >>> 16) & 255}; b[6] = ${(id >>> 8) & 255}; b[7] = ${id & 255};`);
  L.push(`b[8] = st >>> 24; b[9] = st >>> 16; b[10] = st >>> 8; b[11] = st;`);
  L.push(`b[12] = seq >>> 24; b[13] = seq >>> 16; b[14] = seq >>> 8; b[15] = seq;`);
  L.push(`let o = ${HEADER};`);
  L.push(`if (body) {`);
  c.body.forEach((f, i) => {
    switch (f.type) {
      case 'u8':
        L.push(`b[o++] = v${i};`);
        break;
      case 'u16':
        L.push(`b[o++] = v${i} >>> 8; b[o++] = v${i};`);
        break;
      case 'u32':
        L.push(`b[o++] = v${i} >>> 24; b[o++] = v${i} >>> 16; b[o++] = v${i} >>> 8; b[o++] = v${i};`);
        break;
      case 'cstring':
      case 'time':
        L.push(`o = H.wstr(b, o, v${i}, ${JSON.stringify(f.name)});`);
        break;
      case 'short_message':
        L.push(`b[o++] = v${i}.length; if (v${i}.length !== 0) { b.set(v${i}, o); o += v${i}.length; }`);
        break;
      case 'dest_address':
        L.push(`o = H.wdests(b, o, v${i});`);
        break;
      case 'unsuccess_sme':
        L.push(`o = H.wunsuccess(b, o, v${i});`);
        break;
    }
  });
  L.push(`if (tl != null || un != null) o = H.writeTlvs(b, o, tl, un);`);
  L.push(`}`);
  L.push(`if (o !== size) H.sizeMismatch(${JSON.stringify(c.name)}, o, size);`);
  L.push(`return b;`);
  const src = `return function encode_${c.name}(p, bodyOnError) {\n${L.join('\n')}\n};`;
  return new Function('H', src)(H);
}

function buildDecoder(c: CommandDef): (r: Reader, st: number, seq: number) => Pdu {
  const L: string[] = [];
  const resp = isResponse(c);
  const names = c.body.map((f) => JSON.stringify(f.name));
  const literal = (vals: string[]) =>
    `{ command: ${JSON.stringify(c.name)}, command_status: st, sequence_number: seq, ${names
      .map((n, i) => `${n}: ${vals[i]}, `)
      .join('')}tlvs: tl, unknown_tlvs: un }`;
  L.push(`let tl, un;`);
  if (resp && c.body.length > 0) {
    // a response without a body (the normal form of an error response) decodes with its body fields absent
    L.push(`if (r.end === ${HEADER}) { return ${literal(names.map(() => 'undefined'))}; }`);
  }
  const lastCstr = c.body.length - 1;
  c.body.forEach((f, i) => {
    const name = JSON.stringify(f.name);
    switch (f.type) {
      case 'u8':
        L.push(`const v${i} = r.u8(${name});`);
        break;
      case 'u16':
        L.push(`const v${i} = (r.u8(${name}) << 8) | r.u8(${name});`);
        break;
      case 'u32':
        L.push(`const v${i} = r.u32(${name});`);
        break;
      case 'cstring': {
        const status = CommandStatus[f.status];
        L.push(`const v${i} = r.cstr(${f.max}, ${name}, ${status}, ${resp && i === lastCstr});`);
        break;
      }
      case 'time':
        L.push(`const v${i} = r.time(${name}, ${CommandStatus[f.status]});`);
        break;
      case 'short_message':
        L.push(`const v${i} = r.shortMessage();`);
        break;
      case 'dest_address':
        L.push(`const v${i} = r.destAddress();`);
        break;
      case 'unsuccess_sme':
        L.push(`const v${i} = r.unsuccessSme();`);
        break;
    }
  });
  L.push(`if (r.o < r.end) { r.readTlvs(names); tl = r.tlvs; un = r.unknown; }`);
  if (c.mandatoryTlvs?.length) {
    const check = `r.tlvs = tl; r.missingTlvs(${JSON.stringify(c.mandatoryTlvs)});`;
    L.push(resp ? `if (st === 0) { ${check} }` : check);
  }
  L.push(`return ${literal(c.body.map((_, i) => `v${i}`))};`);
  const src = `return function decode_${c.name}(r, st, seq) {\n${L.join('\n')}\n};`;
  let entries = TLV_ENTRIES;
  if (c.tlvNames) {
    entries = new Map(TLV_ENTRIES);
    for (const [tag, name] of Object.entries(c.tlvNames)) entries.set(Number(tag), { ...TLV_ENTRIES.get(Number(tag))!, name });
  }
  return new Function('names', src)(entries);
}

const encoders = new Map<string, (pdu: any, bodyOnError: boolean) => Buffer>();
const decoders = new Map<number, (r: Reader, st: number, seq: number) => Pdu>();
for (const c of COMMAND_TABLE) {
  encoders.set(c.name, buildEncoder(c));
  decoders.set(c.id >>> 0, buildDecoder(c));
}

// ---------------------------------------------------------------------------------------------- public API

/**
 * Encodes one PDU (header included) into a Buffer of exactly its size.
 * Throws SmppEncodeError naming the field when a value breaks a limit of the spec.
 * A response with a non-zero command_status is encoded header-only unless `bodyOnError` is set.
 */
export function encodePdu(pdu: Pdu, options?: EncodeOptions): Buffer {
  const enc = encoders.get(pdu?.command);
  if (enc === undefined) throw new SmppEncodeError('command', `command ${show(pdu?.command)} is not an SMPP command`);
  return enc(pdu, options?.bodyOnError === true);
}

const reader = new Reader();

/**
 * Decodes one whole PDU (header included; `frame.length` must equal its command_length).
 * Throws only SmppDecodeError. Zero-copy: the Buffers of the decoded PDU (short_message, octet-string TLVs,
 * unknown TLVs) are views into `frame`, so do not reuse `frame` while the PDU is in use. PduFramer gives every
 * frame its own memory, so PDUs decoded from its frames are independent of each other and of the socket.
 */
export function decodePdu(frame: Buffer): Pdu {
  if (!Buffer.isBuffer(frame)) {
    const u = frame as unknown;
    if (!(u instanceof Uint8Array)) throw new TypeError('decodePdu expects a Buffer');
    frame = Buffer.from(u.buffer, u.byteOffset, u.length);
  }
  const len = frame.length;
  if (len < HEADER) {
    throw new SmppDecodeError(`PDU of ${len} octets is shorter than the 16-octet header`, {
      code: 'BAD_COMMAND_LENGTH',
      commandStatus: CommandStatus.ESME_RINVCMDLEN,
      fatal: true,
      commandId: len >= 8 ? frame.readUInt32BE(4) : undefined,
    });
  }
  const commandLength = ((frame[0] << 24) | (frame[1] << 16) | (frame[2] << 8) | frame[3]) >>> 0;
  const commandId = ((frame[4] << 24) | (frame[5] << 16) | (frame[6] << 8) | frame[7]) >>> 0;
  const st = ((frame[8] << 24) | (frame[9] << 16) | (frame[10] << 8) | frame[11]) >>> 0;
  const seq = ((frame[12] << 24) | (frame[13] << 16) | (frame[14] << 8) | frame[15]) >>> 0;
  if (commandLength !== len) {
    throw new SmppDecodeError(`command_length ${commandLength} does not match the ${len} octets of the PDU`, {
      code: 'BAD_COMMAND_LENGTH',
      commandStatus: CommandStatus.ESME_RINVCMDLEN,
      fatal: true,
      commandId,
      sequenceNumber: seq,
    });
  }
  const dec = decoders.get(commandId);
  if (dec === undefined) {
    throw new SmppDecodeError(`unknown command_id 0x${commandId.toString(16).padStart(8, '0')}`, {
      code: 'UNKNOWN_COMMAND',
      commandStatus: CommandStatus.ESME_RINVCMDID,
      commandId,
      sequenceNumber: seq,
    });
  }
  const r = reader;
  r.b = frame;
  r.o = HEADER;
  r.end = len;
  r.commandId = commandId;
  r.sequenceNumber = seq;
  r.tlvs = undefined;
  r.unknown = undefined;
  try {
    return dec(r, st, seq);
  } finally {
    r.b = H.EMPTY; // do not keep the caller's buffer alive
  }
}

