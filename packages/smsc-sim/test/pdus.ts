// PDUs for the simulator's tests and benchmarks, encoded with @smppkit/core: every field given once here, a test
// overriding only what it is about.
import { encodePdu, type Pdu } from '@smppkit/core';

export const SUBMIT_SM_FIELDS = {
  command: 'submit_sm',
  command_status: 0,
  service_type: '',
  source_addr_ton: 1,
  source_addr_npi: 1,
  source_addr: '12345',
  dest_addr_ton: 1,
  dest_addr_npi: 1,
  destination_addr: '4479000001',
  esm_class: 0,
  protocol_id: 0,
  priority_flag: 0,
  schedule_delivery_time: '',
  validity_period: '',
  registered_delivery: 0,
  replace_if_present_flag: 0,
  data_coding: 0,
  sm_default_msg_id: 0,
  short_message: Buffer.from('x'),
} as const;

/** A submit_sm: the fields above, with `fields` over them. */
export function submitSmPdu(seq: number, fields: Record<string, unknown> = {}): Buffer {
  return encodePdu({ ...SUBMIT_SM_FIELDS, sequence_number: seq, ...fields } as Pdu);
}

export function bindPdu(
  seq: number,
  systemId: string,
  password = 'pw',
  command: 'bind_transceiver' | 'bind_transmitter' | 'bind_receiver' = 'bind_transceiver',
  fields: Record<string, unknown> = {},
): Buffer {
  return encodePdu({
    command,
    command_status: 0,
    sequence_number: seq,
    system_id: systemId,
    password,
    system_type: '',
    interface_version: 0x34,
    addr_ton: 0,
    addr_npi: 0,
    address_range: '',
    ...fields,
  } as Pdu);
}

export function enquireLinkPdu(seq: number): Buffer {
  return encodePdu({ command: 'enquire_link', command_status: 0, sequence_number: seq } as Pdu);
}

/** A header-only PDU with any command_id (unknown ones included). */
export function headerOnly(commandId: number, seq: number, status = 0): Buffer {
  const b = Buffer.alloc(16);
  b.writeUInt32BE(16, 0);
  b.writeUInt32BE(commandId >>> 0, 4);
  b.writeUInt32BE(status, 8);
  b.writeUInt32BE(seq, 12);
  return b;
}

/** A PDU with a TLV appended as raw octets (command_length fixed): for what the encoder refuses to write. */
export function withRawTlv(pdu: Buffer, tag: number, value: Buffer): Buffer {
  const tlv = Buffer.alloc(4 + value.length);
  tlv.writeUInt16BE(tag, 0);
  tlv.writeUInt16BE(value.length, 2);
  value.copy(tlv, 4);
  const out = Buffer.concat([pdu, tlv]);
  out.writeUInt32BE(out.length, 0);
  return out;
}
