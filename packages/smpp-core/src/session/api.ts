// The types of the Session API: what request(), respond(), send() and bind() take and give, and the events; and
// the bind request built from BindOptions.

import type { CommandName, Pdu, PduOf, RequestName, RequestPdu, ResponsePdu } from '../commands.js';
import type { LeniencyWarning } from '../pdu-reader.js';
import { type BindCommand, type BindType, bindCommand, type SessionState } from './states.js';

export type CloseReason =
  | 'unbind'
  | 'peer-closed'
  | 'inactivity'
  | 'session-init-timeout'
  | 'framing-error'
  | 'error'
  | 'local';

export type TraceHook = (dir: 'in' | 'out', pdu: Pdu | null, bytes: Buffer) => void;

export interface BindOptions {
  type: BindType;
  system_id: string;
  password: string;
  system_type?: string;
  interface_version?: number;
  addr_ton?: number;
  addr_npi?: number;
  address_range?: string;
}

/** The bind request of BindOptions: the fields left out get their defaults (interface_version 0x34). */
export function bindRequest(options: BindOptions): RequestInput<BindCommand> {
  return {
    command: bindCommand(options.type),
    system_id: options.system_id,
    password: options.password,
    system_type: options.system_type ?? '',
    interface_version: options.interface_version ?? 0x34,
    addr_ton: options.addr_ton ?? 0,
    addr_npi: options.addr_npi ?? 0,
    address_range: options.address_range ?? '',
  };
}

/** The body fields of a command as the application gives them: every one optional (left out = its NULL value). */
type BodyInput<N extends CommandName> = Partial<Omit<PduOf<N>, 'command' | 'command_status' | 'sequence_number'>>;

/**
 * A request as the application hands it over: no sequence_number (the session assigns it), command_status
 * optional, and body fields optional too: a field left out is encoded as its NULL value (0 or '').
 */
export type RequestInput<N extends RequestName = RequestName> = N extends RequestName
  ? { command: N; command_status?: number } & BodyInput<N>
  : never;

/** The response command of a request (never for outbind / alert_notification, which get none). */
export type ResponseNameOf<N extends RequestName> = N extends RequestName
  ? `${N}_resp` extends CommandName
    ? `${N}_resp`
    : never
  : never;

/** What respond() needs of a received request: its command and sequence number (of a bind, its interface_version). */
export interface ReceivedPdu {
  readonly command: string;
  readonly sequence_number: number;
}

/** What request() resolves with: the matching response, or a generic_nack. */
export type ResponseTo<N extends RequestName> = PduOf<ResponseNameOf<N>> | PduOf<'generic_nack'>;

/**
 * Fields of the response given to respond(); `command: 'generic_nack'` answers with a generic_nack instead.
 * For a request whose command is not known statically (a `RequestPdu`), any response's fields are accepted.
 */
export type ResponseFields<N extends RequestName = RequestName> =
  | (N extends RequestName
      ? { command?: ResponseNameOf<N>; command_status?: number } & BodyInput<ResponseNameOf<N>>
      : never)
  | { command: 'generic_nack'; command_status: number };

/** The fields respond() takes for a request: its own response's when the request is typed, any response's when not. */
export type ResponseFieldsFor<P extends ReceivedPdu> = P extends RequestPdu
  ? ResponseFields<P['command']>
  : ResponseFields;

/** A PDU for send(): sequence_number, command_status and body fields may be left out. */
export type SendInput<N extends CommandName = CommandName> = N extends CommandName
  ? { command: N; command_status?: number; sequence_number?: number } & BodyInput<N>
  : never;

/** What a session counts (`session.stats`; the numbers only grow). */
export interface SessionStats {
  /** PDUs from the peer that could not be decoded (each answered with its status, or closing when fatal). */
  decodeErrors: number;
  /** Fields accepted by lenient decoding though longer than the spec allows (one per field, see 'lenient'). */
  leniency: number;
  /**
   * Requests whose sequence_number was that of a request of the peer still unanswered: refused with their `_resp`
   * ESME_RSYSERR, never handed to the application (see the README, "Duplicate sequence numbers").
   */
  duplicates: number;
  /** Requests read once unbind() began: refused with their `_resp` ESME_RINVBNDSTS, never handed to the application. */
  refusedUnbinding: number;
}

export interface SessionEvents {
  /**
   * A request for the application (answer it with respond() unless it gets no response: outbind,
   * alert_notification). `frame` is the whole PDU as received, header included: its own memory, made by the
   * framer and never reused by the session, so it can be kept (stored, forwarded) as it is. The PDU's Buffers
   * (short_message, octet-string TLVs) are views into it.
   */
  request: [pdu: RequestPdu, frame: Buffer];
  state: [state: SessionState, prev: SessionState];
  unexpectedResponse: [pdu: ResponsePdu];
  /** strictness 'lenient': a field accepted though longer than the spec allows (counted in stats.leniency). */
  lenient: [warning: LeniencyWarning];
  close: [reason: CloseReason];
  error: [err: Error];
}
