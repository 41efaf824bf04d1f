// User data of a submitted message, through @smppkit/encoding: the UDH (when UDHI is set), the concatenation
// information (UDH or SAR TLVs), and the decoded text kept for inspection.
import { EsmClass } from '@smppkit/core';
import { decodeText, describeDataCoding, parseUdh } from '@smppkit/encoding';

const { UDHI } = EsmClass;

/** longest short_message (longer user data goes in message_payload) */
export const MAX_SHORT_MESSAGE = 254;

export interface Concat {
  ref: number;
  total: number;
  seq: number;
}

export interface UserData {
  /** text of this part, UDH removed */
  text: string;
  concat: Concat | null;
}

export type UserDataResult = UserData | { error: 'udh' | 'sar' | 'data_coding'; message: string };

interface SarTlvs {
  sar_msg_ref_num?: number;
  sar_total_segments?: number;
  sar_segment_seqnum?: number;
}

/** data_coding → 1 known, 2 not known, 0 not asked yet (the answer depends on the value only) */
const KNOWN = new Uint8Array(256);

/** Is this data_coding one the encoding package knows (reserved and unsupported values are not)? */
export function dataCodingKnown(dc: number): boolean {
  if (!Number.isInteger(dc) || dc < 0 || dc > 0xff) return false;
  if (KNOWN[dc] === 0) {
    try {
      describeDataCoding(dc);
      KNOWN[dc] = 1;
    } catch {
      KNOWN[dc] = 2;
    }
  }
  return KNOWN[dc] === 1;
}

const NO_OPTIONS = {};

/**
 * Checks the user data and reads its concatenation information. `decode` false: the text is decoded only when
 * there is a UDH (a part); otherwise text is '' and readers decode it later (messageText) — inspection work kept
 * off the submit path.
 */
export function readUserData(
  data: Buffer,
  esmClass: number,
  dataCoding: number,
  tlvs: SarTlvs | undefined,
  decode = true,
): UserDataResult {
  let body = data;
  let concat: Concat | null = null;
  let nationalLanguage: { single?: number; locking?: number } | undefined;
  if (esmClass & UDHI) {
    try {
      const udh = parseUdh(data);
      body = data.subarray(udh.length);
      if (udh.concat) {
        const c = udh.concat;
        if (c.total === 0 || c.sequence === 0 || c.sequence > c.total) {
          return { error: 'udh', message: `UDH concatenation part ${c.sequence} of ${c.total} is invalid` };
        }
        concat = { ref: c.reference, total: c.total, seq: c.sequence };
      }
      nationalLanguage = udh.nationalLanguage;
    } catch (e) {
      return { error: 'udh', message: (e as Error).message };
    }
  } else if (
    tlvs &&
    tlvs.sar_msg_ref_num !== undefined &&
    tlvs.sar_total_segments !== undefined &&
    tlvs.sar_segment_seqnum !== undefined
  ) {
    const { sar_msg_ref_num: ref, sar_total_segments: total, sar_segment_seqnum: seq } = tlvs;
    if (total === 0 || seq === 0 || seq > total)
      return { error: 'sar', message: `SAR segment ${seq} of ${total} is invalid` };
    concat = { ref, total, seq };
  }
  if (!dataCodingKnown(dataCoding))
    return { error: 'data_coding', message: `data_coding 0x${dataCoding.toString(16)} is not supported` };
  if (!decode && !(esmClass & UDHI)) return { text: '', concat };
  let text: string;
  try {
    text = decodeText(body, dataCoding, nationalLanguage ? ({ nationalLanguage } as never) : NO_OPTIONS);
  } catch {
    text = body.toString('latin1');
  }
  return { text, concat };
}

/**
 * The decoded text of a stored part: its `text` when it was decoded on the way in, else decoded now from the user
 * data (the result depends on the bytes, esm_class and data_coding only).
 */
export function messageText(m: { text: string; shortMessage: Buffer; esmClass: number; dataCoding: number }): string {
  if (m.text !== '' || m.shortMessage.length === 0) return m.text;
  const ud = readUserData(m.shortMessage, m.esmClass, m.dataCoding, undefined);
  return 'error' in ud ? '' : ud.text;
}
