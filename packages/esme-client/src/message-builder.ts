// submit({ from, to, text | bytes, … }) → the submit_sm (or submit_multi) PDUs of each part, in order.
// Encoding choice and splitting are the encoding package's; this file only maps options to PDU fields.
import { EsmClass } from '@smppkit/core';
import { type Alphabet, dataCodingFor, type SplitResult, splitMessage } from '@smppkit/encoding';
import { type Address, parseAddress } from './address.js';
import { ConfigError } from './errors.js';
import { type NationalCode, nationalIds, parseNational } from './national.js';
import type { ClientOptions } from './options.js';
import type { RequestFields } from './sender.js';
import { toSmppTime } from './smpp-time.js';

export type EncodingName = 'auto' | 'gsm7' | 'gsm' | 'ascii' | 'latin1' | 'ucs2' | 'binary' | 'cyrillic' | 'hebrew';

export interface SubmitMessage {
  from: string | Address;
  to: string | Address;
  /** The text (split when long) … */
  text?: string;
  /** … or raw bytes (8-bit binary data_coding unless `encoding` says otherwise). */
  bytes?: Buffer;
  /** 'auto' (default: the cheapest encoding that carries the text exactly), a name, or a data_coding number. */
  encoding?: EncodingName | number;
  /** Request a delivery receipt: true = registered_delivery 1 (success or failure), or the registered_delivery value. */
  dlr?: boolean | number;
  /** Validity: an SMPP time string, a Date, or seconds from now (relative). */
  validity?: string | Date | number;
  /** Scheduled delivery: an SMPP time string, a Date, or seconds from now (relative). */
  schedule?: string | Date | number;
  /** priority_flag 0..3. */
  priority?: number;
  /** Extra TLVs by spec name (e.g. { user_message_reference: 7 }). */
  tlvs?: Record<string, unknown>;
  /** How to split a long text (default from the client options): 'udh' (8-bit ref), 'udh16', 'sar' or 'payload'. */
  split?: 'udh' | 'udh16' | 'sar' | 'payload';
  /** National language shift tables this message may use ('tr', ['tr', 'es'], 'all'; false = none); default the client's `national`. */
  national?: NationalCode | 'all' | readonly NationalCode[] | false;
  service_type?: string;
  protocol_id?: number;
  /** esm_class bits to OR in (messaging mode); UDHI is set automatically. */
  esm_class?: number;
  /** Attached to the logical receipt (receipt.meta). */
  meta?: unknown;
}

export interface SubmitMultiMessage extends Omit<SubmitMessage, 'to'> {
  to: Array<string | Address>;
}

export interface PreparedMessage {
  parts: RequestFields[];
  dataCoding: number;
  encoding: string;
  wantsReceipt: boolean;
  /** How the parts are tied together, as sent ('udh8' also when 'sar' or 'payload' fell back for a v3.3 SMSC). */
  split: 'udh8' | 'udh16' | 'sar' | 'payload';
}

/** What the SMSC announced at bind that changes what may be sent to it. */
export interface PeerCapabilities {
  /**
   * False when its bind_resp carried no sc_interface_version (or one below 0x34): an SMPP v3.3 SMSC, to which
   * no TLVs are sent (v5.0 §2.11.2): SAR / payload splitting falls back to UDH, and a TLV given in `tlvs` is an error.
   */
  tlvs: boolean;
}

const ANY_PEER: PeerCapabilities = { tlvs: true };

const ALPHABETS: Record<Exclude<EncodingName, 'auto'>, Alphabet> = {
  gsm7: 'gsm7',
  gsm: 'gsm7',
  ascii: 'ascii',
  latin1: 'latin1',
  ucs2: 'ucs2',
  binary: 'binary',
  cyrillic: 'cyrillic',
  hebrew: 'hebrew',
};

const SPLIT_MODES = { udh: 'udh8', udh16: 'udh16', sar: 'sar', payload: 'payload' } as const;

function dataCodingOf(encoding: SubmitMessage['encoding'], hasBytes: boolean): number | undefined {
  if (typeof encoding === 'number') {
    if (!Number.isInteger(encoding) || encoding < 0 || encoding > 255)
      throw new ConfigError(`encoding ${encoding} is not a data_coding in 0..255`);
    return encoding;
  }
  if (encoding === undefined || encoding === 'auto') return hasBytes ? dataCodingFor('binary') : undefined;
  const alphabet = ALPHABETS[encoding];
  if (!alphabet)
    throw new ConfigError(
      `encoding '${encoding}' is not one of auto, ${Object.keys(ALPHABETS).join(', ')} or a data_coding number`,
    );
  return dataCodingFor(alphabet);
}

function registeredDelivery(dlr: SubmitMessage['dlr']): number {
  if (dlr === undefined || dlr === false) return 0;
  if (dlr === true) return 1;
  if (!Number.isInteger(dlr) || dlr < 0 || dlr > 255)
    throw new ConfigError(`dlr ${dlr} is not a registered_delivery value in 0..255`);
  return dlr;
}

function split(
  msg: Omit<SubmitMessage, 'to'>,
  o: ClientOptions,
  destination: string,
  peer: PeerCapabilities,
): SplitResult {
  const hasText = typeof msg.text === 'string';
  const hasBytes = Buffer.isBuffer(msg.bytes);
  if (hasText === hasBytes)
    throw new ConfigError(hasText ? 'give text or bytes, not both' : 'text (or bytes) is missing');
  const dataCoding = dataCodingOf(msg.encoding, hasBytes);
  let mode: SplitResult['mode'] = SPLIT_MODES[msg.split ?? (o.split as 'udh' | 'sar' | 'payload')];
  if (!mode) throw new ConfigError(`split '${msg.split}' is not one of udh, udh16, sar, payload`);
  if (!peer.tlvs && (mode === 'sar' || mode === 'payload')) mode = 'udh8';
  const national = nationalIds(msg.national === undefined ? o.national : parseNational(msg.national));
  // Bytes travel as a one-octet-per-character string (the encoding package's binary convention).
  const text = hasBytes ? msg.bytes!.toString('latin1') : msg.text!;
  return splitMessage(text, {
    mode,
    destination,
    ...(dataCoding !== undefined ? { dataCoding } : {}),
    ...(national.length > 0 && !hasBytes ? { nationalLanguages: national } : {}),
  });
}

/** A TLV given by the caller for an SMSC that takes none: an error naming it, before anything is sent. */
function checkUserTlvs(tlvs: Record<string, unknown> | undefined, peer: PeerCapabilities): void {
  if (peer.tlvs || !tlvs) return;
  const names = Object.keys(tlvs).filter((k) => tlvs[k] !== undefined);
  if (names.length === 0) return;
  throw new ConfigError(
    `TLV ${names.map((n) => `'${n}'`).join(', ')} cannot be sent: the SMSC's bind_resp carried no sc_interface_version ` +
      `(an SMPP v3.3 SMSC, which takes no TLVs; v5.0 §2.11.2)`,
  );
}

function commonFields(msg: Omit<SubmitMessage, 'to'>, s: SplitResult): Record<string, unknown> {
  const from = parseAddress(msg.from, 'from');
  const fields: Record<string, unknown> = {
    service_type: msg.service_type ?? '',
    source_addr_ton: from.ton,
    source_addr_npi: from.npi,
    source_addr: from.addr,
    esm_class: (msg.esm_class ?? 0) | (s.udhi ? EsmClass.UDHI : 0),
    protocol_id: msg.protocol_id ?? 0,
    priority_flag: msg.priority ?? 0,
    schedule_delivery_time: msg.schedule === undefined ? '' : toSmppTime(msg.schedule, 'schedule'),
    validity_period: msg.validity === undefined ? '' : toSmppTime(msg.validity, 'validity'),
    registered_delivery: registeredDelivery(msg.dlr),
    replace_if_present_flag: 0,
    data_coding: s.dataCoding,
    sm_default_msg_id: 0,
  };
  if (msg.priority !== undefined && (!Number.isInteger(msg.priority) || msg.priority < 0 || msg.priority > 3)) {
    throw new ConfigError(`priority ${msg.priority} is not 0..3`);
  }
  return fields;
}

function partFields(
  base: Record<string, unknown>,
  s: SplitResult,
  i: number,
  extraTlvs: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const part = s.parts[i]!;
  const tlvs: Record<string, unknown> = { ...(extraTlvs ?? {}) };
  if (part.sar) Object.assign(tlvs, part.sar);
  let short_message = part.shortMessage;
  if (part.messagePayload) {
    tlvs.message_payload = part.messagePayload;
    short_message = Buffer.alloc(0);
  }
  const f: Record<string, unknown> = { ...base, short_message };
  if (Object.keys(tlvs).length > 0) f.tlvs = tlvs;
  return f;
}

export function buildSubmit(msg: SubmitMessage, o: ClientOptions, peer: PeerCapabilities = ANY_PEER): PreparedMessage {
  checkUserTlvs(msg.tlvs, peer);
  const to = parseAddress(msg.to, 'to');
  const s = split(msg, o, to.addr, peer);
  const base = {
    command: 'submit_sm',
    ...commonFields(msg, s),
    dest_addr_ton: to.ton,
    dest_addr_npi: to.npi,
    destination_addr: to.addr,
  };
  const parts = s.parts.map((_, i) => partFields(base, s, i, msg.tlvs) as RequestFields);
  return {
    parts,
    dataCoding: s.dataCoding,
    encoding: s.encoding,
    wantsReceipt: (registeredDelivery(msg.dlr) & 0x03) !== 0,
    split: s.mode,
  };
}

export function buildSubmitMulti(
  msg: SubmitMultiMessage,
  o: ClientOptions,
  peer: PeerCapabilities = ANY_PEER,
): PreparedMessage {
  checkUserTlvs(msg.tlvs, peer);
  if (!Array.isArray(msg.to) || msg.to.length === 0) throw new ConfigError('to must list at least one destination');
  if (msg.to.length > 254)
    throw new ConfigError(`to lists ${msg.to.length} destinations, submit_multi allows at most 254`);
  const dests = msg.to.map((d, i) => parseAddress(d, `to[${i}]`));
  const s = split(msg, o, dests[0]!.addr, peer);
  const base = {
    command: 'submit_multi',
    ...commonFields(msg, s),
    dest_address: dests.map((d) => ({
      dest_flag: 1,
      dest_addr_ton: d.ton,
      dest_addr_npi: d.npi,
      destination_addr: d.addr,
    })),
  };
  const parts = s.parts.map((_, i) => partFields(base, s, i, msg.tlvs) as RequestFields);
  return {
    parts,
    dataCoding: s.dataCoding,
    encoding: s.encoding,
    wantsReceipt: (registeredDelivery(msg.dlr) & 0x03) !== 0,
    split: s.mode,
  };
}
