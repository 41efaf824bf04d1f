// The one error type a Session rejects requests with. `code` is stable (switch on it), `maybeDelivered`
// says whether the peer may have received (and acted on) the request: true once its bytes were handed to
// the socket, false when it never left this process.

export type SessionErrorCode =
  | 'WINDOW_TIMEOUT' // no window slot within windowWaitTimeoutMs; never sent
  | 'RESPONSE_TIMEOUT' // sent, no response within responseTimeoutMs
  | 'CLOSED' // the session closed before the response came (or before the request could be sent)
  | 'NOT_ALLOWED' // the PDU may not be sent in this state / by this role, or the session is unbinding
  | 'INVALID_RESPONSE'; // the peer answered with a response this side could not decode

export class SessionError extends Error {
  override readonly name = 'SessionError';

  constructor(
    readonly code: SessionErrorCode,
    message: string,
    readonly maybeDelivered: boolean,
    readonly sequenceNumber?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The message every request still outstanding at close is rejected with. */
export function closedError(command: string, sequenceNumber: number, reason: string): SessionError {
  return new SessionError(
    'CLOSED',
    `session closed (${reason}) before the response to ${command} seq ${sequenceNumber} arrived: ` +
      'it may or may not have been delivered',
    true,
    sequenceNumber,
  );
}
