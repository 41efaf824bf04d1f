/**
 * One message's assembly in the Reassembler: the parts of a concatenated message gathered so far (Pending), and the
 * ReassembledMessage made from them — the parts' user data joined in order, its text decoded, the sequence numbers
 * received and missing. The Reassembler (reassembler.ts) does the keying, limits and expiry.
 */
import { describeDataCoding, type Ia5Meaning, type SmscDefault } from './data-coding.js';
import type { NationalLanguage } from './gsm7.js';
import { decodeAlphabet } from './text-codec.js';
import type { ParsedUdh } from './udh.js';

export interface ReassembledMessage {
  source: string;
  destination: string;
  dataCoding: number;
  text: string;
  /** False for a message delivered after a timeout or eviction with parts missing. */
  complete: boolean;
  total: number;
  /** Sequence numbers received (sorted) and missing. */
  received: number[];
  missing: number[];
  /** How the parts were tied together ('none' for a message in one part). */
  concatenation: 'none' | 'udh8' | 'udh16' | 'sar';
  reference?: number;
  /** The UDH of the first part received, without the concatenation element's role mattering. */
  udh?: ParsedUdh;
  nationalLanguage?: NationalLanguage;
  /** The user data of the parts received, in order, without UDH (septets for packed GSM). */
  userData: Buffer;
}

/** A message being reassembled, keyed by originator, recipient, concatenation, reference and total. */
export interface Pending {
  key: string;
  source: string;
  destination: string;
  dataCoding: number;
  concatenation: 'udh8' | 'udh16' | 'sar';
  reference: number;
  total: number;
  createdAt: number;
  parts: (Uint8Array | undefined)[];
  count: number;
  bytes: number;
  udh?: ParsedUdh;
  nationalLanguage?: NationalLanguage;
}

/** The message made from an assembly's parts (complete only when none is missing). */
export function buildMessage(
  p: Pending,
  complete: boolean,
  concatenation: ReassembledMessage['concatenation'],
  smscDefault: SmscDefault,
  ia5: Ia5Meaning,
): ReassembledMessage {
  const received: number[] = [];
  const missing: number[] = [];
  const chunks: Uint8Array[] = [];
  p.parts.forEach((d, i) => {
    if (d) {
      received.push(i + 1);
      chunks.push(d);
    } else missing.push(i + 1);
  });
  const userData = Buffer.concat(chunks);
  const info = describeDataCoding(p.dataCoding, smscDefault, ia5);
  // packed GSM parts are already septets here
  const text = decodeAlphabet(userData, info.alphabet, {
    smscDefault: smscDefault,
    gsmPacking: 'unpacked',
    nationalLanguage: p.nationalLanguage,
  });
  const msg: ReassembledMessage = {
    source: p.source,
    destination: p.destination,
    dataCoding: p.dataCoding,
    text,
    complete: complete && missing.length === 0,
    total: p.total,
    received,
    missing,
    concatenation,
    userData,
  };
  if (concatenation !== 'none') msg.reference = p.reference;
  if (p.udh) msg.udh = p.udh;
  if (p.nationalLanguage) msg.nationalLanguage = p.nationalLanguage;
  return msg;
}
