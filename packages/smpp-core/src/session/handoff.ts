// Handing a request received from the peer to the application (the 'request' event), once the session let it
// through (session.ts, refusal.ts). One that must be answered is tracked (unanswered.ts) until respond(); when no one
// listens, or the listener throws before answering, the session answers ESME_RSYSERR itself, so the peer is never
// left without an answer — logged either way, and a listener's exception is emitted as 'error' (sink.ts).

import type { EventEmitter } from 'node:events';
import type { RequestPdu } from '../commands.js';
import { CommandStatus } from '../status.js';
import type { SessionEvents } from './api.js';
import type { Logger } from './logger.js';
import { emitError } from './sink.js';
import type { Unanswered } from './unanswered.js';

const { ESME_RSYSERR } = CommandStatus;

/** The session as the handoff sees it: its events and its respond(). */
export interface HandoffSession extends EventEmitter<SessionEvents> {
  respond(req: RequestPdu, fields: { command_status: number }): boolean;
}

/** Hand `pdu` (decoded from `frame`) to the application; tracked in `inbound` until answered when `needsAnswer`. */
export function handOff(
  session: HandoffSession,
  inbound: Unanswered,
  log: Logger,
  pdu: RequestPdu,
  frame: Buffer,
  needsAnswer: boolean,
): void {
  if (needsAnswer) inbound.add(pdu.sequence_number);
  let listened: boolean;
  try {
    // emit() says whether anyone listened: no listenerCount() first (each is a lookup in the emitter's table)
    listened = session.emit('request', pdu, frame);
  } catch (err) {
    log.error({ err, command: pdu.command, sequence_number: pdu.sequence_number }, "'request' listener threw");
    if (needsAnswer && inbound.has(pdu.sequence_number)) session.respond(pdu, { command_status: ESME_RSYSERR });
    emitError(session, log, err instanceof Error ? err : new Error(String(err)));
    return;
  }
  if (!listened) {
    log.warn({ command: pdu.command }, "no 'request' listener: answered ESME_RSYSERR");
    if (needsAnswer) session.respond(pdu, { command_status: ESME_RSYSERR });
  }
}
