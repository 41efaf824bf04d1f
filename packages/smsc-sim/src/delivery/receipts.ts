// The deliver_sm PDUs the simulator sends: delivery receipts (esm_class MC delivery receipt, text and/or TLVs in
// the account's receipt style) and mobile-originated / ESME-to-ESME messages.
import { EsmClass, MessageState, NetworkType, type PduOf, statOfMessageState } from '@smppkit/core';
import type { ReceiptStyle } from '../config/types.js';
import { formatMessageId, parseMessageId } from '../store/message-id.js';
import type { MessageRecord } from '../store/record.js';
import { MAX_SHORT_MESSAGE } from '../util/user-data.js';
import { RECEIPT_DATA_CODING, receiptText } from './receipt-text.js';

export type DeliverSm = Omit<PduOf<'deliver_sm'>, 'sequence_number'>;

/** the short_message of a receipt in TLVs only */
const NO_OCTETS = Buffer.alloc(0);

/** the esm_class bits a delivered message keeps from its submit: UDHI and reply path */
const KEPT_ESM_BITS = EsmClass.UDHI | EsmClass.REPLY_PATH;

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
  const octets =
    content === 'tlv'
      ? NO_OCTETS
      : receiptText(
          rec,
          id,
          {
            stat: statOfMessageState(state) ?? rec.state,
            err: rec.err,
            dlvrd: rec.state === 'DELIVERED' ? 1 : 0,
            submittedAt: rec.submittedAt,
            doneAt: rec.doneAt ?? Date.now(),
          },
          style,
        );
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
