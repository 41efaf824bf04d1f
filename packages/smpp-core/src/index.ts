// Public API of @smppkit/core.
export * from './session/index.js';

export * from './status.js';
export * from './errors.js';
export * from './commands.js';
export { TLV_TABLE, TlvTag, tlvByName, tlvByTag } from './tlv-table.js';
export type { TlvDef, TlvKind, TlvName, NetworkErrorCode, BroadcastContentType, BroadcastFrequencyInterval, BroadcastArea, MsValidity } from './tlv-table.js';
export * from './constants.js';
export { encodePdu, encodeWithHeader, decodePdu } from './pdu-codec.js';
export type { EncodeOptions, DecodeOptions } from './pdu-codec.js';
export type { Strictness, LeniencyWarning } from './pdu-reader.js';
export { LENIENT_CSTRING_MAX } from './tlv-codec.js';
export { PduFramer, DEFAULT_MAX_COMMAND_LENGTH } from './framer.js';
export type { PduFramerOptions } from './framer.js';
export * from './time.js';
export * from './receipt.js';
