// What a session refuses to send (the mirror of refusal.ts, which says what it refuses to accept), as the
// SessionError the caller throws or rejects with: anything once closed (CLOSED); the application's requests once
// unbinding, anything this role may not send in this state (states.ts), a request that gets no response, a second
// bind while one is in progress (NOT_ALLOWED). Pure functions of their inputs; nothing is allocated unless refused.

import { responseNameOf } from '../commands.js';
import type { CloseReason } from './api.js';
import { SessionError } from './errors.js';
import { isBindCommand, maySend, type SessionRole, type SessionState } from './states.js';

export function closedError(reason: CloseReason | undefined, command: string): SessionError {
  return new SessionError('CLOSED', `session is closed (${reason ?? 'local'}): ${command} not sent`, false);
}

export function notAllowedError(role: SessionRole, state: SessionState, command: string): SessionError {
  return new SessionError('NOT_ALLOWED', `an ${role} may not send ${command} in state ${state}`, false);
}

/**
 * Why `command` may not be sent now, or undefined when it may: the session is closed, or `unbinding` (the caller
 * passes false for what the session sends itself, and for PDUs that are no requests), or the state table forbids it.
 */
export function sendRefusal(
  role: SessionRole,
  state: SessionState,
  command: string,
  closeReason: CloseReason | undefined,
  unbinding: boolean,
): SessionError | undefined {
  if (state === 'CLOSED') return closedError(closeReason, command);
  if (unbinding) return new SessionError('NOT_ALLOWED', `session is unbinding: ${command} not sent`, false);
  if (!maySend(role, state, command)) return notAllowedError(role, state, command);
  return undefined;
}

/** Why a request may not be sent by request() (after sendRefusal), or undefined: it gets no response, or a bind is. */
export function requestRefusal(command: string, bindPending: boolean): SessionError | undefined {
  if (responseNameOf(command) === undefined)
    return new SessionError('NOT_ALLOWED', `${command} gets no response: use send()`, false);
  if (bindPending && isBindCommand(command))
    return new SessionError('NOT_ALLOWED', `a bind is already in progress: ${command} not sent`, false);
  return undefined;
}
