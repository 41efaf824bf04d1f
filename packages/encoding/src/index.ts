/**
 * @smppkit/encoding — SMS text ⇄ bytes for every SMPP data_coding, exact segment counting, long-message
 * splitting (UDH 8/16-bit reference, SAR, message_payload), the UDH itself, and reassembly.
 * Imports nothing of ours; at runtime only iconv-lite.
 */
export { EncodingError, type EncodingErrorCode } from './errors.js';
export {
  type Alphabet, type DataCodingInfo, type Ia5Meaning, type SmscDefault, dataCodingFor, describeDataCoding,
} from './data-coding.js';
export {
  type LanguageTables, DEFAULT_TABLES, languageIdByName, languageTables, nationalLanguageIds, registerLanguage,
} from './gsm-tables.js';
export {
  type GsmCodec, type NationalLanguage, type UnencodablePolicy, decodeSeptets, encodeSeptets,
  firstUnencodable, gsmCodec,
} from './gsm7.js';
export { fillBitsForUdh, packSeptets, packedLength, unpackSeptets } from './pack7.js';
export { decodeUtf16be, encodeUtf16be } from './ucs2.js';
export { type DecodeOptions, type TextOptions, decodeText, encodeText } from './text-codec.js';
export { type InformationElement, type ParsedUdh, IEI, buildUdh, parseUdh, udhLength } from './udh.js';
export { type UnitKind, TP_UD_OCTETS, unitsPerPart } from './limits.js';
export { type EncodingChoice, chooseEncoding } from './choose.js';
export { type MessageEncoding, type MessageOptions, type Plan, type SplitMode, planMessage } from './plan.js';
export { type MessageCount, countMessage } from './count.js';
export { type MessagePart, type SarValues, type SplitOptions, type SplitResult, splitMessage } from './split.js';
export { ReferenceAllocator, defaultReferences } from './reference.js';
export {
  type DroppedMessage, type DuplicatePart, type IncomingPart, type ReassembledMessage, type ReassemblerOptions, Reassembler,
} from './reassembler.js';
