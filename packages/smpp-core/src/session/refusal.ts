// What a session answers on its own, for PDUs it does not hand to the application: requests the state table
// (states.ts) does not allow, and PDUs that could not be decoded. Pure functions of their inputs, so each rule is
// stated once here and tested as a table (test/session-refusal.test.ts).

import { type CommandName, commandName, isResponseId, responseNameOf } from '../commands.js';
import type { SmppDecodeError } from '../errors.js';
import { CommandStatus } from '../status.js';
import { isBindCommand, refusalStatus, type SessionRole, type SessionState } from './states.js';

const { ESME_RINVCMDID, ESME_RINVBNDSTS } = CommandStatus;

/** A header-only PDU the session writes by itself: which command, with which command_status. */
export interface Answer {
  readonly command: CommandName;
  readonly status: number;
}

/**
 * How a request received in `state` is refused, or undefined when it may reach the application:
 * - a PDU the peer's role never sends (wrong direction) → generic_nack ESME_RINVCMDID;
 * - a bind on a bound session → bind_*_resp ESME_RALYBND;
 * - a bind while the previous bind is still unanswered (`bindPending`) → bind_*_resp ESME_RINVBNDSTS (one at a time);
 * - anything else not allowed in this state → its _resp ESME_RINVBNDSTS (generic_nack for a PDU without a response).
 */
export function refusalOf(
  role: SessionRole,
  state: SessionState,
  command: CommandName,
  bindPending: boolean,
): Answer | undefined {
  let status = refusalStatus(role, state, command);
  if (status === 0 && bindPending && isBindCommand(command)) status = ESME_RINVBNDSTS;
  if (status === 0) return undefined;
  const resp = responseNameOf(command);
  return { command: status === ESME_RINVCMDID || resp === undefined ? 'generic_nack' : resp, status };
}

/** What the session does with a PDU that could not be decoded. */
export type DecodeErrorAction =
  /** Answer the peer (`sequenceNumber` is the PDU's, 0 when its header could not be read). */
  | { readonly kind: 'answer'; readonly answer: Answer; readonly sequenceNumber: number; readonly close: boolean }
  /**
   * A response that could not be decoded is never answered (our generic_nack would carry the sequence number of
   * *our* request, which the peer would read as an answer to one of its own): the request it answered fails.
   */
  | { readonly kind: 'fail-request'; readonly sequenceNumber: number; readonly close: false };

/**
 * From the decode error: answer with its status, in the request's _resp when the command is known and the error
 * not fatal, else in a generic_nack; fail our request when it was a response; close when the error is fatal
 * (framing lost: nothing after it can be trusted).
 */
export function decodeErrorAction(
  err: Pick<SmppDecodeError, 'fatal' | 'commandId' | 'commandStatus' | 'sequenceNumber'>,
): DecodeErrorAction {
  const seq = err.sequenceNumber ?? 0;
  if (!err.fatal && err.commandId !== undefined && isResponseId(err.commandId)) {
    return { kind: 'fail-request', sequenceNumber: seq, close: false };
  }
  const name = err.commandId === undefined || err.fatal ? undefined : commandName(err.commandId);
  const resp = name === undefined ? undefined : responseNameOf(name);
  return {
    kind: 'answer',
    answer: { command: resp ?? 'generic_nack', status: err.commandStatus },
    sequenceNumber: seq,
    close: err.fatal,
  };
}
