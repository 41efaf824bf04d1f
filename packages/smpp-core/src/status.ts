// command_status: the one table of status codes (value, v5.0 name, v3.4 alias, description).
// CommandStatus, statusName() and statusDescription() are derived from it.

const STATUS_TABLE = [
  [0x00000000, 'ESME_ROK', undefined, 'No error'],
  [0x00000001, 'ESME_RINVMSGLEN', undefined, 'Message length is invalid'],
  [0x00000002, 'ESME_RINVCMDLEN', undefined, 'Command length is invalid'],
  [0x00000003, 'ESME_RINVCMDID', undefined, 'Invalid command ID'],
  [0x00000004, 'ESME_RINVBNDSTS', undefined, 'Incorrect bind status for given command'],
  [0x00000005, 'ESME_RALYBND', undefined, 'ESME already in bound state'],
  [0x00000006, 'ESME_RINVPRTFLG', undefined, 'Invalid priority flag'],
  [0x00000007, 'ESME_RINVREGDLVFLG', undefined, 'Invalid registered delivery flag'],
  [0x00000008, 'ESME_RSYSERR', undefined, 'System error'],
  [0x0000000a, 'ESME_RINVSRCADR', undefined, 'Invalid source address'],
  [0x0000000b, 'ESME_RINVDSTADR', undefined, 'Invalid destination address'],
  [0x0000000c, 'ESME_RINVMSGID', undefined, 'Message ID is invalid'],
  [0x0000000d, 'ESME_RBINDFAIL', undefined, 'Bind failed'],
  [0x0000000e, 'ESME_RINVPASWD', undefined, 'Invalid password'],
  [0x0000000f, 'ESME_RINVSYSID', undefined, 'Invalid system ID'],
  [0x00000011, 'ESME_RCANCELFAIL', undefined, 'cancel_sm failed'],
  [0x00000013, 'ESME_RREPLACEFAIL', undefined, 'replace_sm failed'],
  [0x00000014, 'ESME_RMSGQFUL', undefined, 'Message queue full'],
  [0x00000015, 'ESME_RINVSERTYP', undefined, 'Invalid service type'],
  [0x00000033, 'ESME_RINVNUMDESTS', undefined, 'Invalid number of destinations'],
  [0x00000034, 'ESME_RINVDLNAME', undefined, 'Invalid distribution list name'],
  [0x00000040, 'ESME_RINVDESTFLAG', undefined, 'Destination flag is invalid (submit_multi)'],
  [0x00000042, 'ESME_RINVSUBREP', undefined, 'Submit with replace invalid (replace_if_present_flag)'],
  [0x00000043, 'ESME_RINVESMCLASS', undefined, 'Invalid esm_class field data'],
  [0x00000044, 'ESME_RCNTSUBDL', undefined, 'Cannot submit to distribution list'],
  [0x00000045, 'ESME_RSUBMITFAIL', undefined, 'submit_sm, submit_multi or data_sm failed'],
  [0x00000048, 'ESME_RINVSRCTON', undefined, 'Invalid source address TON'],
  [0x00000049, 'ESME_RINVSRCNPI', undefined, 'Invalid source address NPI'],
  [0x00000050, 'ESME_RINVDSTTON', undefined, 'Invalid destination address TON'],
  [0x00000051, 'ESME_RINVDSTNPI', undefined, 'Invalid destination address NPI'],
  [0x00000053, 'ESME_RINVSYSTYP', undefined, 'Invalid system_type field'],
  [0x00000054, 'ESME_RINVREPFLAG', undefined, 'Invalid replace_if_present flag'],
  [0x00000055, 'ESME_RINVNUMMSGS', undefined, 'Invalid number of messages'],
  [0x00000058, 'ESME_RTHROTTLED', undefined, 'Throttling error (ESME has exceeded allowed message limits)'],
  [0x00000061, 'ESME_RINVSCHED', undefined, 'Invalid scheduled delivery time'],
  [0x00000062, 'ESME_RINVEXPIRY', undefined, 'Invalid message validity period (expiry time)'],
  [0x00000063, 'ESME_RINVDFTMSGID', undefined, 'Predefined message invalid or not found'],
  [0x00000064, 'ESME_RX_T_APPN', undefined, 'ESME receiver temporary application error'],
  [0x00000065, 'ESME_RX_P_APPN', undefined, 'ESME receiver permanent application error'],
  [0x00000066, 'ESME_RX_R_APPN', undefined, 'ESME receiver reject message error'],
  [0x00000067, 'ESME_RQUERYFAIL', undefined, 'query_sm request failed'],
  [
    0x000000c0,
    'ESME_RINVTLVSTREAM',
    'ESME_RINVOPTPARSTREAM',
    'Error in the optional part (TLV stream) of the PDU body',
  ],
  [0x000000c1, 'ESME_RTLVNOTALLWD', 'ESME_ROPTPARNOTALLWD', 'TLV not allowed'],
  [0x000000c2, 'ESME_RINVTLVLEN', 'ESME_RINVPARLEN', 'Invalid TLV (parameter) length'],
  [0x000000c3, 'ESME_RMISSINGTLV', 'ESME_RMISSINGOPTPARAM', 'Expected TLV missing'],
  [0x000000c4, 'ESME_RINVTLVVAL', 'ESME_RINVOPTPARAMVAL', 'Invalid TLV value'],
  [0x000000fe, 'ESME_RDELIVERYFAILURE', undefined, 'Transaction delivery failure'],
  [0x000000ff, 'ESME_RUNKNOWNERR', undefined, 'Unknown error'],
  [0x00000100, 'ESME_RSERTYPUNAUTH', undefined, 'ESME not authorised to use specified service_type'],
  [0x00000101, 'ESME_RPROHIBITED', undefined, 'ESME prohibited from using specified operation'],
  [0x00000102, 'ESME_RSERTYPUNAVAIL', undefined, 'Specified service_type is unavailable'],
  [0x00000103, 'ESME_RSERTYPDENIED', undefined, 'Specified service_type is denied'],
  [0x00000104, 'ESME_RINVDCS', undefined, 'Invalid data coding scheme'],
  [0x00000105, 'ESME_RINVSRCADDRSUBUNIT', undefined, 'Source address sub unit is invalid'],
  [0x00000106, 'ESME_RINVDSTADDRSUBUNIT', undefined, 'Destination address sub unit is invalid'],
  [0x00000107, 'ESME_RINVBCASTFREQINT', undefined, 'Broadcast frequency interval is invalid'],
  [0x00000108, 'ESME_RINVBCASTALIAS_NAME', undefined, 'Broadcast alias name is invalid'],
  [0x00000109, 'ESME_RINVBCASTAREAFMT', undefined, 'Broadcast area format is invalid'],
  [0x0000010a, 'ESME_RINVNUMBCAST_AREAS', undefined, 'Number of broadcast areas is invalid'],
  [0x0000010b, 'ESME_RINVBCASTCNTTYPE', undefined, 'Broadcast content type is invalid'],
  [0x0000010c, 'ESME_RINVBCASTMSGCLASS', undefined, 'Broadcast message class is invalid'],
  [0x0000010d, 'ESME_RBCASTFAIL', undefined, 'broadcast_sm operation failed'],
  [0x0000010e, 'ESME_RBCASTQUERYFAIL', undefined, 'query_broadcast_sm operation failed'],
  [0x0000010f, 'ESME_RBCASTCANCELFAIL', undefined, 'cancel_broadcast_sm operation failed'],
  [0x00000110, 'ESME_RINVBCAST_REP', undefined, 'Number of repeated broadcasts is invalid'],
  [0x00000111, 'ESME_RINVBCASTSRVGRP', undefined, 'Broadcast service group is invalid'],
  [0x00000112, 'ESME_RINVBCASTCHANIND', undefined, 'Broadcast channel indicator is invalid'],
] as const;

type Row = (typeof STATUS_TABLE)[number];
export type CommandStatusName = Row[1] | Exclude<Row[2], undefined>;

/** Every command_status by name: v5.0 names, plus the v3.4 aliases of the 0xC0–0xC4 group. */
export const CommandStatus = Object.freeze(
  Object.fromEntries(
    STATUS_TABLE.flatMap(([value, name, alias]): [string, number][] =>
      alias
        ? [
            [name, value],
            [alias, value],
          ]
        : [[name, value]],
    ),
  ),
) as { readonly [K in CommandStatusName]: number };

const byValue = new Map<number, { name: string; alias?: string; description: string }>(
  STATUS_TABLE.map(([value, name, alias, description]) => [value, { name, alias, description }]),
);

/** The v5.0 name of a command_status (`ESME_RINVTLVSTREAM`), or a descriptive fallback for vendor/reserved values. */
export function statusName(code: number): string {
  const row = byValue.get(code);
  if (row) return row.name;
  if (code >= 0x400 && code <= 0x4ff) return `VENDOR_0x${hex8(code)}`;
  return `0x${hex8(code)}`;
}

/** A human description of a command_status. */
export function statusDescription(code: number): string {
  const row = byValue.get(code);
  if (row) return row.description;
  if (code >= 0x400 && code <= 0x4ff) return 'MC vendor-specific error';
  return 'Reserved or unknown status';
}

function hex8(n: number): string {
  return (n >>> 0).toString(16).toUpperCase().padStart(8, '0');
}
