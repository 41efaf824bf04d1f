// The one table of standard TLVs (v3.4 + v5.0): tag, spec name, value type and length limits.
// TlvTag, the Tlvs type and the TLV codec are derived from it.

/** How a TLV value is represented on the wire (length = the TLV length field, in octets). */
export type TlvKind =
  | { readonly kind: 'int'; readonly size: 1 | 2 | 4; readonly accept?: readonly number[] } // fixed size; accept = other sizes tolerated on decode
  | { readonly kind: 'uintvar'; readonly min: number; readonly max: number } // big-endian unsigned, min..max octets
  | { readonly kind: 'cstring'; readonly min: number; readonly max: number } // lengths include the NUL
  | { readonly kind: 'octets'; readonly min: number; readonly max: number }
  | { readonly kind: 'network_error_code' } // type(1) + code(2)
  | { readonly kind: 'broadcast_content_type' } // network_type(1) + content_type(2)
  | { readonly kind: 'broadcast_frequency_interval' } // time_unit(1) + number(2)
  | { readonly kind: 'broadcast_area' } // format(1) + details(0..100)
  | { readonly kind: 'flag_or_int1' } // length 0 (presence flag, v3.4) or 1 octet (v5.0)
  | { readonly kind: 'ms_validity' }; // 1 octet behaviour, or 4 = behaviour(1) + time_unit(1) + number(2)

export interface TlvDef {
  readonly tag: number;
  readonly name: string;
  readonly type: TlvKind;
  /** May occur several times in one PDU: the value is an array in wire order. */
  readonly repeatable?: boolean;
}

const i1 = { kind: 'int', size: 1 } as const;
const i2 = { kind: 'int', size: 2 } as const;
const i4 = { kind: 'int', size: 4 } as const;
const cstr = <Min extends number, Max extends number>(min: Min, max: Max) => ({ kind: 'cstring', min, max }) as const;
const oct = <Min extends number, Max extends number>(min: Min, max: Max) => ({ kind: 'octets', min, max }) as const;

export const TLV_TABLE = [
  { tag: 0x0005, name: 'dest_addr_subunit', type: i1 },
  { tag: 0x0006, name: 'dest_network_type', type: i1 },
  { tag: 0x0007, name: 'dest_bearer_type', type: i1 },
  { tag: 0x0008, name: 'dest_telematics_id', type: i2 },
  { tag: 0x000d, name: 'source_addr_subunit', type: i1 },
  { tag: 0x000e, name: 'source_network_type', type: i1 },
  { tag: 0x000f, name: 'source_bearer_type', type: i1 },
  // v5.0's TLV table says 1 octet, every implementation sends 2: accept both, send 2.
  { tag: 0x0010, name: 'source_telematics_id', type: { kind: 'int', size: 2, accept: [1] } },
  { tag: 0x0017, name: 'qos_time_to_live', type: i4 },
  { tag: 0x0019, name: 'payload_type', type: i1 },
  { tag: 0x001d, name: 'additional_status_info_text', type: cstr(1, 256) },
  { tag: 0x001e, name: 'receipted_message_id', type: cstr(1, 65) },
  { tag: 0x0030, name: 'ms_msg_wait_facilities', type: i1 },
  { tag: 0x0201, name: 'privacy_indicator', type: i1 },
  { tag: 0x0202, name: 'source_subaddress', type: oct(2, 23) },
  { tag: 0x0203, name: 'dest_subaddress', type: oct(2, 23) },
  { tag: 0x0204, name: 'user_message_reference', type: i2 },
  { tag: 0x0205, name: 'user_response_code', type: i1 },
  { tag: 0x020a, name: 'source_port', type: i2 },
  { tag: 0x020b, name: 'dest_port', type: i2 }, // v3.4 name: destination_port
  { tag: 0x020c, name: 'sar_msg_ref_num', type: i2 },
  { tag: 0x020d, name: 'language_indicator', type: i1 },
  { tag: 0x020e, name: 'sar_total_segments', type: i1 },
  { tag: 0x020f, name: 'sar_segment_seqnum', type: i1 },
  { tag: 0x0210, name: 'sc_interface_version', type: i1 },
  { tag: 0x0302, name: 'callback_num_pres_ind', type: i1, repeatable: true },
  { tag: 0x0303, name: 'callback_num_atag', type: oct(0, 65), repeatable: true },
  { tag: 0x0304, name: 'number_of_messages', type: i1 },
  { tag: 0x0381, name: 'callback_num', type: oct(4, 19), repeatable: true },
  { tag: 0x0420, name: 'dpf_result', type: i1 },
  { tag: 0x0421, name: 'set_dpf', type: i1 },
  { tag: 0x0422, name: 'ms_availability_status', type: i1 },
  { tag: 0x0423, name: 'network_error_code', type: { kind: 'network_error_code' } },
  { tag: 0x0424, name: 'message_payload', type: oct(0, 0xffff) },
  { tag: 0x0425, name: 'delivery_failure_reason', type: i1 },
  { tag: 0x0426, name: 'more_messages_to_send', type: i1 },
  { tag: 0x0427, name: 'message_state', type: i1 },
  { tag: 0x0428, name: 'congestion_state', type: i1 },
  { tag: 0x0501, name: 'ussd_service_op', type: i1 },
  { tag: 0x0600, name: 'broadcast_channel_indicator', type: i1 },
  { tag: 0x0601, name: 'broadcast_content_type', type: { kind: 'broadcast_content_type' } },
  { tag: 0x0602, name: 'broadcast_content_type_info', type: oct(1, 255) },
  { tag: 0x0603, name: 'broadcast_message_class', type: i1 },
  { tag: 0x0604, name: 'broadcast_rep_num', type: i2 },
  { tag: 0x0605, name: 'broadcast_frequency_interval', type: { kind: 'broadcast_frequency_interval' } },
  { tag: 0x0606, name: 'broadcast_area_identifier', type: { kind: 'broadcast_area' }, repeatable: true },
  // Same tag as broadcast_area_identifier; this name is used in broadcast_sm_resp (see pdu-table.ts).
  { tag: 0x0606, name: 'failed_broadcast_area_identifier', type: { kind: 'broadcast_area' }, repeatable: true },
  { tag: 0x0607, name: 'broadcast_error_status', type: i4, repeatable: true },
  { tag: 0x0608, name: 'broadcast_area_success', type: i1 },
  { tag: 0x0609, name: 'broadcast_end_time', type: cstr(1, 17) },
  { tag: 0x060a, name: 'broadcast_service_group', type: oct(1, 255) },
  { tag: 0x060b, name: 'billing_identification', type: oct(1, 1024) },
  { tag: 0x060d, name: 'source_network_id', type: cstr(7, 65) },
  { tag: 0x060e, name: 'dest_network_id', type: cstr(7, 65) },
  { tag: 0x060f, name: 'source_node_id', type: oct(6, 6) },
  { tag: 0x0610, name: 'dest_node_id', type: oct(6, 6) },
  { tag: 0x0611, name: 'dest_addr_np_resolution', type: i1 },
  { tag: 0x0612, name: 'dest_addr_np_information', type: oct(10, 10) },
  { tag: 0x0613, name: 'dest_addr_np_country', type: { kind: 'uintvar', min: 1, max: 5 } },
  { tag: 0x1201, name: 'display_time', type: i1 },
  { tag: 0x1203, name: 'sms_signal', type: i2 },
  { tag: 0x1204, name: 'ms_validity', type: { kind: 'ms_validity' } },
  { tag: 0x130c, name: 'alert_on_message_delivery', type: { kind: 'flag_or_int1' } },
  { tag: 0x1380, name: 'its_reply_type', type: i1 },
  { tag: 0x1383, name: 'its_session_info', type: oct(2, 2) },
] as const satisfies readonly TlvDef[];

type TlvRow = (typeof TLV_TABLE)[number];
export type TlvName = TlvRow['name'];

export interface NetworkErrorCode {
  /** v5.0: 1 ANSI-136 access denied reason, 2 IS-95 access denied reason, 3 GSM, 4 ANSI-136 cause code, 5 IS-95 cause code, 6 ANSI-41 error, 7 SMPP error, 8 MC-specific */
  type: number;
  code: number;
}
export interface BroadcastContentType {
  /** 0 generic, 1 GSM, 2 TDMA, 3 CDMA */
  network_type: number;
  content_type: number;
}
export interface BroadcastFrequencyInterval {
  /** 0x00 as frequently as possible, 0x08 seconds, 0x09 minutes, 0x0A hours, 0x0B days, 0x0C weeks, 0x0D months, 0x0E years */
  time_unit: number;
  number: number;
}
export interface BroadcastArea {
  /** 0 alias/name, 1 ellipsoid arc, 2 polygon */
  format: number;
  details: Buffer;
}
export type MsValidity = number | { behaviour: number; time_unit: number; number: number };

type KindValue<K> = K extends { kind: 'int' | 'uintvar' }
  ? number
  : K extends { kind: 'cstring' }
    ? string
    : K extends { kind: 'octets' }
      ? Buffer
      : K extends { kind: 'network_error_code' }
        ? NetworkErrorCode
        : K extends { kind: 'broadcast_content_type' }
          ? BroadcastContentType
          : K extends { kind: 'broadcast_frequency_interval' }
            ? BroadcastFrequencyInterval
            : K extends { kind: 'broadcast_area' }
              ? BroadcastArea
              : K extends { kind: 'flag_or_int1' }
                ? true | number // true = present with length 0
                : K extends { kind: 'ms_validity' }
                  ? MsValidity
                  : never;

type TlvValue<R> = R extends { repeatable: true; type: infer K }
  ? KindValue<K>[]
  : R extends { type: infer K }
    ? KindValue<K>
    : never;

/** Known TLVs of a PDU, keyed by spec name; key order is wire order. Repeatable TLVs are arrays. */
export type Tlvs = { -readonly [R in TlvRow as R['name']]?: TlvValue<R> };

/** A TLV whose tag is not in the table (vendor 0x1400–0x3FFF or unknown), kept byte for byte. */
export interface UnknownTlv {
  tag: number;
  value: Buffer;
  /**
   * Wire position: written after this many known TLV instances (those of `tlvs`, in key order, a repeatable one
   * once per value). Absent: after all known TLVs. Decoding sets it only for an unknown TLV followed by known ones.
   */
  after?: number;
}

/** TLV tags by spec name. */
export const TlvTag = Object.freeze(Object.fromEntries(TLV_TABLE.map((t) => [t.name, t.tag]))) as {
  readonly [R in TlvRow as R['name']]: R['tag'];
};

export const tlvByName: ReadonlyMap<string, TlvDef> = new Map(TLV_TABLE.map((t) => [t.name, t]));
/** Tag → definition; for tag 0x0606 this is broadcast_area_identifier (PDUs may override, see pdu-table.ts). */
export const tlvByTag: ReadonlyMap<number, TlvDef> = new Map(
  TLV_TABLE.filter((t) => t.name !== 'failed_broadcast_area_identifier').map((t) => [t.tag, t]),
);
