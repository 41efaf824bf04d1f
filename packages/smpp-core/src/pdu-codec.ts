// encodePdu / decodePdu. For each command of the table (commands.ts) one specialised encoder and one decoder
// are generated once at start-up from its field list, so the hot path has no table walk, computes the exact
// size before its single allocation, and every decoded PDU of one kind has the same object shape.
// `Buffer` imported, not the global: in Node 20 the global is an accessor, a call per use in optimized code
import { Buffer } from 'node:buffer';
import type { CommandDef, CommandName, FieldDef, Pdu } from './commands.js';
import { COMMAND_TABLE } from './commands.js';
import { SmppDecodeError, SmppEncodeError } from './errors.js';
import { type LeniencyWarning, Reader, type Strictness, tlvEntries } from './pdu-reader.js';
import { H, show } from './pdu-writer.js';
import { CommandStatus } from './status.js';

export interface EncodeOptions {
  /** Write the body of a response whose command_status is not 0 (default false: such responses are header-only). */
  bodyOnError?: boolean;
}

export interface DecodeOptions {
  /** 'strict' (default) or 'lenient': see Strictness. */
  strictness?: Strictness;
  /** Lenient: called for each field accepted past its spec maximum, while decoding. */
  onLenient?: (warning: LeniencyWarning) => void;
}

const HEADER = 16;

// ---------------------------------------------------------------------------------------------- code generation

/** One shared tag-indexed TLV table; only PDUs that rename a tag get their own. */
const DEFAULT_TLV_ENTRIES = tlvEntries();

const isResponse = (c: CommandDef) => (c.id & 0x80000000) !== 0;

function defaultOf(f: FieldDef): string {
  switch (f.type) {
    case 'u8':
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

/** Where an encoder may write its PDU in place of a Buffer of its own (the session's WriteBatcher). */
export interface EncodeTarget {
  /** room for `size` octets: the Buffer, written from reservedAt */
  reserve(size: number): Buffer;
  readonly reservedAt: number;
}

type Encoder = (fields: any, bodyOnError: boolean, st: unknown, seq: unknown, into?: EncodeTarget) => Buffer;

function buildEncoder(c: CommandDef): Encoder {
  const L: string[] = [];
  const resp = isResponse(c);
  const hasBody = c.body.length > 0;
  L.push(`if (typeof st !== 'number' || st >>> 0 !== st) H.badInt(st, 'command_status', 4294967295);`);
  L.push(`if (typeof seq !== 'number' || seq >>> 0 !== seq) H.badInt(seq, 'sequence_number', 4294967295);`);
  L.push(`const tl = p.tlvs, un = p.unknown_tlvs;`);
  // error responses are header-only by default
  L.push(resp && hasBody ? `const body = st === 0 || bodyOnError;` : `const body = true;`);
  L.push(`let size = ${HEADER};`);
  c.body.forEach((_f, i) => L.push(`let v${i};`));
  L.push(`if (body) {`);
  c.body.forEach((f, i) => {
    const name = JSON.stringify(f.name);
    L.push(`v${i} = p[${name}]; if (v${i} === undefined) v${i} = ${defaultOf(f)};`);
    switch (f.type) {
      case 'u8':
        L.push(`if (typeof v${i} !== 'number' || (v${i} & 255) !== v${i}) H.badInt(v${i}, ${name}, 255); size += 1;`);
        break;
      case 'cstring':
        L.push(`size += H.cstrSize(v${i}, ${f.max}, ${name});`);
        break;
      case 'time':
        L.push(`size += H.timeSize(v${i}, ${name}, ${f.absoluteOnly === true});`);
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
    const check = c.mandatoryTlvs.map(
      (n) => `if (tl == null || tl[${JSON.stringify(n)}] === undefined) H.missingTlv(${JSON.stringify(n)});`,
    );
    L.push(resp ? `if (st === 0) { ${check.join(' ')} }` : check.join(' '));
  }
  L.push(`if (tl != null || un != null) size += H.tlvsSize(tl, un);`);
  L.push(`}`);
  L.push(`let b, z = 0;`);
  L.push(`if (into === undefined) b = Buffer.allocUnsafe(size); else { b = into.reserve(size); z = into.reservedAt; }`);
  const id = c.id >>> 0;
  L.push(`b[z] = size >>> 24; b[z + 1] = size >>> 16; b[z + 2] = size >>> 8; b[z + 3] = size;`);
  L.push(
    `b[z + 4] = ${id >>> 24}; b[z + 5] = ${(id >>> 16) & 255}; b[z + 6] = ${(id >>> 8) & 255}; b[z + 7] = ${id & 255};`,
  );
  L.push(`b[z + 8] = st >>> 24; b[z + 9] = st >>> 16; b[z + 10] = st >>> 8; b[z + 11] = st;`);
  L.push(`b[z + 12] = seq >>> 24; b[z + 13] = seq >>> 16; b[z + 14] = seq >>> 8; b[z + 15] = seq;`);
  L.push(`let o = z + ${HEADER};`);
  L.push(`if (body) {`);
  c.body.forEach((f, i) => {
    switch (f.type) {
      case 'u8':
        L.push(`b[o++] = v${i};`);
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
  L.push(`if (o - z !== size) H.sizeMismatch(${JSON.stringify(c.name)}, o - z, size);`);
  L.push(`return b;`);
  const src = `return function encode_${c.name}(p, bodyOnError, st, seq, into) {\n${L.join('\n')}\n};`;
  return new Function('H', 'Buffer', src)(H, Buffer);
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
    // (an error response: fields absent); a success response without a body: its fields at their NULL values, as
    // the encoder writes them, and its mandatory TLVs missing
    const check = c.mandatoryTlvs?.length ? `r.missingTlvs(${JSON.stringify(c.mandatoryTlvs)}); ` : '';
    L.push(`if (r.end === ${HEADER}) {`);
    L.push(`  if (st === 0) { ${check}return ${literal(c.body.map(defaultOf))}; }`);
    L.push(`  return ${literal(names.map(() => 'undefined'))};`);
    L.push(`}`);
  }
  const lastCstr = c.body.length - 1;
  // the offset is kept in a local and the one-octet fields read inline (a submit_sm has ten: a call each cost more
  // than the read); r.o is brought up to date around the reader's other methods
  L.push(`const b = r.b, end = r.end; let o = r.o;`);
  const call = (i: number, expr: string) => L.push(`r.o = o; const v${i} = ${expr}; o = r.o;`);
  // an empty C-string (a lone NUL: service_type, schedule_delivery_time, validity_period most often) read inline,
  // as the reader's methods would read it (they check nothing of an empty one)
  const str = (i: number, expr: string) =>
    L.push(`let v${i}; if (o < end && b[o] === 0) { v${i} = ''; o++; } else { r.o = o; v${i} = ${expr}; o = r.o; }`);
  c.body.forEach((f, i) => {
    const name = JSON.stringify(f.name);
    switch (f.type) {
      case 'u8':
        L.push(`if (o >= end) { r.o = o; throw r.truncated(${name}); } const v${i} = b[o++];`);
        break;
      case 'cstring': {
        const status = CommandStatus[f.status];
        str(i, `r.cstr(${f.max}, ${name}, ${status}, ${resp && i === lastCstr})`);
        break;
      }
      case 'time':
        str(i, `r.time(${name}, ${CommandStatus[f.status]}, ${f.absoluteOnly === true})`);
        break;
      case 'short_message':
        call(i, `r.shortMessage()`);
        break;
      case 'dest_address':
        call(i, `r.destAddress()`);
        break;
      case 'unsuccess_sme':
        call(i, `r.unsuccessSme()`);
        break;
    }
  });
  L.push(`r.o = o;`);
  L.push(`if (o < end) { r.readTlvs(names); tl = r.tlvs; un = r.unknown; }`);
  const sm = c.body.findIndex((f) => f.type === 'short_message');
  if (sm >= 0) {
    // short_message and message_payload both filled: refused (strict) or reported (lenient), see Reader.bothMessages
    L.push(
      `if (tl !== undefined && v${sm}.length !== 0 && tl.message_payload !== undefined) r.bothMessages(v${sm}.length);`,
    );
  }
  if (c.mandatoryTlvs?.length) {
    const check = `r.tlvs = tl; r.missingTlvs(${JSON.stringify(c.mandatoryTlvs)});`;
    L.push(resp ? `if (st === 0) { ${check} }` : check);
  }
  L.push(`return ${literal(c.body.map((_, i) => `v${i}`))};`);
  const src = `return function decode_${c.name}(r, st, seq) {\n${L.join('\n')}\n};`;
  return new Function('names', 'H', src)(c.tlvNames ? tlvEntries(c.tlvNames) : DEFAULT_TLV_ENTRIES, H);
}

const encoders = new Map<string, Encoder>();
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
  return enc(pdu, options?.bodyOnError === true, pdu.command_status, pdu.sequence_number);
}

const NO_FIELDS = Object.freeze({});
let lastEncoded: string | undefined;
let lastEncoder: Encoder | undefined;

/** The encoder of `command`; the last one asked for is kept: a stream of one answer looks it up once. */
function encoderOf(command: CommandName): Encoder {
  if (command === lastEncoded) return lastEncoder!;
  const enc = encoders.get(command);
  if (enc === undefined) throw new SmppEncodeError('command', `command ${show(command)} is not an SMPP command`);
  lastEncoded = command;
  lastEncoder = enc;
  return enc;
}

/**
 * encodePdu with the header given apart from the body fields: `fields` (any object with the body's fields and
 * tlvs; its own command, command_status and sequence_number are ignored) is neither copied nor changed. The
 * session engine uses it to send what the application gives without building a new PDU object per request.
 */
export function encodeWithHeader(
  command: CommandName,
  fields: object | undefined,
  commandStatus: number,
  sequenceNumber: number,
  options?: EncodeOptions,
): Buffer {
  return encoderOf(command)(fields ?? NO_FIELDS, options?.bodyOnError === true, commandStatus, sequenceNumber);
}

/**
 * encodeWithHeader, written into `into` (room reserved there for the PDU's size) rather than a Buffer of its own: the
 * session writes its answers straight into the batch it hands the socket. A field beyond a limit throws before
 * anything is reserved; a character that cannot be written throws after (the caller gives the room back).
 */
export function encodeInto(
  command: CommandName,
  fields: object | undefined,
  commandStatus: number,
  sequenceNumber: number,
  into: EncodeTarget,
): void {
  encoderOf(command)(fields ?? NO_FIELDS, false, commandStatus, sequenceNumber, into);
}

const reader = new Reader();
let lastDecodedId = -1;
let lastDecoder: ((r: Reader, st: number, seq: number) => Pdu) | undefined;

/**
 * Decodes one whole PDU (header included; `frame.length` must equal its command_length).
 * Throws only SmppDecodeError (in lenient mode too, for everything but a C-string past its maximum).
 * With `{ strictness: 'lenient' }`, a C-string longer than the spec allows is decoded as received (see
 * Strictness) and reported to `onLenient`. Zero-copy: the Buffers of the decoded PDU (short_message, octet-string TLVs,
 * unknown TLVs) are views into `frame`, so do not reuse `frame` while the PDU is in use. PduFramer gives every
 * frame its own memory, so PDUs decoded from its frames are independent of each other and of the socket.
 */
export function decodePdu(frame: Buffer, options?: DecodeOptions): Pdu {
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
  // the decoder of the last command_id decoded kept: a stream of one command looks it up once
  let dec: ((r: Reader, st: number, seq: number) => Pdu) | undefined;
  if (commandId === lastDecodedId) dec = lastDecoder;
  else {
    dec = decoders.get(commandId);
    if (dec !== undefined) {
      lastDecodedId = commandId;
      lastDecoder = dec;
    }
  }
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
  if (options === undefined) {
    r.lenient = false;
    r.onLenient = undefined;
  } else {
    r.lenient = options.strictness === 'lenient';
    r.onLenient = options.onLenient;
  }
  try {
    return dec(r, st, seq);
  } finally {
    r.b = H.EMPTY; // do not keep the caller's buffer alive
    r.onLenient = undefined;
  }
}
