// Session options as the application gives them, and their resolution: defaults filled in and every value checked
// once, at construction, with a message naming the option and the value.

import type { Strictness } from '../pdu-reader.js';
import type { TraceHook } from './api.js';
import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import type { Logger } from './logger.js';
import { silentLogger } from './logger.js';
import type { SessionRole } from './states.js';
import type { TurnBudget } from './turn-budget.js';

export type WriteTiming = 'turn' | 'callback';

export interface SessionOptions {
  role: SessionRole;
  /** Max outstanding requests we sent (default 10). */
  windowSize?: number;
  /** How long request() waits for a window slot (default 30 000; 0 = fail at once when the window is full). */
  windowWaitTimeoutMs?: number;
  /** Per-request response timeout (default 30 000; must be > 0); swept by one coarse tick. */
  responseTimeoutMs?: number;
  /** Send enquire_link when nothing was received this long while bound (0 = off; default 30 000). */
  enquireLinkIntervalMs?: number;
  /** Close when nothing was received this long (0 = off, the default). */
  inactivityTimeoutMs?: number;
  /** Close an OPEN/OUTBOUND session not bound within this time (0 = off; default mc 10 000, esme 0). */
  sessionInitTimeoutMs?: number;
  /** Largest command_length accepted from the peer (default: the framer's, 64 KiB + header). */
  maxCommandLength?: number;
  /**
   * How PDUs from the peer are read (default 'strict'):
   * - 'strict': a C-string without its NUL within the spec maximum is refused with the field's status
   *   (service_type → ESME_RINVSERTYP, …).
   * - 'lenient': such a C-string is accepted as received (up to 256 octets, never past command_length) and counted:
   *   `stats.leniency` and a 'lenient' event per field. What we send is validated strictly either way; broken
   *   framing closes either way.
   */
  strictness?: Strictness;
  /** pino-compatible; nothing per PDU above debug. */
  logger?: Logger;
  /** Called with every PDU read or written (null when it could not be decoded) and its bytes. */
  trace?: TraceHook;
  /** Injectable time source (tests). */
  clock?: Clock;
  /** First sequence number this side uses (default 1); wraps 0x7FFFFFFF → 1. */
  sequenceStart?: number;
  /** Period of the coarse timeout tick (default: a tenth of the shortest timeout, 10..1000 ms). */
  tickIntervalMs?: number;
  /** After a graceful close, how long to wait for the peer to close before destroying the socket (default 2 000). */
  closeGraceMs?: number;
  /**
   * When the peer does not read and more than this many bytes wait to be written (our queue and the socket's own
   * buffer together), stop reading from it until the socket drains (default 4 MiB): a peer that sends without
   * reading cannot grow our memory without bound. Checked after each PDU read, so the queue exceeds it by at most
   * the answer to one PDU (and answers the application sends later, for requests it already holds).
   */
  maxPendingWriteBytes?: number;
  /** The same bound while the session is not bound (default 64 KiB: before a bind nothing large is owed). */
  maxPendingWriteBytesUnbound?: number;
  /**
   * A budget of PDUs per event-loop turn shared with other sessions (a server's connections): while this session
   * is not bound, each PDU it reads takes one, and when they are spent it stops reading until a later turn.
   * Unbound or failing connections then get a small share of each turn, and bound ones the rest. Default: none.
   */
  unboundTurnBudget?: TurnBudget;
  /**
   * PDUs written per socket write at most (default 32). PDUs produced in one event-loop turn go out in one write;
   * a turn that produces more (a window's worth of responses) writes every this many, so the peer starts on the
   * first while this side produces the rest instead of both sides taking turns.
   */
  maxPdusPerWrite?: number;
  /**
   * When the PDUs written so far go out (one socket write):
   * - 'turn' (default): once the event-loop turn's other work is done (setImmediate). Batches everything a turn
   *   produces, including requests sent from promise continuations (a client answering a deliver_sm and sending
   *   its next submit_sm from the submit's resolved promise: one write, not two).
   * - 'callback': when the current callback and its nextTick queue are done (process.nextTick). For a server
   *   whose answers are produced inside a setImmediate callback (a store's group commit): they leave in the same
   *   loop iteration instead of the next.
   */
  writeTiming?: WriteTiming;
  /**
   * Told around each read from the socket: `start()` before its PDUs are handed over, `end()` after the last of
   * them (also when one threw; what `end()` throws is reported like a throwing listener's error). PDUs handed over
   * at another time (read while paused, then resumed) come without them. A server that commits what a read's
   * requests wrote before answering them can commit at the read's end: for a lone request, in the same callback
   * as its read rather than in a later phase of the loop.
   */
  aroundRead?: ReadHooks;
}

export interface ReadHooks {
  start(): void;
  end(): void;
}

/** Every option with its value decided. */
export interface ResolvedSessionOptions {
  readonly role: SessionRole;
  readonly windowSize: number;
  readonly windowWaitTimeoutMs: number;
  readonly responseTimeoutMs: number;
  readonly enquireLinkIntervalMs: number;
  readonly inactivityTimeoutMs: number;
  readonly sessionInitTimeoutMs: number;
  readonly maxCommandLength: number | undefined;
  readonly strictness: Strictness;
  readonly logger: Logger;
  readonly trace: TraceHook | undefined;
  readonly clock: Clock;
  readonly sequenceStart: number | undefined;
  readonly tickIntervalMs: number;
  readonly closeGraceMs: number;
  readonly maxPendingWriteBytes: number;
  readonly maxPendingWriteBytesUnbound: number;
  readonly unboundTurnBudget: TurnBudget | undefined;
  readonly maxPdusPerWrite: number;
  readonly writeTiming: WriteTiming;
  readonly aroundRead: ReadHooks | undefined;
}

/** Fills in the defaults and checks every value; throws TypeError/RangeError naming the option and the value. */
export function resolveSessionOptions(options: SessionOptions): ResolvedSessionOptions {
  const role = options.role;
  if (role !== 'esme' && role !== 'mc') throw new TypeError(`role must be 'esme' or 'mc', got ${String(role)}`);
  const windowWaitTimeoutMs = nonNegative('windowWaitTimeoutMs', options.windowWaitTimeoutMs ?? 30_000);
  const responseTimeoutMs = nonNegative('responseTimeoutMs', options.responseTimeoutMs ?? 30_000);
  if (responseTimeoutMs === 0) throw new RangeError('responseTimeoutMs must be > 0: every request needs a bound');
  const enquireLinkIntervalMs = nonNegative('enquireLinkIntervalMs', options.enquireLinkIntervalMs ?? 30_000);
  const inactivityTimeoutMs = nonNegative('inactivityTimeoutMs', options.inactivityTimeoutMs ?? 0);
  const sessionInitTimeoutMs = nonNegative(
    'sessionInitTimeoutMs',
    options.sessionInitTimeoutMs ?? (role === 'mc' ? 10_000 : 0),
  );
  const closeGraceMs = nonNegative('closeGraceMs', options.closeGraceMs ?? 2_000);
  const windowSize = options.windowSize ?? 10;
  if (!Number.isInteger(windowSize) || windowSize < 1)
    throw new RangeError(`windowSize must be an integer >= 1, got ${windowSize}`);
  const maxPendingWriteBytes = nonNegative('maxPendingWriteBytes', options.maxPendingWriteBytes ?? 4 * 1024 * 1024);
  const maxPendingWriteBytesUnbound = nonNegative(
    'maxPendingWriteBytesUnbound',
    options.maxPendingWriteBytesUnbound ?? 64 * 1024,
  );
  const maxPdusPerWrite = options.maxPdusPerWrite ?? 32;
  if (!(maxPdusPerWrite >= 1)) throw new RangeError(`maxPdusPerWrite must be >= 1, got ${maxPdusPerWrite}`);
  const writeTiming = options.writeTiming ?? 'turn';
  if (writeTiming !== 'turn' && writeTiming !== 'callback') {
    throw new RangeError(`writeTiming must be 'turn' or 'callback', got ${String(writeTiming)}`);
  }
  const strictness = options.strictness ?? 'strict';
  if (strictness !== 'strict' && strictness !== 'lenient') {
    throw new RangeError(`strictness must be 'strict' or 'lenient', got ${String(strictness)}`);
  }
  const timeouts = [
    windowWaitTimeoutMs,
    responseTimeoutMs,
    enquireLinkIntervalMs,
    inactivityTimeoutMs,
    sessionInitTimeoutMs,
  ].filter((t) => t > 0);
  const tickIntervalMs =
    options.tickIntervalMs ?? Math.min(1000, Math.max(10, Math.floor(Math.min(...timeouts, 10_000) / 10)));
  return {
    role,
    windowSize,
    windowWaitTimeoutMs,
    responseTimeoutMs,
    enquireLinkIntervalMs,
    inactivityTimeoutMs,
    sessionInitTimeoutMs,
    maxCommandLength: options.maxCommandLength,
    strictness,
    logger: options.logger ?? silentLogger,
    trace: options.trace,
    clock: options.clock ?? systemClock,
    sequenceStart: options.sequenceStart,
    tickIntervalMs,
    closeGraceMs,
    maxPendingWriteBytes,
    maxPendingWriteBytesUnbound,
    unboundTurnBudget: options.unboundTurnBudget,
    maxPdusPerWrite,
    writeTiming,
    aroundRead: options.aroundRead,
  };
}

function nonNegative(name: string, value: number): number {
  if (!(value >= 0) || !Number.isFinite(value))
    throw new RangeError(`${name} must be a finite number >= 0, got ${value}`);
  return value;
}
