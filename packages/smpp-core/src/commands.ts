// The one table of SMPP commands (v3.4 + v5.0): name, command_id, version, and the declarative body layout.
// CommandId, the Pdu types, and the codec (pdu-codec.ts) are all derived from this table.
import type { CommandStatusName } from './status.js';
import type { TlvName } from './tlv-table.js';

/** One mandatory body field. C-string `max` is the spec size including the NUL. */
export type FieldDef =
  | { readonly name: string; readonly type: 'u8' }
  | { readonly name: string; readonly type: 'cstring'; readonly max: number; readonly status: CommandStatusName }
  // C(1|17): '' or exactly 16 characters (SMPP absolute or relative time; absoluteOnly: no relative form)
  | {
      readonly name: string;
      readonly type: 'time';
      readonly status: CommandStatusName;
      readonly absoluteOnly?: boolean;
    }
  // sm_length (I1) + short_message (O(sm_length)); sm_length is derived, never a field of the object
  | { readonly name: 'short_message'; readonly type: 'short_message' }
  // number_of_dests (I1) + dest_address[]: each dest_flag 1 = SME address, 2 = distribution list
  | { readonly name: 'dest_address'; readonly type: 'dest_address' }
  // no_unsuccess (I1) + unsuccess_sme[]
  | { readonly name: 'unsuccess_sme'; readonly type: 'unsuccess_sme' };

export interface CommandDef {
  readonly name: string;
  readonly id: number;
  readonly since: '3.4' | '5.0';
  readonly body: readonly FieldDef[];
  /** TLVs that must be present (checked on decode and encode; for responses only when command_status is 0). */
  readonly mandatoryTlvs?: readonly TlvName[];
  /** TLV tags that carry another name in this PDU (0x0606 is failed_broadcast_area_identifier in broadcast_sm_resp). */
  readonly tlvNames?: Readonly<Record<number, TlvName>>;
}

const u8 = <N extends string>(name: N) => ({ name, type: 'u8' }) as const;
const cstr = <N extends string, M extends number, S extends CommandStatusName>(name: N, max: M, status: S) =>
  ({ name, type: 'cstring', max, status }) as const;
const time = <N extends string, S extends CommandStatusName>(name: N, status: S) =>
  ({ name, type: 'time', status }) as const;
const shortMessage = { name: 'short_message', type: 'short_message' } as const;

const BIND = [
  cstr('system_id', 16, 'ESME_RINVSYSID'),
  cstr('password', 9, 'ESME_RINVPASWD'),
  cstr('system_type', 13, 'ESME_RINVSYSTYP'),
  u8('interface_version'),
  u8('addr_ton'),
  u8('addr_npi'),
  cstr('address_range', 41, 'ESME_RINVSRCADR'),
] as const;
const BIND_RESP = [cstr('system_id', 16, 'ESME_RINVSYSID')] as const;
const SERVICE_TYPE = cstr('service_type', 6, 'ESME_RINVSERTYP');
const MESSAGE_ID = cstr('message_id', 65, 'ESME_RINVMSGID');
const SRC21 = [u8('source_addr_ton'), u8('source_addr_npi'), cstr('source_addr', 21, 'ESME_RINVSRCADR')] as const;
const DST21 = [u8('dest_addr_ton'), u8('dest_addr_npi'), cstr('destination_addr', 21, 'ESME_RINVDSTADR')] as const;
const SM_TAIL = [
  u8('esm_class'),
  u8('protocol_id'),
  u8('priority_flag'),
  time('schedule_delivery_time', 'ESME_RINVSCHED'),
  time('validity_period', 'ESME_RINVEXPIRY'),
  u8('registered_delivery'),
  u8('replace_if_present_flag'),
  u8('data_coding'),
  u8('sm_default_msg_id'),
  shortMessage,
] as const;
const SUBMIT_SM = [SERVICE_TYPE, ...SRC21, ...DST21, ...SM_TAIL] as const;

export const COMMAND_TABLE = [
  { name: 'generic_nack', id: 0x80000000, since: '3.4', body: [] },
  { name: 'bind_receiver', id: 0x00000001, since: '3.4', body: BIND },
  { name: 'bind_receiver_resp', id: 0x80000001, since: '3.4', body: BIND_RESP },
  { name: 'bind_transmitter', id: 0x00000002, since: '3.4', body: BIND },
  { name: 'bind_transmitter_resp', id: 0x80000002, since: '3.4', body: BIND_RESP },
  { name: 'query_sm', id: 0x00000003, since: '3.4', body: [MESSAGE_ID, ...SRC21] },
  {
    name: 'query_sm_resp',
    id: 0x80000003,
    since: '3.4',
    body: [
      MESSAGE_ID,
      { ...time('final_date', 'ESME_RINVEXPIRY'), absoluteOnly: true },
      u8('message_state'),
      u8('error_code'),
    ],
  },
  { name: 'submit_sm', id: 0x00000004, since: '3.4', body: SUBMIT_SM },
  { name: 'submit_sm_resp', id: 0x80000004, since: '3.4', body: [MESSAGE_ID] },
  { name: 'deliver_sm', id: 0x00000005, since: '3.4', body: SUBMIT_SM },
  { name: 'deliver_sm_resp', id: 0x80000005, since: '3.4', body: [MESSAGE_ID] },
  { name: 'unbind', id: 0x00000006, since: '3.4', body: [] },
  { name: 'unbind_resp', id: 0x80000006, since: '3.4', body: [] },
  {
    name: 'replace_sm',
    id: 0x00000007,
    since: '3.4',
    body: [
      MESSAGE_ID,
      ...SRC21,
      time('schedule_delivery_time', 'ESME_RINVSCHED'),
      time('validity_period', 'ESME_RINVEXPIRY'),
      u8('registered_delivery'),
      u8('sm_default_msg_id'),
      shortMessage,
    ],
  },
  { name: 'replace_sm_resp', id: 0x80000007, since: '3.4', body: [] },
  { name: 'cancel_sm', id: 0x00000008, since: '3.4', body: [SERVICE_TYPE, MESSAGE_ID, ...SRC21, ...DST21] },
  { name: 'cancel_sm_resp', id: 0x80000008, since: '3.4', body: [] },
  { name: 'bind_transceiver', id: 0x00000009, since: '3.4', body: BIND },
  { name: 'bind_transceiver_resp', id: 0x80000009, since: '3.4', body: BIND_RESP },
  {
    name: 'outbind',
    id: 0x0000000b,
    since: '3.4',
    body: [cstr('system_id', 16, 'ESME_RINVSYSID'), cstr('password', 9, 'ESME_RINVPASWD')],
  },
  { name: 'enquire_link', id: 0x00000015, since: '3.4', body: [] },
  { name: 'enquire_link_resp', id: 0x80000015, since: '3.4', body: [] },
  {
    name: 'submit_multi',
    id: 0x00000021,
    since: '3.4',
    body: [SERVICE_TYPE, ...SRC21, { name: 'dest_address', type: 'dest_address' }, ...SM_TAIL],
  },
  {
    name: 'submit_multi_resp',
    id: 0x80000021,
    since: '3.4',
    body: [MESSAGE_ID, { name: 'unsuccess_sme', type: 'unsuccess_sme' }],
  },
  {
    name: 'alert_notification',
    id: 0x00000102,
    since: '3.4',
    body: [
      u8('source_addr_ton'),
      u8('source_addr_npi'),
      cstr('source_addr', 65, 'ESME_RINVSRCADR'),
      u8('esme_addr_ton'),
      u8('esme_addr_npi'),
      cstr('esme_addr', 65, 'ESME_RINVDSTADR'),
    ],
  },
  {
    name: 'data_sm',
    id: 0x00000103,
    since: '3.4',
    body: [
      SERVICE_TYPE,
      u8('source_addr_ton'),
      u8('source_addr_npi'),
      cstr('source_addr', 65, 'ESME_RINVSRCADR'),
      u8('dest_addr_ton'),
      u8('dest_addr_npi'),
      cstr('destination_addr', 65, 'ESME_RINVDSTADR'),
      u8('esm_class'),
      u8('registered_delivery'),
      u8('data_coding'),
    ],
  },
  { name: 'data_sm_resp', id: 0x80000103, since: '3.4', body: [MESSAGE_ID] },
  {
    name: 'broadcast_sm',
    id: 0x00000111,
    since: '5.0',
    body: [
      SERVICE_TYPE,
      ...SRC21,
      MESSAGE_ID,
      u8('priority_flag'),
      time('schedule_delivery_time', 'ESME_RINVSCHED'),
      time('validity_period', 'ESME_RINVEXPIRY'),
      u8('replace_if_present_flag'),
      u8('data_coding'),
      u8('sm_default_msg_id'),
    ],
    mandatoryTlvs: [
      'broadcast_area_identifier',
      'broadcast_content_type',
      'broadcast_rep_num',
      'broadcast_frequency_interval',
    ],
  },
  {
    name: 'broadcast_sm_resp',
    id: 0x80000111,
    since: '5.0',
    body: [MESSAGE_ID],
    tlvNames: { 0x0606: 'failed_broadcast_area_identifier' },
  },
  { name: 'query_broadcast_sm', id: 0x00000112, since: '5.0', body: [MESSAGE_ID, ...SRC21] },
  {
    name: 'query_broadcast_sm_resp',
    id: 0x80000112,
    since: '5.0',
    body: [MESSAGE_ID],
    mandatoryTlvs: ['message_state', 'broadcast_area_identifier', 'broadcast_area_success'],
  },
  { name: 'cancel_broadcast_sm', id: 0x00000113, since: '5.0', body: [SERVICE_TYPE, MESSAGE_ID, ...SRC21] },
  { name: 'cancel_broadcast_sm_resp', id: 0x80000113, since: '5.0', body: [] },
] as const satisfies readonly CommandDef[];

type CommandRow = (typeof COMMAND_TABLE)[number];
export type CommandName = CommandRow['name'];
export type ResponseName = Extract<CommandName, `${string}_resp`> | 'generic_nack';
export type RequestName = Exclude<CommandName, ResponseName>;

/** command_id by command name. */
export const CommandId = Object.freeze(Object.fromEntries(COMMAND_TABLE.map((c) => [c.name, c.id]))) as {
  readonly [R in CommandRow as R['name']]: R['id'];
};

export const commandByName: ReadonlyMap<string, CommandDef> = new Map(COMMAND_TABLE.map((c) => [c.name, c]));
export const commandById: ReadonlyMap<number, CommandDef> = new Map(COMMAND_TABLE.map((c) => [c.id, c]));

/** The command name of a command_id, or undefined when the id is unknown. */
export function commandName(id: number): CommandName | undefined {
  return commandById.get(id >>> 0)?.name as CommandName | undefined;
}

export function isResponseId(id: number): boolean {
  return (id & 0x80000000) !== 0;
}

/** `<request>_resp` of every request that has one, computed once (no string built per lookup). */
const RESPONSE_NAME: ReadonlyMap<string, CommandName> = new Map(
  COMMAND_TABLE.filter((c) => commandByName.has(`${c.name}_resp`)).map((c) => [
    c.name,
    `${c.name}_resp` as CommandName,
  ]),
);

/**
 * The response to a request (`submit_sm` → `submit_sm_resp`); undefined for outbind and alert_notification, for
 * responses and for names that are not commands.
 */
export function responseNameOf<N extends RequestName>(
  name: N,
): `${N}_resp` extends CommandName ? `${N}_resp` : undefined;
export function responseNameOf(name: string): CommandName | undefined;
export function responseNameOf(name: string): CommandName | undefined {
  return RESPONSE_NAME.get(name);
}

// ---- types derived from the table ------------------------------------------------------------------

/** One destination of submit_multi. */
export type DestAddress =
  | { dest_flag: 1; dest_addr_ton: number; dest_addr_npi: number; destination_addr: string }
  | { dest_flag: 2; dl_name: string };

/** One failed destination of submit_multi_resp. */
export interface UnsuccessSme {
  dest_addr_ton: number;
  dest_addr_npi: number;
  destination_addr: string;
  /** a command_status value */
  error_status_code: number;
}

type FieldValue<F> = F extends { type: 'u8' }
  ? number
  : F extends { type: 'cstring' | 'time' }
    ? string
    : F extends { type: 'short_message' }
      ? Buffer
      : F extends { type: 'dest_address' }
        ? DestAddress[]
        : F extends { type: 'unsuccess_sme' }
          ? UnsuccessSme[]
          : never;

type Simplify<T> = { [K in keyof T]: T[K] } & {};
type BodyFields<B extends readonly unknown[]> = {
  -readonly [F in B[number] as F extends { name: infer N extends string } ? N : never]: FieldValue<F>;
};
type RowOf<N extends CommandName> = Extract<CommandRow, { name: N }>;

export type { Tlvs, UnknownTlv } from './tlv-table.js';

import type { Tlvs, UnknownTlv } from './tlv-table.js';

export interface PduHeader<N extends CommandName = CommandName> {
  command: N;
  /** 0 in requests */
  command_status: number;
  /** 1..0x7FFFFFFF (0 only for a generic_nack to an unreadable PDU) */
  sequence_number: number;
  /** known TLVs keyed by spec name, in wire order */
  tlvs?: Tlvs;
  /** unknown and vendor TLVs, written back byte for byte */
  unknown_tlvs?: UnknownTlv[];
}

/** The PDU object of one command. Response bodies are optional: an error response usually has none. */
export type PduOf<N extends CommandName> = Simplify<
  PduHeader<N> & (N extends ResponseName ? Partial<BodyFields<RowOf<N>['body']>> : BodyFields<RowOf<N>['body']>)
>;

/** Every SMPP PDU, discriminated on `command`. */
export type Pdu = { [N in CommandName]: PduOf<N> }[CommandName];
export type RequestPdu = { [N in RequestName]: PduOf<N> }[RequestName];
export type ResponsePdu = { [N in ResponseName]: PduOf<N> }[ResponseName];
