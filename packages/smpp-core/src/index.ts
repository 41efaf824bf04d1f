// Public API of @smppkit/core.

export * from './commands.js';
export * from './constants.js';
export * from './errors.js';
export type { PduFramerOptions } from './framer.js';
export { DEFAULT_MAX_COMMAND_LENGTH, PduFramer } from './framer.js';
export type { DecodeOptions, EncodeOptions } from './pdu-codec.js';
export { decodePdu, encodePdu, encodeWithHeader } from './pdu-codec.js';
export type { LeniencyWarning, Strictness } from './pdu-reader.js';
export * from './receipt.js';
export * from './receipt-id.js';
export * from './receipt-lazy.js';
export * from './session/index.js';
export * from './status.js';
export * from './time.js';
export { LENIENT_CSTRING_MAX } from './tlv-reader.js';
export type {
  BroadcastArea,
  BroadcastContentType,
  BroadcastFrequencyInterval,
  MsValidity,
  NetworkErrorCode,
  TlvDef,
  TlvKind,
  TlvName,
} from './tlv-table.js';
export { TLV_TABLE, TlvTag, tlvByName, tlvByTag } from './tlv-table.js';
