// broadcast_sm, query_broadcast_sm and cancel_broadcast_sm for the simulator's tests, encoded with @smppkit/core,
// and the one thing the encoder will not write: a broadcast_sm without one of its mandatory TLVs.
import { encodePdu, type Pdu } from '@smppkit/core';

export const BROADCAST_TLVS = {
  broadcast_area_identifier: [{ format: 0, details: Buffer.from('Oslo') }],
  broadcast_content_type: { network_type: 1, content_type: 0x0010 },
  broadcast_rep_num: 3,
  broadcast_frequency_interval: { time_unit: 0x0a, number: 1 },
  message_payload: Buffer.from('storm warning'),
};

export const BROADCAST_FIELDS = {
  command: 'broadcast_sm',
  command_status: 0,
  service_type: '',
  source_addr_ton: 1,
  source_addr_npi: 1,
  source_addr: '12345',
  message_id: '',
  priority_flag: 0,
  schedule_delivery_time: '',
  validity_period: '',
  replace_if_present_flag: 0,
  data_coding: 0,
  sm_default_msg_id: 0,
} as const;

/** A broadcast_sm: the fields above with `fields` over them, the TLVs above with `tlvs` over them (undefined drops one). */
export function broadcastPdu(seq: number, fields: Record<string, unknown> = {}, tlvs: Record<string, unknown> = {}) {
  const t: Record<string, unknown> = { ...BROADCAST_TLVS, ...tlvs };
  for (const k of Object.keys(t)) if (t[k] === undefined) delete t[k];
  return encodePdu({ ...BROADCAST_FIELDS, sequence_number: seq, ...fields, tlvs: t } as Pdu);
}

/** The PDU with every TLV of this tag cut out (TLVs start at `bodyEnd`, the octet after the mandatory fields). */
export function withoutTlv(pdu: Buffer, bodyEnd: number, tag: number): Buffer {
  const parts = [pdu.subarray(0, bodyEnd)];
  for (let o = bodyEnd; o < pdu.length; ) {
    const len = 4 + pdu.readUInt16BE(o + 2);
    if (pdu.readUInt16BE(o) !== tag) parts.push(pdu.subarray(o, o + len));
    o += len;
  }
  const out = Buffer.concat(parts);
  out.writeUInt32BE(out.length, 0);
  return out;
}
/** where the TLVs of broadcastPdu() with its default fields begin: header 16 + body 16 */
export const BROADCAST_BODY_END = 32;

export function queryBroadcastPdu(seq: number, messageId: string, fields: Record<string, unknown> = {}): Buffer {
  return encodePdu({
    command: 'query_broadcast_sm',
    command_status: 0,
    sequence_number: seq,
    message_id: messageId,
    source_addr_ton: 1,
    source_addr_npi: 1,
    source_addr: '12345',
    ...fields,
  } as Pdu);
}

export function cancelBroadcastPdu(seq: number, messageId: string, fields: Record<string, unknown> = {}): Buffer {
  return encodePdu({
    command: 'cancel_broadcast_sm',
    command_status: 0,
    sequence_number: seq,
    service_type: '',
    message_id: messageId,
    source_addr_ton: 1,
    source_addr_npi: 1,
    source_addr: '12345',
    ...fields,
  } as Pdu);
}
