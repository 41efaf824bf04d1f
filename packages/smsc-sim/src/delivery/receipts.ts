// The deliver_sm PDUs the simulator sends: delivery receipts (esm_class MC delivery receipt, text and/or TLVs in
// the account's receipt style) and mobile-originated / ESME-to-ESME messages.
import { EsmClass, formatReceipt, MessageState, NetworkType, type PduOf, statOfMessageState } from '@smppkit/core';
import { describeDataCoding, encodeText } from '@smppkit/encoding';
import type { ReceiptStyle } from '../config/types.js';
import { formatMessageId, parseMessageId } from '../store/message-id.js';
import type { MessageRecord } from '../store/record.js';
import { MAX_SHORT_MESSAGE, messageText } from '../util/user-data.js';

export type DeliverSm = Omit<PduOf<'deliver_sm'>, 'sequence_number'>;

/** the esm_class bits a delivered message keeps from its submit: UDHI and reply path */
const KEPT_ESM_BITS = EsmClass.UDHI | EsmClass.REPLY_PATH;

/** the receipts' data_coding: the MC default alphabet, GSM 03.38 on this simulator */
const RECEIPT_DATA_CODING = 0;
/** text whose GSM 7-bit septets (one per octet, unpacked) are its ASCII bytes: the common receipt */
const GSM_AS_ASCII = /^[ !"#%&'()*+,\-./0-9:;<=>?A-Za-z]*$/;

/**
 * The receipt text as short_message octets for data_coding 0: the GSM default alphabet, unpacked (one septet per
 * octet), a character it cannot carry replaced by '?' (the `text:` excerpt is the submitter's text, in any script).
 */
export function receiptOctets(text: string): Buffer {
  if (GSM_AS_ASCII.test(text)) return Buffer.from(text, 'latin1');
  return encodeText(text, RECEIPT_DATA_CODING, { smscDefault: 'gsm', onUnencodable: 'replace' });
}

/** characters of the submitter's text a receipt keeps (formatReceipt's default) */
const EXCERPT = 20;
/** octets of the GSM_AS_ASCII set: each is its own character in GSM 7-bit (unpacked), ASCII and Latin-1 */
const AS_ASCII = new Uint8Array(256);
for (let b = 0; b < 128; b++) if (GSM_AS_ASCII.test(String.fromCharCode(b))) AS_ASCII[b] = 1;
/** data_coding → 1: an AS_ASCII octet decodes to itself (GSM 7-bit, ASCII, Latin-1), 2: not, 0: not asked yet */
const DECODES_AS_ASCII = new Uint8Array(256);

function decodesAsAscii(dc: number): boolean {
  if (DECODES_AS_ASCII[dc] === 0) {
    let a = '';
    try {
      a = describeDataCoding(dc).alphabet;
    } catch {
      // not supported: messageText says what the text is
    }
    DECODES_AS_ASCII[dc] = a === 'gsm7' || a === 'ascii' || a === 'latin1' ? 1 : 2;
  }
  return DECODES_AS_ASCII[dc] === 1;
}

/**
 * The start of the submitter's text for the receipt (at most EXCERPT characters), and whether it is all in the
 * GSM_AS_ASCII set. The common message (no UDH, a single-octet alphabet, the first octets in that set) is read
 * straight from its octets; any other is decoded whole (messageText).
 */
export function receiptExcerpt(rec: MessageRecord): { text: string; asAscii: boolean } {
  const sm = rec.shortMessage;
  if (rec.text === '' && (rec.esmClass & EsmClass.UDHI) === 0 && sm.length > 0 && rec.dataCoding <= 0xff) {
    if (decodesAsAscii(rec.dataCoding)) {
      const n = Math.min(EXCERPT, sm.length);
      let i = 0;
      while (i < n && AS_ASCII[sm[i]] === 1) i++;
      if (i === n) return { text: sm.toString('latin1', 0, n), asAscii: true };
    }
  }
  const text = messageText(rec).slice(0, EXCERPT);
  return { text, asAscii: GSM_AS_ASCII.test(text) };
}

// Receipt dates come in runs that share their minute (or second): the last two formatted are kept.
const dateKeys = [Number.NaN, Number.NaN];
const dateTexts = ['', ''];
let dateNext = 0;

/** YYMMDDhhmm (dateDigits 10) or YYMMDDhhmmss (12) of an epoch ms time, in UTC. */
export function receiptDate(ms: number, digits: 10 | 12): string {
  const key = Math.floor(ms / (digits === 12 ? 1000 : 60_000)) * 16 + digits;
  if (key === dateKeys[0]) return dateTexts[0];
  if (key === dateKeys[1]) return dateTexts[1];
  const d = new Date(ms);
  const p = (n: number) => (n < 10 ? `0${n}` : String(n));
  let s =
    p(d.getUTCFullYear() % 100) +
    p(d.getUTCMonth() + 1) +
    p(d.getUTCDate()) +
    p(d.getUTCHours()) +
    p(d.getUTCMinutes());
  if (digits === 12) s += p(d.getUTCSeconds());
  dateKeys[dateNext] = key;
  dateTexts[dateNext] = s;
  dateNext ^= 1;
  return s;
}

/** The id as the receipt carries it: the submit_sm_resp id rewritten in the style's receipt id format. */
export function receiptId(rec: MessageRecord, s: ReceiptStyle): string {
  const fmt = s.receiptIdFormat ?? s.idFormat;
  if (fmt === s.idFormat) return rec.mid;
  return formatMessageId(parseMessageId(rec.mid, s.idFormat) ?? rec.id, fmt);
}

// Both builders write every field in one literal, in the same order (no spread of a shared base object: V8 builds
// such an object on a slow path, and the encoder then meets a different shape).

/** withTlvs false (a v3.3 peer): the text carries the receipt whatever the style says. */
export function receiptPdu(rec: MessageRecord, style: ReceiptStyle, withTlvs = true): DeliverSm {
  const content = withTlvs ? style.content : 'text';
  const id = receiptId(rec, style);
  const state = MessageState[rec.state];
  // the receipt text itself is @smppkit/core's; the style picks its variants (dates in UTC)
  let octets: Buffer;
  if (content === 'tlv') octets = Buffer.alloc(0);
  else {
    // everything but the excerpt is in the GSM_AS_ASCII set (ids are decimal or hex, dates and codes digits)
    const excerpt = receiptExcerpt(rec);
    const text = formatReceipt(
      {
        id,
        sub: 1,
        dlvrd: rec.state === 'DELIVERED' ? 1 : 0,
        submit_date: receiptDate(rec.submittedAt, style.dateDigits),
        done_date: receiptDate(rec.doneAt ?? Date.now(), style.dateDigits),
        stat: statOfMessageState(state) ?? rec.state,
        err: rec.err,
        text: excerpt.text,
      },
      { dateDigits: style.dateDigits, textKey: style.lowerCaseKeys ? 'text' : 'Text' },
    );
    octets = excerpt.asAscii ? Buffer.from(text, 'latin1') : receiptOctets(text);
  }
  return {
    command: 'deliver_sm',
    command_status: 0,
    service_type: '',
    source_addr_ton: rec.destTon,
    source_addr_npi: rec.destNpi,
    source_addr: rec.destAddr,
    dest_addr_ton: rec.sourceTon,
    dest_addr_npi: rec.sourceNpi,
    destination_addr: rec.sourceAddr,
    esm_class: EsmClass.TYPE_MC_DELIVERY_RECEIPT,
    protocol_id: 0,
    priority_flag: 0,
    schedule_delivery_time: '',
    validity_period: '',
    registered_delivery: 0,
    replace_if_present_flag: 0,
    data_coding: RECEIPT_DATA_CODING,
    sm_default_msg_id: 0,
    short_message: octets,
    tlvs:
      content === 'text'
        ? undefined
        : rec.err !== 0
          ? {
              receipted_message_id: id,
              message_state: state,
              network_error_code: { type: NetworkType.GSM, code: rec.err },
            }
          : { receipted_message_id: id, message_state: state },
  };
}

/** A message for an ESME (MO, or submitted by another account to a number this one owns). */
export function messagePdu(rec: MessageRecord): DeliverSm {
  const payload = rec.shortMessage.length > MAX_SHORT_MESSAGE;
  return {
    command: 'deliver_sm',
    command_status: 0,
    service_type: rec.serviceType,
    source_addr_ton: rec.sourceTon,
    source_addr_npi: rec.sourceNpi,
    source_addr: rec.sourceAddr,
    dest_addr_ton: rec.destTon,
    dest_addr_npi: rec.destNpi,
    destination_addr: rec.destAddr,
    esm_class: rec.esmClass & KEPT_ESM_BITS,
    protocol_id: rec.protocolId,
    priority_flag: 0,
    schedule_delivery_time: '',
    validity_period: '',
    registered_delivery: 0,
    replace_if_present_flag: 0,
    data_coding: rec.dataCoding,
    sm_default_msg_id: 0,
    short_message: payload ? Buffer.alloc(0) : rec.shortMessage,
    tlvs: payload ? { message_payload: rec.shortMessage } : undefined,
  };
}
