// The two error types of the codec. Decoding bad bytes throws only SmppDecodeError; encoding a value that
// breaks a spec limit throws only SmppEncodeError.
import { statusName } from './status.js';

/** Stable machine codes of decode errors. */
export type SmppDecodeErrorCode =
  | 'BAD_COMMAND_LENGTH' // command_length < 16, > maximum, or not equal to the frame: framing is lost (fatal)
  | 'UNKNOWN_COMMAND' // command_id not in the table
  | 'TRUNCATED' // a mandatory field runs past the end of the PDU
  | 'FIELD_TOO_LONG' // a C-string without its NUL within the spec maximum
  | 'BAD_FIELD' // a field value the spec forbids (dest_flag, time field length, …)
  | 'BAD_TLV_STREAM' // stray octets after the last TLV, or a TLV length running past the end
  | 'BAD_TLV_LENGTH' // a known TLV with a length its type does not allow
  | 'BAD_TLV_VALUE' // a known TLV whose value breaks its type (a C-string TLV without its NUL at the end)
  | 'MISSING_TLV'; // a mandatory TLV is absent

export interface SmppDecodeErrorInit {
  code: SmppDecodeErrorCode;
  commandStatus: number;
  fatal?: boolean;
  commandId?: number;
  sequenceNumber?: number;
  field?: string;
}

export class SmppDecodeError extends Error {
  override readonly name = 'SmppDecodeError';
  readonly code: SmppDecodeErrorCode;
  /** The command_status a peer should be answered with (in the matching _resp, or generic_nack). */
  readonly commandStatus: number;
  /** The stream cannot continue (framing lost): close the connection after answering. */
  readonly fatal: boolean;
  readonly commandId?: number;
  readonly sequenceNumber?: number;
  /** The field or TLV at fault, when there is one. */
  readonly field?: string;

  constructor(message: string, init: SmppDecodeErrorInit) {
    super(`${message} (${statusName(init.commandStatus)})`);
    this.code = init.code;
    this.commandStatus = init.commandStatus;
    this.fatal = init.fatal ?? false;
    if (init.commandId !== undefined) this.commandId = init.commandId;
    if (init.sequenceNumber !== undefined) this.sequenceNumber = init.sequenceNumber;
    if (init.field !== undefined) this.field = init.field;
  }
}

export class SmppEncodeError extends Error {
  override readonly name = 'SmppEncodeError';
  /** The field or TLV at fault (`source_addr`, `tlvs.message_state`, …). */
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}
