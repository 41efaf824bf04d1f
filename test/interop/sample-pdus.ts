// PDUs of every kind, as our codec's objects, with the field values an independent decoder
// must read back from the bytes we write. Shared by the tshark and libsmpp34 checks.
import type { Pdu } from '@smppkit/core';

const SM = {
  service_type: '',
  source_addr_ton: 5,
  source_addr_npi: 0,
  source_addr: 'ACME',
  dest_addr_ton: 1,
  dest_addr_npi: 1,
  destination_addr: '4790000001',
  esm_class: 0,
  protocol_id: 0,
  priority_flag: 1,
  schedule_delivery_time: '',
  validity_period: '',
  registered_delivery: 1,
  replace_if_present_flag: 0,
  data_coding: 0,
  sm_default_msg_id: 0,
};

export interface Sample {
  name: string;
  pdu: Pdu;
  /** tshark field → expected value as tshark prints it */
  tshark: Record<string, string>;
  /** libsmpp34 dump field → expected value as its dump prints it (integers in hex); absent for PDUs
   *  libsmpp34 rejects by design: v5.0-only commands, and error responses without a body */
  libsmpp34?: Record<string, string>;
  /** a documented dissector bug that makes tshark flag this PDU: the fields before it are still checked */
  tsharkDisagrees?: string;
}

const receipt = 'id:1a2b3c sub:001 dlvrd:001 submit date:2411231200 done date:2411231201 stat:DELIVRD err:000 text:Hello';

export const SAMPLES: Sample[] = [
  {
    name: 'bind_transceiver',
    pdu: {
      command: 'bind_transceiver', command_status: 0, sequence_number: 1,
      system_id: 'acme', password: 'secret', system_type: 'OTP', interface_version: 0x34, addr_ton: 1, addr_npi: 1, address_range: '',
    },
    tshark: { 'smpp.command_id': '0x00000009', 'smpp.system_id': 'acme', 'smpp.password': 'secret', 'smpp.system_type': 'OTP', 'smpp.interface_version': '52' },
    libsmpp34: { system_id: 'acme', password: 'secret', system_type: 'OTP', interface_version: '34' },
  },
  {
    name: 'bind_transmitter_resp with sc_interface_version',
    pdu: { command: 'bind_transmitter_resp', command_status: 0, sequence_number: 2, system_id: 'SMSC', tlvs: { sc_interface_version: 0x34 } },
    tshark: { 'smpp.command_id': '0x80000002', 'smpp.system_id': 'SMSC', 'smpp.SC_interface_version': '52' },
    libsmpp34: { system_id: 'SMSC' },
  },
  {
    name: 'bind_receiver_resp error, header only',
    pdu: { command: 'bind_receiver_resp', command_status: 0x0e, sequence_number: 3 },
    tshark: { 'smpp.command_id': '0x80000001', 'smpp.command_status': '0x0000000e', 'smpp.command_length': '16' },
  },
  {
    name: 'submit_sm with TLVs',
    pdu: {
      command: 'submit_sm', command_status: 0, sequence_number: 4, ...SM, short_message: Buffer.from('Hello world', 'latin1'),
      tlvs: { user_message_reference: 77, source_port: 1234, dest_port: 2948, sar_msg_ref_num: 513, sar_total_segments: 2, sar_segment_seqnum: 1 },
    },
    tshark: {
      'smpp.command_id': '0x00000004', 'smpp.source_addr': 'ACME', 'smpp.destination_addr': '4790000001', 'smpp.sm_length': '11',
      'smpp.user_message_reference': '0x004d', 'smpp.source_port': '0x04d2', 'smpp.destination_port': '0x0b84',
      'smpp.sar_msg_ref_num': '513', 'smpp.sar_total_segments': '2', 'smpp.sar_segment_seqnum': '1', 'smpp.priority_flag': '0x01',
    },
    libsmpp34: { source_addr: 'ACME', destination_addr: '4790000001', sm_length: '0B', registered_delivery: '01', short_message: 'Hello world' },
  },
  {
    name: 'submit_sm with schedule and validity times, UDH, UCS-2',
    pdu: {
      command: 'submit_sm', command_status: 0, sequence_number: 5, ...SM, esm_class: 0x40, data_coding: 8,
      schedule_delivery_time: '241123120000004+', validity_period: '000001000000000R',
      short_message: Buffer.concat([Buffer.from([5, 0, 3, 0x2a, 2, 1]), Buffer.from([0, 0x48, 0, 0x69])]),
    },
    tshark: {
      'smpp.command_id': '0x00000004', 'smpp.sm_length': '10', 'smpp.data_coding': '0x08',
      'smpp.schedule_delivery_time': 'Nov 23, 2024 11:00:00.000000000 UTC', 'smpp.validity_period_r': '86400.000000000',
    },
    libsmpp34: { schedule_delivery_time: '241123120000004+', validity_period: '000001000000000R', esm_class: '40', data_coding: '08' },
  },
  {
    name: 'submit_sm_resp',
    pdu: { command: 'submit_sm_resp', command_status: 0, sequence_number: 4, message_id: '1a2b3c' },
    tshark: { 'smpp.command_id': '0x80000004', 'smpp.message_id': '1a2b3c' },
    libsmpp34: { message_id: '1a2b3c' },
  },
  {
    name: 'deliver_sm receipt with receipt TLVs',
    pdu: {
      command: 'deliver_sm', command_status: 0, sequence_number: 6, ...SM, registered_delivery: 0, priority_flag: 0, esm_class: 0x04,
      short_message: Buffer.from(receipt, 'latin1'),
      tlvs: { receipted_message_id: '1a2b3c', message_state: 2, network_error_code: { type: 3, code: 0 } },
    },
    tshark: {
      'smpp.command_id': '0x00000005', 'smpp.receipted_message_id': '1a2b3c', 'smpp.message_state': '2',
      'smpp.network_error.type': '3', 'smpp.network_error.code': '0x0000', 'smpp.sm_length': String(receipt.length),
    },
    libsmpp34: { sm_length: receipt.length.toString(16).toUpperCase(), esm_class: '04', short_message: receipt },
  },
  {
    name: 'deliver_sm_resp',
    pdu: { command: 'deliver_sm_resp', command_status: 0, sequence_number: 6, message_id: '' },
    tshark: { 'smpp.command_id': '0x80000005' },
    libsmpp34: {},
  },
  {
    name: 'submit_multi with SME and distribution list',
    pdu: {
      command: 'submit_multi', command_status: 0, sequence_number: 7, service_type: '', source_addr_ton: 5, source_addr_npi: 0, source_addr: 'ACME',
      dest_address: [
        { dest_flag: 1, dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: '4790000001' },
        { dest_flag: 2, dl_name: 'staff' },
        { dest_flag: 1, dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: '4790000002' },
      ],
      esm_class: 0, protocol_id: 0, priority_flag: 0, schedule_delivery_time: '', validity_period: '', registered_delivery: 1,
      replace_if_present_flag: 0, data_coding: 0, sm_default_msg_id: 0, short_message: Buffer.from('to all', 'latin1'),
    },
    tshark: { 'smpp.command_id': '0x00000021', 'smpp.dl_name': 'staff', 'smpp.sm_length': '6' },
    libsmpp34: { number_of_dests: '03', dl_name: 'staff', sm_length: '06' },
  },
  {
    name: 'submit_multi_resp with unsuccess_sme',
    pdu: {
      command: 'submit_multi_resp', command_status: 0, sequence_number: 7, message_id: 'm-1',
      unsuccess_sme: [{ dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: '4790000002', error_status_code: 0x0b }],
    },
    tshark: { 'smpp.command_id': '0x80000021', 'smpp.message_id': 'm-1', 'smpp.error_status_code': '0x0000000b' },
    libsmpp34: { message_id: 'm-1', no_unsuccess: '01', error_status_code: '0000000B' },
  },
  {
    name: 'data_sm with message_payload',
    pdu: {
      command: 'data_sm', command_status: 0, sequence_number: 8, service_type: 'WAP', source_addr_ton: 1, source_addr_npi: 1, source_addr: '4790000009',
      dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: '4790000001', esm_class: 0, registered_delivery: 0, data_coding: 4,
      tlvs: { message_payload: Buffer.from('0102030405', 'hex'), more_messages_to_send: 0 },
    },
    tshark: { 'smpp.command_id': '0x00000103', 'smpp.service_type': 'WAP', 'smpp.more_messages_to_send': '0' },
    libsmpp34: { service_type: 'WAP', source_addr: '4790000009' },
  },
  {
    name: 'query_sm',
    pdu: { command: 'query_sm', command_status: 0, sequence_number: 9, message_id: '1a2b3c', source_addr_ton: 5, source_addr_npi: 0, source_addr: 'ACME' },
    tshark: { 'smpp.command_id': '0x00000003', 'smpp.message_id': '1a2b3c', 'smpp.source_addr': 'ACME' },
    libsmpp34: { message_id: '1a2b3c', source_addr: 'ACME' },
  },
  {
    name: 'query_sm_resp',
    pdu: { command: 'query_sm_resp', command_status: 0, sequence_number: 9, message_id: '1a2b3c', final_date: '241123120100000+', message_state: 2, error_code: 0 },
    tshark: { 'smpp.command_id': '0x80000003', 'smpp.message_state': '2', 'smpp.final_date': 'Nov 23, 2024 12:01:00.000000000 UTC' },
    libsmpp34: { message_id: '1a2b3c', final_date: '241123120100000+', message_state: '02' },
  },
  {
    name: 'cancel_sm',
    pdu: {
      command: 'cancel_sm', command_status: 0, sequence_number: 10, service_type: '', message_id: '1a2b3c',
      source_addr_ton: 5, source_addr_npi: 0, source_addr: 'ACME', dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: '4790000001',
    },
    tshark: { 'smpp.command_id': '0x00000008', 'smpp.message_id': '1a2b3c', 'smpp.destination_addr': '4790000001' },
    libsmpp34: { message_id: '1a2b3c', destination_addr: '4790000001' },
  },
  {
    name: 'replace_sm',
    pdu: {
      command: 'replace_sm', command_status: 0, sequence_number: 11, message_id: '1a2b3c', source_addr_ton: 5, source_addr_npi: 0, source_addr: 'ACME',
      schedule_delivery_time: '', validity_period: '', registered_delivery: 1, sm_default_msg_id: 0, short_message: Buffer.from('new text', 'latin1'),
    },
    tshark: { 'smpp.command_id': '0x00000007', 'smpp.message_id': '1a2b3c', 'smpp.sm_length': '8' },
    libsmpp34: { message_id: '1a2b3c', sm_length: '08', short_message: 'new text' },
  },
  {
    name: 'enquire_link',
    pdu: { command: 'enquire_link', command_status: 0, sequence_number: 12 },
    tshark: { 'smpp.command_id': '0x00000015', 'smpp.command_length': '16' },
    libsmpp34: {},
  },
  {
    name: 'unbind',
    pdu: { command: 'unbind', command_status: 0, sequence_number: 13 },
    tshark: { 'smpp.command_id': '0x00000006' },
    libsmpp34: {},
  },
  {
    name: 'generic_nack',
    pdu: { command: 'generic_nack', command_status: 0x03, sequence_number: 14 },
    tshark: { 'smpp.command_id': '0x80000000', 'smpp.command_status': '0x00000003' },
    libsmpp34: {},
  },
  {
    name: 'outbind',
    pdu: { command: 'outbind', command_status: 0, sequence_number: 15, system_id: 'SMSC', password: 'pw' },
    tshark: { 'smpp.command_id': '0x0000000b', 'smpp.system_id': 'SMSC', 'smpp.password': 'pw' },
    libsmpp34: { system_id: 'SMSC', password: 'pw' },
  },
  {
    name: 'alert_notification',
    pdu: {
      command: 'alert_notification', command_status: 0, sequence_number: 16, source_addr_ton: 1, source_addr_npi: 1, source_addr: '4790000001',
      esme_addr_ton: 5, esme_addr_npi: 0, esme_addr: 'ACME', tlvs: { ms_availability_status: 0 },
    },
    tshark: { 'smpp.command_id': '0x00000102', 'smpp.esme_addr': 'ACME', 'smpp.ms_availability_status': '0' },
    libsmpp34: { source_addr: '4790000001', esme_addr: 'ACME' },
  },
  {
    name: 'broadcast_sm (v5.0)',
    pdu: {
      command: 'broadcast_sm', command_status: 0, sequence_number: 17, service_type: 'CBS', source_addr_ton: 5, source_addr_npi: 0, source_addr: 'CITY',
      message_id: '', priority_flag: 0, schedule_delivery_time: '', validity_period: '', replace_if_present_flag: 0, data_coding: 0, sm_default_msg_id: 0,
      tlvs: {
        broadcast_area_identifier: [{ format: 0, details: Buffer.from('Oslo', 'latin1') }],
        broadcast_content_type: { network_type: 1, content_type: 0x0010 },
        broadcast_rep_num: 3,
        broadcast_frequency_interval: { time_unit: 0x09, number: 15 },
        message_payload: Buffer.from('Storm warning', 'latin1'),
      },
    },
    tshark: { 'smpp.command_id': '0x00000111', 'smpp.service_type': 'CBS', 'smpp.source_addr': 'CITY' },
    tsharkDisagrees: 'Wireshark 4.0 reads broadcast_rep_num as 1 octet; v5.0 defines 2 (smpp-reference.md §10), so the rest of the PDU is malformed to it',
  },
];
