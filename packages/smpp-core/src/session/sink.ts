// The FrameReader's sink for a Session (reader.ts → here → session.ts): each decoded PDU goes straight to the
// session's own dispatch (no step in between); everything else the reader reports is handled here, once per event and
// never per PDU — a lenient field (counted, logged at debug, 'lenient'), an undecodable PDU (counted, logged at warn
// up to DECODE_WARNINGS then at debug; the request whose response it was failed, or the answer refusal.ts gives
// written; closed when the framing is broken), a listener that threw, a socket error or end, and the backpressure
// check (reading paused while the peer does not read what we write and more than maxPendingWriteBytes, or
// maxPendingWriteBytesUnbound before a bind, wait in our queue and the socket's buffer together). Also emitError: 'error' only when listened to.

import type { EventEmitter } from 'node:events';
import type { Pdu } from '../commands.js';
import { SmppDecodeError } from '../errors.js';
import type { CloseReason, SessionEvents, SessionStats } from './api.js';
import { SessionError } from './errors.js';
import type { Logger } from './logger.js';
import type { ResolvedSessionOptions } from './options.js';
import type { Outbox } from './outbox.js';
import type { FrameSink } from './reader.js';
import { decodeErrorAction } from './refusal.js';
import { isBound, type SessionState } from './states.js';

/** Decode errors logged at warn per session before dropping to debug (a garbage flood must not flood the log). */
const DECODE_WARNINGS = 10;

/** What the sink asks of its session besides what it is given. */
export interface SinkHooks {
  state(): SessionState;
  close(reason: CloseReason): void;
}

/** The sink's view of its session. */
interface Host extends SinkHooks {
  readonly emitter: EventEmitter<SessionEvents>;
  readonly stats: SessionStats;
  readonly log: Logger;
  readonly out: Outbox;
}

/** Emits 'error' when someone listens (with no listener it would throw and take the process down). */
export function emitError(emitter: EventEmitter<SessionEvents>, log: Logger, err: Error): void {
  if (emitter.listenerCount('error') === 0) return;
  try {
    emitter.emit('error', err);
  } catch (inner) {
    log.error({ err: (inner as Error)?.message }, "an 'error' listener threw");
  }
}

/**
 * The sink of `emitter`'s FrameReader: `onPdu` (the session's dispatch) is handed to the reader as it is; `stats`
 * is counted in, `out` answers undecodable requests and fails undecodable responses.
 */
export function sessionSink(
  emitter: EventEmitter<SessionEvents>,
  stats: SessionStats,
  out: Outbox,
  o: ResolvedSessionOptions,
  onPdu: (pdu: Pdu, frame: Buffer) => void,
  hooks: SinkHooks,
): FrameSink {
  const log = o.logger;
  const debugOn = log.isLevelEnabled?.('debug') ?? true;
  const h: Host = { emitter, stats, log, out, state: hooks.state, close: hooks.close };
  const fail = (err: unknown) => emitError(emitter, log, err instanceof Error ? err : new Error(String(err)));
  return {
    onPdu,
    onReadError: (err) => readError(h, err, fail),
    onLenient: (w) => {
      stats.leniency++;
      if (debugOn) log.debug(w, 'field longer than the spec allows, accepted');
      if (emitter.listenerCount('lenient') > 0) emitter.emit('lenient', w);
    },
    onSinkError: (err) => {
      log.error({ err: (err as Error)?.message }, 'a session listener threw');
      fail(err);
    },
    shouldBlock: () => {
      if (!out.isBlocked) return false; // the socket takes more: the peer reads
      const queued = out.queuedBytes;
      const max = isBound(h.state()) ? o.maxPendingWriteBytes : o.maxPendingWriteBytesUnbound;
      if (queued <= max) return false;
      log.debug({ queuedBytes: queued, max }, 'peer is not reading: reading paused until the socket drains');
      return true;
    },
    onSocketEnd: () => h.close(h.state() === 'UNBOUND' ? 'unbind' : 'peer-closed'),
    onSocketError: (err) => {
      if (h.state() === 'CLOSED') return; // e.g. ECONNRESET while we were closing anyway
      log.warn({ err: err.message }, 'socket error');
      fail(err);
      h.close('error');
    },
  };
}

/** A PDU that could not be decoded: answer with the error's status (unless it was a response); close if fatal. */
function readError(h: Host, err: unknown, fail: (err: unknown) => void): void {
  if (!(err instanceof SmppDecodeError)) {
    // decodePdu promises to throw nothing else; if it does, this connection cannot be trusted any more
    h.log.error({ err }, 'unexpected error while reading');
    fail(err);
    h.close('error');
    return;
  }
  const n = ++h.stats.decodeErrors;
  const level = n <= DECODE_WARNINGS ? 'warn' : 'debug';
  h.log[level](
    { code: err.code, command_status: err.commandStatus, fatal: err.fatal, err: err.message },
    'undecodable PDU',
  );
  const action = decodeErrorAction(err);
  const seq = action.sequenceNumber;
  if (action.kind === 'fail-request') {
    const message = `the response to seq ${seq} could not be decoded: ${err.message}`;
    h.out.window.fail(seq, new SessionError('INVALID_RESPONSE', message, true, seq, { cause: err }));
  } else {
    h.out.writeHeaderOnly(action.answer.command, action.answer.status, seq);
  }
  if (action.close) h.close('framing-error');
}
