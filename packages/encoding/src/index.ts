/**
 * @smppkit/encoding — SMS text ⇄ bytes for every SMPP data_coding, exact segment counting, long-message
 * splitting (UDH 8/16-bit reference, SAR, message_payload), the UDH itself, and reassembly.
 * Imports nothing of ours; at runtime only iconv-lite.
 */

export { chooseEncoding, type EncodingChoice } from './choose.js';
export { countMessage, type MessageCount } from './count.js';
export {
  type Alphabet,
  type DataCodingInfo,
  dataCodingFor,
  describeDataCoding,
  type Ia5Meaning,
  type SmscDefault,
} from './data-coding.js';
export { EncodingError, type EncodingErrorCode } from './errors.js';
export {
  DEFAULT_TABLES,
  type LanguageTables,
  languageIdByName,
  languageTables,
  nationalLanguageIds,
  registerLanguage,
} from './gsm-tables.js';
export {
  decodeSeptets,
  encodeSeptets,
  firstUnencodable,
  type GsmCodec,
  gsmCodec,
  type NationalLanguage,
  type UnencodablePolicy,
} from './gsm7.js';
export { TP_UD_OCTETS, type UnitKind, unitsPerPart } from './limits.js';
export { fillBitsForUdh, packedLength, packSeptets, unpackSeptets } from './pack7.js';
export { type MessageEncoding, type MessageOptions, type Plan, planMessage, type SplitMode } from './plan.js';
export {
  type DroppedMessage,
  type DuplicatePart,
  type IncomingPart,
  type ReassembledMessage,
  Reassembler,
  type ReassemblerOptions,
} from './reassembler.js';
export { defaultReferences, ReferenceAllocator } from './reference.js';
export { type MessagePart, type SarValues, type SplitOptions, type SplitResult, splitMessage } from './split.js';
export { type DecodeOptions, decodeText, encodeText, type TextOptions } from './text-codec.js';
export { decodeUtf16be, encodeUtf16be } from './ucs2.js';
export { buildUdh, IEI, type InformationElement, type ParsedUdh, parseUdh, udhLength } from './udh.js';
