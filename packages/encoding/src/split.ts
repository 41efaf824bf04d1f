/**
 * splitMessage: a text → the short_message (or message_payload) bytes of each part, with its UDH or SAR
 * values, ready to put into submit_sm / deliver_sm / data_sm.
 */
import { EncodingError } from './errors.js';
import { decodeSeptets, gsmCodec } from './gsm7.js';
import { fillBitsForUdh, packSeptets } from './pack7.js';
import { type MessageEncoding, type MessageOptions, type Plan, planMessage } from './plan.js';
import { defaultReferences, type ReferenceAllocator } from './reference.js';
import { decodeAlphabet, encodeAlphabet } from './text-codec.js';
import { encodeUtf16be } from './ucs2.js';
import { buildUdh, type InformationElement } from './udh.js';

export interface SplitOptions extends MessageOptions {
  /** The concatenation reference (8-bit: 0..255, 16-bit and SAR: 0..65535); allocated when omitted. */
  reference?: number;
  /** Allocates references per destination when `reference` is omitted (default: a shared allocator). */
  references?: ReferenceAllocator;
  /** The destination address, for per-destination reference allocation. */
  destination?: string;
}

export interface SarValues {
  sar_msg_ref_num: number;
  sar_total_segments: number;
  sar_segment_seqnum: number;
}

export interface MessagePart {
  /** 1-based. */
  sequence: number;
  total: number;
  /** What goes in short_message: the UDH (if any) followed by the user data. Empty in 'payload' mode. */
  shortMessage: Buffer;
  /** 'payload' mode: what goes in the message_payload TLV (UDH included, if any). */
  messagePayload?: Buffer;
  /** The UDH of this part (UDHL included), when there is one. */
  udh?: Buffer;
  /** The encoded text of this part, without UDH. */
  userData: Buffer;
  /** The text this part carries, as the receiver will decode it. */
  text: string;
  /** Septets (GSM), UTF-16 code units (UCS-2) or octets in this part. */
  units: number;
  /** 'sar' mode with more than one part: the TLV values. */
  sar?: SarValues;
}

export interface SplitResult extends MessageEncoding {
  /** Whether esm_class must have UDHI (0x40) set: true when the parts carry a UDH. */
  udhi: boolean;
  /** The concatenation reference used (only when there is more than one part). */
  reference?: number;
  parts: MessagePart[];
}

export function splitMessage(text: string, opts: SplitOptions = {}): SplitResult {
  const plan = planMessage(text, opts);
  const total = plan.partUnits.length;
  const concatenated = total > 1 && plan.mode !== 'payload';
  let reference: number | undefined;
  if (concatenated) {
    const bits = plan.mode === 'udh8' ? 8 : 16;
    if (
      opts.reference !== undefined &&
      (!Number.isInteger(opts.reference) || opts.reference < 0 || opts.reference >= 2 ** bits)
    ) {
      throw new EncodingError(
        'INVALID_OPTION',
        `reference is ${opts.reference}, must be an integer 0..${2 ** bits - 1} in mode ${plan.mode}`,
      );
    }
    reference = opts.reference ?? (opts.references ?? defaultReferences).next(opts.destination ?? '', bits);
  }
  const packed = plan.info.alphabet === 'gsm7' && opts.gsmPacking === 'packed';
  const parts: MessagePart[] = [];
  for (let k = 0; k < total; k++) {
    const sequence = k + 1;
    const elements: InformationElement[] = [...plan.baseElements];
    if (concatenated && plan.mode !== 'sar') {
      elements.unshift({
        type: 'concat',
        referenceBits: plan.mode === 'udh16' ? 16 : 8,
        reference: reference!,
        total,
        sequence,
      });
    }
    const udh = elements.length > 0 ? buildUdh(elements) : undefined;
    const { userData, text: partText } = partData(plan, k, packed, udh?.length ?? 0, opts);
    const body = udh ? Buffer.concat([udh, userData]) : userData;
    const part: MessagePart = {
      sequence,
      total,
      shortMessage: plan.mode === 'payload' ? Buffer.alloc(0) : body,
      userData,
      text: partText,
      units: plan.partUnits[k],
    };
    if (plan.mode === 'payload') part.messagePayload = body;
    if (udh) part.udh = udh;
    if (concatenated && plan.mode === 'sar') {
      part.sar = { sar_msg_ref_num: reference!, sar_total_segments: total, sar_segment_seqnum: sequence };
    }
    parts.push(part);
  }
  const result: SplitResult = {
    dataCoding: plan.info.dataCoding,
    alphabet: plan.info.alphabet,
    encoding: plan.encodingName,
    mode: plan.mode,
    udhi: parts.some((p) => p.udh !== undefined),
    parts,
  };
  if (plan.nationalLanguage) result.nationalLanguage = plan.nationalLanguage;
  if (plan.choice) result.reason = plan.choice.reason;
  if (reference !== undefined) result.reference = reference;
  return result;
}

function partData(
  plan: Plan,
  k: number,
  packed: boolean,
  udhLength: number,
  opts: SplitOptions,
): { userData: Buffer; text: string } {
  const from = plan.cuts[k];
  const to = plan.cuts[k + 1];
  const { info } = plan;
  if (plan.septets) {
    const septets = plan.septets.subarray(from, to);
    const text = decodeSeptets(septets, gsmCodec(plan.nationalLanguage));
    // SAR: the MC builds the UDH and repacks, so pack as if none (no fill bits)
    const userData = packed
      ? packSeptets(septets, plan.mode === 'sar' ? 0 : fillBitsForUdh(udhLength))
      : Buffer.from(septets);
    return { userData, text };
  }
  if (info.alphabet === 'ucs2') {
    const text = plan.text.slice(from, to);
    return { userData: encodeUtf16be(text), text };
  }
  if (plan.bytes) {
    const userData = Buffer.from(plan.bytes.subarray(from, to));
    return { userData, text: decodeAlphabet(userData, info.alphabet) };
  }
  const source = plan.text.slice(from, to);
  const userData = encodeAlphabet(
    source,
    info.alphabet,
    info.name,
    { ...opts, nationalLanguage: undefined },
    info.dataCoding,
  );
  return { userData, text: decodeAlphabet(userData, info.alphabet) };
}
