// The graceful unbind (v5.0 §2.3, §4.2.1): refuse new requests (and those queued for a window slot), wait — at most
// responseTimeoutMs — for our outstanding requests and for the application's answers to the peer's, then send
// unbind, wait for unbind_resp, close. Resolves once the session is closed, whichever way it closed.

import type { ResponsePdu } from '../commands.js';
import type { CloseReason } from './api.js';
import { SessionError } from './errors.js';
import type { Liveness } from './liveness.js';
import type { Logger } from './logger.js';
import { isBound, type SessionState } from './states.js';
import type { Unanswered } from './unanswered.js';
import type { Window } from './window.js';

export interface UnbindHost {
  readonly window: Window<ResponsePdu>;
  readonly inbound: Unanswered;
  readonly liveness: Liveness;
  readonly log: Logger;
  readonly responseTimeoutMs: number;
  state(): SessionState;
  /** Resolves when the session has closed. */
  closed(): Promise<void>;
  /** Send unbind through the window (allowed while unbinding). */
  sendUnbind(): Promise<unknown>;
  close(reason: CloseReason): void;
}

export async function gracefulUnbind(host: UnbindHost): Promise<void> {
  const closed = host.closed();
  if (!isBound(host.state())) {
    host.close('unbind');
    return closed;
  }
  const { window: w, inbound, log } = host;
  w.failWaiters(new SessionError('NOT_ALLOWED', 'session is unbinding: request not sent', false));
  const timedOut = host.liveness.deadline(host.responseTimeoutMs);
  await Promise.race([Promise.all([w.whenEmpty(), inbound.whenEmpty()]), timedOut, closed]);
  host.liveness.clearDeadline();
  if (host.state() !== 'CLOSED') {
    if (w.outstanding > 0 || inbound.size > 0) {
      log.warn({ outstanding: w.outstanding, unanswered: inbound.size }, 'unbinding with requests still open');
    }
    try {
      await host.sendUnbind();
    } catch (err) {
      log.info({ err: (err as Error).message }, 'unbind not acknowledged');
    }
    host.close('unbind');
  }
  return closed;
}
