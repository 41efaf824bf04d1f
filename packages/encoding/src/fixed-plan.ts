/**
 * How a text becomes parts once its data_coding is decided: the UDH of each part, the per-part limit, and where
 * the cuts fall (never inside an escape sequence, a surrogate pair or a multi-byte character). chooseEncoding
 * costs its candidates with it; planMessage (plan.ts) plans with it after choosing.
 */
import { type Alphabet, type DataCodingInfo, describeDataCoding } from './data-coding.js';
import { EncodingError, unencodable } from './errors.js';
import { ESC } from './gsm-tables.js';
import { encodeSeptets, gsmCodec, type NationalLanguage } from './gsm7.js';
import { ISO2022JP_SWITCH_COST, iso2022jpCharBytes } from './iso2022jp.js';
import { TP_UD_OCTETS, type UnitKind, unitKindOf, unitsPerPart } from './limits.js';
import { fillBitsForUdh, packedLength } from './pack7.js';
import { encodeAlphabet, iconvCharBytes, type TextOptions } from './text-codec.js';
import { isHighSurrogate } from './ucs2.js';
import { type InformationElement, udhLength } from './udh.js';

/**
 * How the parts of a long message are tied together:
 * - 'udh8' / 'udh16': a concatenation UDH (IEI 0x00 with 8-bit reference / 0x08 with 16-bit) in each short_message;
 * - 'sar': the sar_msg_ref_num / sar_total_segments / sar_segment_seqnum TLVs (the MC builds the UDH);
 * - 'payload': the whole text in one message_payload TLV.
 */
export type SplitMode = 'udh8' | 'udh16' | 'sar' | 'payload';

/** What a count (countMessage) and a split (splitMessage) both say about how a message is encoded. */
export interface MessageEncoding {
  dataCoding: number;
  alphabet: Alphabet;
  encoding: string;
  nationalLanguage?: NationalLanguage;
  /** Why this encoding (only when chooseEncoding picked it). */
  reason?: string;
  mode: SplitMode;
}

export interface MessageOptions extends TextOptions {
  /** The data_coding to use; when omitted chooseEncoding picks the cheapest that carries the text exactly. */
  dataCoding?: number;
  /** Default 'udh8'. */
  mode?: SplitMode;
  /** National languages chooseEncoding may use (ids of 23.038 §6.2.1.2.4, or 'all'); default none. */
  nationalLanguages?: readonly number[] | 'all';
  /** Let chooseEncoding pick Latin-1 (data_coding 3) for text outside GSM 7-bit (default false). */
  allowLatin1?: boolean;
  /** Application port addressing in every part (IEI 0x04 for 8-bit, 0x05 for 16-bit ports; default 16). */
  ports?: { destination: number; origin: number; bits?: 8 | 16 };
  /** Further information elements for every part's UDH. */
  elements?: readonly InformationElement[];
  /** The most parts allowed (default and maximum 255). */
  maxParts?: number;
}

/** How a text becomes parts once its data_coding is decided. */
export interface FixedPlan {
  text: string;
  info: DataCodingInfo;
  /** The character set in words, national tables included. */
  encodingName: string;
  nationalLanguage?: NationalLanguage;
  mode: SplitMode;
  kind: UnitKind;
  /** Information elements every part carries besides concatenation (national language, ports, extra). */
  baseElements: InformationElement[];
  /** UDH octets of a message sent in one part, and of each part of a concatenated message. */
  singleUdhLength: number;
  multiUdhLength: number;
  singleLimit: number;
  multiLimit: number;
  /** Total units (septets, UTF-16 code units or octets). */
  units: number;
  /** Units in each part. */
  partUnits: number[];
  /** Where each part starts and ends, in the encoded units (gsm7/ucs2/one-byte sets) or in the text (multi-byte sets). */
  cuts: number[];
  septets?: Uint8Array;
  bytes?: Buffer;
}

const MULTIBYTE: ReadonlySet<Alphabet> = new Set(['jis', 'iso-2022-jp', 'extended-kanji', 'ksc5601']);

function nationalElements(nl: NationalLanguage | undefined): InformationElement[] {
  const out: InformationElement[] = [];
  if (nl?.locking) out.push({ type: 'national-locking-shift', language: nl.locking });
  if (nl?.single) out.push({ type: 'national-single-shift', language: nl.single });
  return out;
}

/** The split mode of the options, checked: one of udh8 (default), udh16, sar, payload. */
export function splitModeOf(opts: MessageOptions): SplitMode {
  const mode = opts.mode ?? 'udh8';
  if (!['udh8', 'udh16', 'sar', 'payload'].includes(mode)) {
    throw new EncodingError('INVALID_OPTION', `mode '${mode}' is not one of udh8, udh16, sar, payload`);
  }
  return mode;
}

/**
 * Plans `text` in data_coding `dataCoding`; `nl`: the national language tables in force (GSM 7-bit only, else
 * ignored). Throws EncodingError for a character the alphabet lacks (unless the policy replaces it), a bad option,
 * or more parts than maxParts.
 */
export function planFixed(
  text: string,
  dataCoding: number,
  nationalLanguage: NationalLanguage | undefined,
  opts: MessageOptions,
): FixedPlan {
  const mode = splitModeOf(opts);
  const info = describeDataCoding(dataCoding, opts.smscDefault, opts.ia5);
  let nl = info.alphabet === 'gsm7' ? nationalLanguage : undefined;
  if (nl && !nl.locking && !nl.single) nl = undefined;
  const kind = unitKindOf(info.alphabet);

  const baseElements = [...nationalElements(nl)];
  if (opts.ports) {
    const bits = opts.ports.bits ?? 16;
    baseElements.push({ type: 'ports', bits, destination: opts.ports.destination, origin: opts.ports.origin });
  }
  if (opts.elements) baseElements.push(...opts.elements);
  if (mode === 'sar' && baseElements.length > 0) {
    throw new EncodingError(
      'INVALID_OPTION',
      'mode sar sends no UDH (the MC builds it), so it cannot carry national language shifts, ports or other UDH elements: use udh8 or udh16',
    );
  }
  const singleUdhLength = udhLength(baseElements);
  const concatLength = mode === 'udh16' ? 6 : 5; // SAR: the MC is assumed to add an 8-bit reference UDH
  const multiUdhLength = singleUdhLength === 0 ? 1 + concatLength : singleUdhLength + concatLength;
  const singleLimit = unitsPerPart(kind, singleUdhLength);
  const multiLimit = unitsPerPart(kind, multiUdhLength);
  const maxParts = opts.maxParts ?? 255;
  if (!Number.isInteger(maxParts) || maxParts < 1 || maxParts > 255) {
    throw new EncodingError('INVALID_OPTION', `maxParts is ${maxParts}, must be an integer 1..255`);
  }

  const textOpts: TextOptions = { ...opts, nationalLanguage: nl };
  const plan: FixedPlan = {
    text,
    info,
    mode,
    kind,
    encodingName: info.alphabet === 'gsm7' && nl ? gsmCodec(nl).name : info.name,
    baseElements,
    singleUdhLength,
    multiUdhLength,
    singleLimit,
    multiLimit,
    units: 0,
    partUnits: [],
    cuts: [],
  };
  if (nl) plan.nationalLanguage = nl;

  if (MULTIBYTE.has(info.alphabet)) {
    planMultibyte(plan, textOpts);
  } else {
    let canCut: (p: number) => boolean;
    let fits: (from: number, to: number, udhLength: number) => boolean = () => true;
    if (info.alphabet === 'gsm7') {
      const septets = encodeSeptets(text, gsmCodec(nl), textOpts, info.dataCoding);
      plan.septets = septets;
      plan.units = septets.length;
      canCut = (p) => septets[p - 1] !== ESC;
      if (opts.gsmPacking === 'packed') {
        // a part whose text ends with a wanted CR on an octet boundary needs one more CR (pack7.ts): it must still fit
        fits = (from, to, udh) =>
          packedLength(to - from, mode === 'sar' ? 0 : fillBitsForUdh(udh), septets[to - 1] === 0x0d) <=
          TP_UD_OCTETS - udh;
      }
    } else if (info.alphabet === 'ucs2') {
      plan.units = text.length;
      canCut = (p) => !isHighSurrogate(text.charCodeAt(p - 1));
    } else {
      plan.bytes = encodeAlphabet(text, info.alphabet, info.name, textOpts, info.dataCoding);
      plan.units = plan.bytes.length;
      canCut = () => true;
    }
    cutUnits(plan, mode === 'payload', canCut, fits);
  }
  if (mode !== 'payload' && plan.partUnits.length > maxParts) {
    throw new EncodingError(
      'TOO_LONG',
      `text needs ${plan.partUnits.length} parts of ${plan.multiLimit} ${kind}s in ${info.name}; the most is ${maxParts}`,
    );
  }
  return plan;
}

/** Greedy cuts over encoded units: as many units per part as fit, backing off where a cut is not allowed. */
function cutUnits(
  plan: FixedPlan,
  onePart: boolean,
  canCut: (p: number) => boolean,
  fits: (from: number, to: number, udh: number) => boolean,
): void {
  const n = plan.units;
  plan.cuts.push(0);
  if (onePart || (n <= plan.singleLimit && fits(0, n, plan.singleUdhLength))) {
    plan.cuts.push(n);
    plan.partUnits.push(n);
    return;
  }
  let start = 0;
  while (start < n) {
    let end = Math.min(start + plan.multiLimit, n);
    while (end > start + 1 && ((end < n && !canCut(end)) || !fits(start, end, plan.multiUdhLength))) end--;
    plan.cuts.push(end);
    plan.partUnits.push(end - start);
    start = end;
  }
}

/** Multi-byte character sets: cuts between characters (text offsets), sizes in octets. */
function planMultibyte(plan: FixedPlan, opts: TextOptions): void {
  const { text, info } = plan;
  // Validate (and apply the unencodable policy) once; then cost each character.
  const chars: string[] = [];
  const offsets: number[] = [];
  let i = 0;
  for (const ch of text) {
    const cost = info.alphabet === 'iso-2022-jp' ? iso2022jpCharBytes(ch) : iconvCharBytes(ch, info.alphabet);
    if (cost < 0) {
      if (opts.onUnencodable !== 'replace') throw unencodable(ch, i, info.name, info.dataCoding);
    }
    chars.push(ch);
    offsets.push(i);
    i += ch.length;
  }
  offsets.push(text.length);
  const costOf = (k: number, prevJis: boolean): { bytes: number; jis: boolean } => {
    const ch = chars[k];
    if (info.alphabet === 'iso-2022-jp') {
      const b = iso2022jpCharBytes(ch);
      const cb = b < 0 ? encodeAlphabet(ch, info.alphabet, info.name, opts).length : b;
      if (b === 2) return { bytes: prevJis ? 2 : 2 + 2 * ISO2022JP_SWITCH_COST, jis: true };
      return { bytes: cb, jis: false };
    }
    const b = iconvCharBytes(ch, info.alphabet);
    return { bytes: b < 0 ? encodeAlphabet(ch, info.alphabet, info.name, opts).length : b, jis: false };
  };
  // whole text in one part?
  let total = 0;
  let jis = false;
  for (let k = 0; k < chars.length; k++) {
    const c = costOf(k, jis);
    total += c.bytes;
    jis = c.jis;
  }
  plan.units = total;
  plan.cuts.push(0);
  if (plan.mode === 'payload' || total <= plan.singleLimit) {
    plan.cuts.push(text.length);
    plan.partUnits.push(total);
    return;
  }
  let k = 0;
  while (k < chars.length) {
    let size = 0;
    jis = false;
    const startK = k;
    while (k < chars.length) {
      const c = costOf(k, jis);
      if (size + c.bytes > plan.multiLimit && k > startK) break;
      size += c.bytes;
      jis = c.jis;
      k++;
    }
    plan.cuts.push(offsets[k]);
    plan.partUnits.push(size);
  }
}
