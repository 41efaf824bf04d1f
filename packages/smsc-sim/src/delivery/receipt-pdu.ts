// A receipt's deliver_sm written straight into its bytes, header included (sequence_number 0: the session numbers
// it), without a PDU object and the generic encoder: one receipt is sent per message. The octets are those the
// encoder makes of receiptPdu's PDU (test/receipt-pdu.test.ts compares them for every style, state and id form).
// null when the receipt is not one this writer takes: an address or id beyond its limit or outside Latin-1, a
// text that does not take receipt-text.ts's direct path. The caller then sends receiptPdu's PDU through the
// encoder, which checks every field and names any that is wrong.
import { Buffer } from 'node:buffer'; // not the global: in Node 20 an accessor, a call per use
import { EsmClass, InterfaceVersion, MessageState, NetworkType, type Pdu, statOfMessageState } from '@smppkit/core';
import type { ReceiptStyle } from '../config/types.js';
import type { MessageRecord } from '../store/record.js';
import { asciiExcerptLength, directMiddle, RECEIPT_DATA_CODING, writeDirectText } from './receipt-text.js';
import { receiptId, receiptPdu } from './receipts.js';
import type { Receiver } from './receivers.js';

const DELIVER_SM = 0x00000005;
const RECEIPTED_MESSAGE_ID = 0x001e;
const MESSAGE_STATE = 0x0427;
const NETWORK_ERROR_CODE = 0x0423;
/** source_addr and destination_addr of deliver_sm: at most 21 octets with their NUL */
const ADDR_MAX = 20;
/** receipted_message_id: at most 65 octets with its NUL */
const ID_MAX = 64;

/** s has at most max characters, each one octet and none NUL (a C-Octet string the encoder takes as it is). */
function fits(s: string, max: number): boolean {
  if (s.length > max) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0 || c > 0xff) return false;
  }
  return true;
}

function writeCstr(b: Buffer, o: number, s: string): number {
  for (let i = 0; i < s.length; i++) b[o + i] = s.charCodeAt(i);
  b[o + s.length] = 0;
  return o + s.length + 1;
}

/**
 * The octets from service_type to sm_default_msg_id of the last receipt written, and the addresses they hold: the
 * receipts of a run of messages from one submitter to one number share them (compared, then copied at once).
 */
let head: {
  destTon: number;
  destNpi: number;
  destAddr: string;
  sourceTon: number;
  sourceNpi: number;
  sourceAddr: string;
  bytes: Buffer;
} | null = null;

/** The receipt's body up to sm_length (see head), or null when its addresses are not ones this writer takes. */
function headOf(rec: MessageRecord): Buffer | null {
  const h = head;
  if (
    h !== null &&
    h.destAddr === rec.destAddr &&
    h.sourceAddr === rec.sourceAddr &&
    h.destTon === rec.destTon &&
    h.destNpi === rec.destNpi &&
    h.sourceTon === rec.sourceTon &&
    h.sourceNpi === rec.sourceNpi
  )
    return h.bytes;
  const src = rec.destAddr;
  const dst = rec.sourceAddr;
  if (((rec.destTon | rec.destNpi | rec.sourceTon | rec.sourceNpi) & ~0xff) !== 0) return null;
  if (!fits(src, ADDR_MAX) || !fits(dst, ADDR_MAX)) return null;
  // service_type, two addresses, esm_class … sm_default_msg_id
  const b = Buffer.alloc(1 + 3 + src.length + 3 + dst.length + 9);
  let o = 1; // service_type ''
  b[o++] = rec.destTon;
  b[o++] = rec.destNpi;
  o = writeCstr(b, o, src);
  b[o++] = rec.sourceTon;
  b[o++] = rec.sourceNpi;
  o = writeCstr(b, o, dst);
  b[o] = EsmClass.TYPE_MC_DELIVERY_RECEIPT;
  // protocol_id, priority_flag, schedule_delivery_time '', validity_period '', registered_delivery,
  // replace_if_present_flag: 0
  b[o + 7] = RECEIPT_DATA_CODING;
  // sm_default_msg_id: 0
  head = {
    destTon: rec.destTon,
    destNpi: rec.destNpi,
    destAddr: src,
    sourceTon: rec.sourceTon,
    sourceNpi: rec.sourceNpi,
    sourceAddr: dst,
    bytes: b,
  };
  return b;
}

/** The receipt's deliver_sm (what receiptPdu says, encoded), or null (see top). withTlvs false: a v3.3 peer. */
export function receiptBytes(rec: MessageRecord, style: ReceiptStyle, withTlvs: boolean): Buffer | null {
  const content = withTlvs ? style.content : 'text';
  const hb = headOf(rec);
  if (hb === null) return null;
  const id = receiptId(rec, style);
  const state = MessageState[rec.state];
  const err = rec.err;
  let mid: Buffer | null = null;
  let n = 0;
  let textLength = 0;
  if (content !== 'tlv') {
    n = asciiExcerptLength(rec);
    const stat = statOfMessageState(state) ?? rec.state;
    const dlvrd = rec.state === 'DELIVERED' ? 1 : 0;
    mid = directMiddle(id, n, stat, err, dlvrd, rec.submittedAt, rec.doneAt ?? Date.now(), style);
    if (mid === null) return null;
    textLength = 3 + id.length + mid.length + n;
    if (textLength > 255) return null;
  }
  let tlvLength = 0;
  if (content !== 'text') {
    if (!fits(id, ID_MAX) || !(state >= 0 && state <= 0xff) || !(err >= 0 && err <= 0xffff)) return null;
    tlvLength = 4 + id.length + 1 + 5 + (err !== 0 ? 7 : 0);
  }
  // header, service_type … sm_default_msg_id (hb), sm_length, the text, the TLVs
  const size = 16 + hb.length + 1 + textLength + tlvLength;
  const b = Buffer.allocUnsafe(size);
  // octet by octet: writeUInt32BE's checks cost more than the stores (size < 2^16, command_id 0x00000005)
  for (let i = 0; i < 16; i++) b[i] = 0;
  b[2] = size >>> 8;
  b[3] = size;
  b[7] = DELIVER_SM;
  b.set(hb, 16);
  let o = 16 + hb.length;
  b[o++] = textLength;
  if (mid !== null) o = writeDirectText(b, o, id, mid, rec.shortMessage, n);
  if (content !== 'text') {
    o = tlvHead(b, o, RECEIPTED_MESSAGE_ID, id.length + 1);
    o = writeCstr(b, o, id);
    o = tlvHead(b, o, MESSAGE_STATE, 1);
    b[o++] = state;
    if (err !== 0) {
      o = tlvHead(b, o, NETWORK_ERROR_CODE, 3);
      b[o] = NetworkType.GSM;
      b[o + 1] = err >>> 8;
      b[o + 2] = err;
    }
  }
  return b;
}

/** A TLV's tag and length (both < 2^16); returns where its value goes. */
function tlvHead(b: Buffer, o: number, tag: number, length: number): number {
  b[o] = tag >>> 8;
  b[o + 1] = tag;
  b[o + 2] = length >>> 8;
  b[o + 3] = length;
  return o + 4;
}

/** Sends a message's receipt to a receiver: written straight when it can be, else as receiptPdu's PDU. */
export function deliverReceipt(
  conn: Receiver,
  rec: MessageRecord,
  done: (err: Error | null, resp?: Pdu) => void,
): void {
  const style = conn.account!.style;
  const v34 = conn.interfaceVersion >= InterfaceVersion.V34;
  const bytes = receiptBytes(rec, style, v34);
  if (bytes !== null) conn.deliverEncoded(bytes, done);
  else conn.deliver(receiptPdu(rec, style, v34), done);
}
