// The deliver_sm the receipt tests read: a final receipt (esm_class 0x04) from an MC, its text given.
import type { PduOf } from '../src/index.js';

/** A deliver_sm receipt whose short_message is `text` (octets, or a string as Latin-1), the rest its usual fields. */
export function receiptPdu(text: Buffer | string): PduOf<'deliver_sm'> {
  return {
    command: 'deliver_sm',
    command_status: 0,
    sequence_number: 1,
    service_type: '',
    source_addr_ton: 1,
    source_addr_npi: 1,
    source_addr: '447700900123',
    dest_addr_ton: 5,
    dest_addr_npi: 0,
    destination_addr: 'ACME',
    esm_class: 0x04,
    protocol_id: 0,
    priority_flag: 0,
    schedule_delivery_time: '',
    validity_period: '',
    registered_delivery: 0,
    replace_if_present_flag: 0,
    data_coding: 0,
    sm_default_msg_id: 0,
    short_message: typeof text === 'string' ? Buffer.from(text, 'latin1') : text,
  };
}
