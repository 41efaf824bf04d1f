// Enumerations of single-octet fields (v5.0 §4.7, v3.4 §5.2).

export const InterfaceVersion = Object.freeze({
  /** 0x00–0x33: v3.3 or earlier */
  V33: 0x33,
  V34: 0x34,
  V50: 0x50,
} as const);

/** Type of Number (addr_ton, source_addr_ton, dest_addr_ton, esme_addr_ton). */
export const Ton = Object.freeze({
  UNKNOWN: 0x00,
  INTERNATIONAL: 0x01,
  NATIONAL: 0x02,
  NETWORK_SPECIFIC: 0x03,
  SUBSCRIBER_NUMBER: 0x04,
  ALPHANUMERIC: 0x05,
  ABBREVIATED: 0x06,
} as const);

/** Numbering Plan Indicator (addr_npi, source_addr_npi, dest_addr_npi, esme_addr_npi). */
export const Npi = Object.freeze({
  UNKNOWN: 0x00,
  ISDN: 0x01, // E.163/E.164
  DATA: 0x03, // X.121
  TELEX: 0x04, // F.69
  LAND_MOBILE: 0x06, // E.212
  NATIONAL: 0x08,
  PRIVATE: 0x09,
  ERMES: 0x0a,
  INTERNET: 0x0e, // IP
  WAP_CLIENT_ID: 0x12,
} as const);

/** data_coding values (SMPP table; 0xF0–0xFF is the GSM message-class group). */
export const DataCoding = Object.freeze({
  /** v3.4 "SMSC default alphabet", v5.0 "MC specific": usually GSM 03.38 */
  DEFAULT: 0x00,
  IA5: 0x01, // ASCII
  /** octet unspecified (8-bit binary), defined for TDMA/CDMA */
  OCTET_UNSPECIFIED: 0x02,
  LATIN1: 0x03,
  /** octet unspecified (8-bit binary), all technologies: the one to use for GSM binary */
  BINARY: 0x04,
  JIS: 0x05,
  CYRILLIC: 0x06,
  LATIN_HEBREW: 0x07,
  UCS2: 0x08,
  PICTOGRAM: 0x09,
  ISO_2022_JP: 0x0a,
  EXTENDED_KANJI_JIS: 0x0d,
  KS_C_5601: 0x0e,
  /** 7-bit, message class 0 (flash) */
  FLASH_GSM: 0xf0,
  /** UCS2, message class 0 (flash) */
  FLASH_UCS2: 0x18,
  /** 8-bit, message class 2 (SIM-specific) */
  SIM_BINARY: 0xf6,
} as const);

/** esm_class bits: messaging mode (bits 1–0), message type (bits 5–2), GSM features (bits 7–6). */
export const EsmClass = Object.freeze({
  MODE_MASK: 0x03,
  MODE_DEFAULT: 0x00,
  MODE_DATAGRAM: 0x01,
  MODE_FORWARD: 0x02, // transaction
  MODE_STORE_AND_FORWARD: 0x03,
  TYPE_MASK: 0x3c,
  TYPE_DEFAULT: 0x00,
  /** MC delivery receipt (deliver_sm / data_sm MC→ESME) */
  TYPE_MC_DELIVERY_RECEIPT: 0x04,
  TYPE_SME_DELIVERY_ACK: 0x08,
  TYPE_SME_MANUAL_ACK: 0x10,
  TYPE_CONVERSATION_ABORT: 0x18,
  TYPE_INTERMEDIATE_NOTIFICATION: 0x20,
  /** user data begins with a UDH */
  UDHI: 0x40,
  REPLY_PATH: 0x80,
} as const);

/** registered_delivery bits. */
export const RegisteredDelivery = Object.freeze({
  MC_RECEIPT_MASK: 0x03,
  MC_RECEIPT_NONE: 0x00,
  /** receipt on success or failure */
  MC_RECEIPT_ALWAYS: 0x01,
  MC_RECEIPT_ON_FAILURE: 0x02,
  /** v5.0 only (reserved in v3.4) */
  MC_RECEIPT_ON_SUCCESS: 0x03,
  SME_ACK_MASK: 0x0c,
  SME_DELIVERY_ACK: 0x04,
  SME_MANUAL_ACK: 0x08,
  INTERMEDIATE_NOTIFICATION: 0x10,
} as const);

/** network_type of the network_error_code TLV. */
export const NetworkType = Object.freeze({
  ANSI_136: 1,
  IS_95: 2,
  GSM: 3,
  ANSI_136_ACCESS_DENIED: 4,
  IS_95_ACCESS_DENIED: 5,
  ANSI_41: 6,
  SMPP_ERROR: 7,
  MC_SPECIFIC: 8,
} as const);

/** message_state (query_sm_resp, message_state TLV). */
export const MessageState = Object.freeze({
  SCHEDULED: 0, // v5.0
  ENROUTE: 1,
  DELIVERED: 2,
  EXPIRED: 3,
  DELETED: 4,
  UNDELIVERABLE: 5,
  ACCEPTED: 6,
  UNKNOWN: 7,
  REJECTED: 8,
  SKIPPED: 9, // v5.0
} as const);

/** The receipt `stat:` text of each message_state (v3.4 Appendix B; SCHEDULED and SKIPPED have none standard). */
export const RECEIPT_STAT: Readonly<Record<number, string>> = Object.freeze({
  0: 'SCHEDULED',
  1: 'ENROUTE',
  2: 'DELIVRD',
  3: 'EXPIRED',
  4: 'DELETED',
  5: 'UNDELIV',
  6: 'ACCEPTD',
  7: 'UNKNOWN',
  8: 'REJECTD',
  9: 'SKIPPED',
});

/** The receipt stat text of a message_state. */
export function statOfMessageState(state: number): string | undefined {
  return RECEIPT_STAT[state];
}

/** The message_state of a receipt stat text (case-insensitive; also accepts the full state names). */
export function messageStateOfStat(stat: string): number | undefined {
  const exact = STATE_OF_STAT.get(stat); // the common case: an upper-case stat as written
  if (exact !== undefined) return exact;
  return STATE_OF_STAT.get(stat.trim().toUpperCase());
}

/** receipt stats and full state names → message_state */
const STATE_OF_STAT: ReadonlyMap<string, number> = new Map([
  ...Object.entries(MessageState as Record<string, number>),
  ...Object.entries(RECEIPT_STAT).map(([k, v]) => [v, Number(k)] as [string, number]),
]);
