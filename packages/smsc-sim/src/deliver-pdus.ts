// The deliver_sm PDUs the simulator sends: delivery receipts (esm_class 0x04, text and/or TLVs in the account's
// dialect) and mobile-originated / ESME-to-ESME messages.
import { formatReceipt, MessageState, statOfMessageState, type PduOf } from '@smppkit/core';
import type { ReceiptDialect, StateName } from './config.js';
import { formatMessageId, parseMessageId } from './message-id.js';
import { messageText } from './user-data.js';
import type { MessageRecord } from './message-store.js';

export type DeliverSm = Omit<PduOf<'deliver_sm'>, 'sequence_number'>;

export function stateNumber(s: StateName): number {
  return MessageState[s];
}

/** Does registered_delivery ask for a receipt for this final state? */
export function wantsReceipt(registeredDelivery: number, state: StateName): boolean {
  switch (registeredDelivery & 0x03) {
    case 1: return true;
    case 2: return state !== 'DELIVERED';
    case 3: return state === 'DELIVERED';
    default: return false;
  }
}

/** The id as the receipt carries it: the submit_sm_resp id rewritten in the dialect's receipt id format. */
export function receiptId(rec: MessageRecord, d: ReceiptDialect): string {
  const fmt = d.receiptIdFormat ?? d.idFormat;
  if (fmt === d.idFormat) return rec.mid;
  return formatMessageId(parseMessageId(rec.mid, d.idFormat) ?? rec.id, fmt);
}

// Both builders write every field in one literal, in the same order (no spread of a shared base object: V8 builds
// such an object on a slow path, which cost ~9 µs per receipt, and the encoder then meets a different shape).

/** withTlvs false (a v3.3 peer): the text carries the receipt whatever the dialect says. */
export function receiptPdu(rec: MessageRecord, dialect: ReceiptDialect, withTlvs = true): DeliverSm {
  const content = withTlvs ? dialect.content : 'text';
  const id = receiptId(rec, dialect);
  const state = stateNumber(rec.state);
  // the receipt text itself is @smppkit/core's; the dialect picks its variants (dates in UTC)
  const text = content === 'tlv' ? '' : formatReceipt({
    id, sub: 1, dlvrd: rec.state === 'DELIVERED' ? 1 : 0, submit_date: new Date(rec.submittedAt), done_date: new Date(rec.doneAt ?? Date.now()),
    stat: statOfMessageState(state) ?? rec.state, err: rec.err, text: messageText(rec),
  }, { dateDigits: dialect.dateDigits, textKey: dialect.lowerCaseKeys ? 'text' : 'Text' });
  return {
    command: 'deliver_sm', command_status: 0, service_type: '',
    source_addr_ton: rec.destTon, source_addr_npi: rec.destNpi, source_addr: rec.destAddr,
    dest_addr_ton: rec.sourceTon, dest_addr_npi: rec.sourceNpi, destination_addr: rec.sourceAddr,
    esm_class: 0x04, protocol_id: 0, priority_flag: 0, schedule_delivery_time: '', validity_period: '', registered_delivery: 0,
    replace_if_present_flag: 0, data_coding: 0, sm_default_msg_id: 0, short_message: Buffer.from(text, 'latin1'),
    tlvs: content === 'text' ? undefined
      : rec.err !== 0 ? { receipted_message_id: id, message_state: state, network_error_code: { type: 3, code: rec.err } }
        : { receipted_message_id: id, message_state: state },
  };
}

/** A message for an ESME (MO, or submitted by another account to a number this one owns). */
export function messagePdu(rec: MessageRecord): DeliverSm {
  const payload = rec.shortMessage.length > 254;
  return {
    command: 'deliver_sm', command_status: 0, service_type: rec.serviceType,
    source_addr_ton: rec.sourceTon, source_addr_npi: rec.sourceNpi, source_addr: rec.sourceAddr,
    dest_addr_ton: rec.destTon, dest_addr_npi: rec.destNpi, destination_addr: rec.destAddr,
    esm_class: rec.esmClass & 0xc0, protocol_id: rec.protocolId, priority_flag: 0, schedule_delivery_time: '', validity_period: '',
    registered_delivery: 0, replace_if_present_flag: 0, data_coding: rec.dataCoding, sm_default_msg_id: 0,
    short_message: payload ? Buffer.alloc(0) : rec.shortMessage,
    tlvs: payload ? { message_payload: rec.shortMessage } : undefined,
  };
}
