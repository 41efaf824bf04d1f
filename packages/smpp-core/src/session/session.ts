// One SMPP session over a duplex stream (net.Socket or tls.TLSSocket), for either role.
// bytes → PduFramer → decodePdu → state table check → window correlation or 'request' event → application,
// and back: encodePdu → WriteBatcher (one socket write per event-loop turn, paused on backpressure).
// All timing (response, window wait, enquire_link, inactivity, session init, unbind drain) is checked by one
// coarse tick per session against an injectable clock.

import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import {
  COMMAND_TABLE,
  commandName,
  isResponseId,
  type CommandName,
  type Pdu,
  type PduOf,
  type RequestName,
  type RequestPdu,
  type ResponsePdu,
} from '../commands.js';
import { SmppDecodeError } from '../errors.js';
import { CommandStatus } from '../status.js';
import { decodePdu, encodeWithHeader } from '../pdu-codec.js';
import { PduFramer } from '../framer.js';
import { systemClock, type Clock } from './clock.js';
import { SessionError } from './errors.js';
import { silentLogger, type Logger } from './logger.js';
import { SequenceGenerator } from './sequence.js';
import {
  BIND_STATE,
  bindCommand,
  isBindCommand,
  isBound,
  maySend,
  refusalStatus,
  type BindType,
  type SessionRole,
  type SessionState,
} from './states.js';
import { Window } from './window.js';
import { WriteBatcher } from './write-batcher.js';

const { ESME_RINVCMDID, ESME_RINVBNDSTS, ESME_RSYSERR } = CommandStatus;
/** The response command of each request that has one (outbind and alert_notification have none). */
const RESPONSE_OF: Readonly<Record<string, CommandName | undefined>> = (() => {
  const names = new Set<string>(COMMAND_TABLE.map((c) => c.name));
  const table: Record<string, CommandName | undefined> = Object.create(null);
  for (const name of names) if (names.has(`${name}_resp`)) table[name] = `${name}_resp` as CommandName;
  return table;
})();

/** Decode errors logged at warn per session before dropping to debug (a garbage flood must not flood the log). */
const DECODE_WARNINGS = 10;

export type CloseReason = 'unbind' | 'peer-closed' | 'inactivity' | 'session-init-timeout' | 'framing-error' | 'error' | 'local';

export type TraceHook = (dir: 'in' | 'out', pdu: Pdu | null, bytes: Buffer) => void;

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
   * When the peer does not read and this many bytes wait to be written, stop reading from it until the socket
   * drains (default 4 MiB): a peer that sends without reading cannot grow our memory without bound.
   */
  maxPendingWriteBytes?: number;
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
  writeTiming?: 'turn' | 'callback';
}

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

/**
 * A request as the application hands it over: no sequence_number (the session assigns it), command_status
 * optional, and body fields optional too: a field left out is encoded as its NULL value (0 or '').
 */
export type RequestInput<N extends RequestName = RequestName> = N extends RequestName
  ? { command: N; command_status?: number } & Partial<Omit<PduOf<N>, 'command' | 'command_status' | 'sequence_number'>>
  : never;

/** The response command of a request (never for outbind / alert_notification, which get none). */
export type ResponseNameOf<N extends RequestName> = N extends RequestName
  ? `${N}_resp` extends CommandName
    ? `${N}_resp`
    : never
  : never;

/** What request() resolves with: the matching response, or a generic_nack. */
export type ResponseTo<N extends RequestName> = PduOf<ResponseNameOf<N>> | PduOf<'generic_nack'>;

/** Fields of the response given to respond(); `command: 'generic_nack'` answers with a generic_nack instead. */
export type ResponseFields<N extends RequestName = RequestName> =
  | ({ command?: ResponseNameOf<N>; command_status?: number } & Partial<
      Omit<PduOf<ResponseNameOf<N>>, 'command' | 'command_status' | 'sequence_number'>
    >)
  | { command: 'generic_nack'; command_status: number };

/** A PDU for send(): sequence_number, command_status and body fields may be left out. */
export type SendInput = Pdu extends infer P
  ? P extends Pdu
    ? { command: P['command']; command_status?: number; sequence_number?: number } & Partial<
        Omit<P, 'command' | 'command_status' | 'sequence_number'>
      >
    : never
  : never;

export interface SessionEvents {
  request: [pdu: RequestPdu];
  state: [state: SessionState, prev: SessionState];
  unexpectedResponse: [pdu: ResponsePdu];
  close: [reason: CloseReason];
  error: [err: Error];
}

export class Session extends EventEmitter<SessionEvents> {
  readonly role: SessionRole;
  private currentState: SessionState = 'OPEN';
  private readonly socket: Duplex;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly debugOn: boolean;
  private readonly trace: TraceHook | undefined;
  private readonly window: Window<ResponsePdu>;
  private readonly sequence: SequenceGenerator;
  private readonly batcher: WriteBatcher;
  private readonly framer: PduFramer;
  private readonly tickHandle: unknown;

  private readonly windowWaitTimeoutMs: number;
  private readonly responseTimeoutMs: number;
  private readonly enquireLinkIntervalMs: number;
  private readonly inactivityTimeoutMs: number;
  private readonly sessionInitTimeoutMs: number;
  private readonly closeGraceMs: number;

  private readonly openedAt: number;
  private lastReceived: number;
  private keepaliveInFlight = false;
  private peerVersion: number | undefined;
  /** esme: a bind we sent awaits its response. mc: a bind received awaits the application's answer. */
  private bindPending = false;
  /** Sequence numbers of requests received and handed to the application, not yet answered. */
  private readonly inbound = new Set<number>();
  private inboundEmptyListeners: Array<() => void> = [];
  /** Frames read while paused, delivered on resume. */
  private inbox: Buffer[] = [];
  private inboxHead = 0;
  private isPaused = false;
  /** Reading stopped because the peer does not read what we write. */
  private readBlocked = false;
  private readonly maxPendingWriteBytes: number;
  private decodeErrors = 0;

  private unbinding: Promise<void> | undefined;
  private drainDeadline = Infinity;
  private drainTimedOut: (() => void) | undefined;
  private closeReason: CloseReason | undefined;
  private closeListeners: Array<() => void> = [];

  constructor(socket: Duplex, options: SessionOptions) {
    super();
    if (options.role !== 'esme' && options.role !== 'mc') throw new TypeError(`role must be 'esme' or 'mc', got ${String(options.role)}`);
    this.role = options.role;
    this.socket = socket;
    this.clock = options.clock ?? systemClock;
    this.log = options.logger ?? silentLogger;
    this.debugOn = this.log.isLevelEnabled?.('debug') ?? true;
    this.trace = options.trace;
    this.windowWaitTimeoutMs = nonNegative('windowWaitTimeoutMs', options.windowWaitTimeoutMs ?? 30_000);
    this.responseTimeoutMs = nonNegative('responseTimeoutMs', options.responseTimeoutMs ?? 30_000);
    if (this.responseTimeoutMs === 0) throw new RangeError('responseTimeoutMs must be > 0: every request needs a bound');
    this.enquireLinkIntervalMs = nonNegative('enquireLinkIntervalMs', options.enquireLinkIntervalMs ?? 30_000);
    this.inactivityTimeoutMs = nonNegative('inactivityTimeoutMs', options.inactivityTimeoutMs ?? 0);
    this.sessionInitTimeoutMs = nonNegative(
      'sessionInitTimeoutMs',
      options.sessionInitTimeoutMs ?? (this.role === 'mc' ? 10_000 : 0),
    );
    this.closeGraceMs = nonNegative('closeGraceMs', options.closeGraceMs ?? 2_000);
    const windowSize = options.windowSize ?? 10;
    if (!Number.isInteger(windowSize) || windowSize < 1) throw new RangeError(`windowSize must be an integer >= 1, got ${windowSize}`);
    this.window = new Window<ResponsePdu>(windowSize);
    this.sequence = new SequenceGenerator(options.sequenceStart);
    this.maxPendingWriteBytes = nonNegative('maxPendingWriteBytes', options.maxPendingWriteBytes ?? 4 * 1024 * 1024);
    const perWrite = options.maxPdusPerWrite ?? 32;
    if (!(perWrite >= 1)) throw new RangeError(`maxPdusPerWrite must be >= 1, got ${perWrite}`);
    const timing = options.writeTiming ?? 'turn';
    if (timing !== 'turn' && timing !== 'callback') throw new RangeError(`writeTiming must be 'turn' or 'callback', got ${String(timing)}`);
    this.batcher = new WriteBatcher(socket, timing === 'turn' ? setImmediate : process.nextTick, this.onWritesDrained, perWrite);
    this.framer = new PduFramer(
      this.onFrame,
      options.maxCommandLength === undefined ? undefined : { maxCommandLength: options.maxCommandLength },
    );

    this.openedAt = this.lastReceived = this.clock.now();
    const timeouts = [
      this.windowWaitTimeoutMs,
      this.responseTimeoutMs,
      this.enquireLinkIntervalMs,
      this.inactivityTimeoutMs,
      this.sessionInitTimeoutMs,
    ].filter((t) => t > 0);
    const tick = options.tickIntervalMs ?? Math.min(1000, Math.max(10, Math.floor(Math.min(...timeouts, 10_000) / 10)));
    this.tickHandle = this.clock.setInterval(this.onTick, tick);

    const maybeNet = socket as Duplex & { setNoDelay?: (noDelay: boolean) => unknown };
    if (typeof maybeNet.setNoDelay === 'function') maybeNet.setNoDelay(true); // we batch ourselves
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onSocketClose);
    socket.on('error', this.onSocketError);
    if (socket.destroyed) process.nextTick(() => this.close('peer-closed')); // gone before we got it
  }

  // ---- public API -------------------------------------------------------------------------------------

  get state(): SessionState {
    return this.currentState;
  }

  /** Requests we sent that await their response. */
  get outstanding(): number {
    return this.window.outstanding;
  }

  /** Requests received and handed to the application that it has not answered yet. */
  get unanswered(): number {
    return this.inbound.size;
  }

  get paused(): boolean {
    return this.isPaused;
  }

  /**
   * The SMPP version the peer declared at bind: on the mc side the bind's interface_version; on the esme side the
   * bind_resp's sc_interface_version TLV (undefined when absent, which per v5.0 §2.11.2 means: assume the MC
   * supports no TLVs). Below 0x34 the peer speaks v3.3: send it no TLVs.
   */
  get peerInterfaceVersion(): number | undefined {
    return this.peerVersion;
  }

  /**
   * Send a request and resolve with its response, whatever its command_status (a generic_nack included).
   * Waits for a window slot when the window is full. Rejects with SessionError (WINDOW_TIMEOUT,
   * RESPONSE_TIMEOUT, CLOSED, NOT_ALLOWED, INVALID_RESPONSE) or, for a field beyond a spec limit, SmppEncodeError.
   */
  request<P extends RequestInput>(pdu: P): Promise<ResponseTo<P['command']>> {
    return this.sendRequest(pdu, false) as Promise<ResponseTo<P['command']>>;
  }

  /**
   * Answer a request received through the 'request' event (same sequence_number). Default command_status 0.
   * Returns false when the answer can no longer be sent (session closed, state moved on, already answered).
   */
  respond<P extends RequestPdu>(req: P, fields?: ResponseFields<P['command']>): boolean {
    const seq = req.sequence_number;
    if (this.currentState === 'CLOSED') {
      this.log.debug({ command: req.command, sequence_number: seq }, 'respond(): session closed, not sent');
      return false;
    }
    if (!this.inbound.delete(seq)) {
      this.log.warn({ command: req.command, sequence_number: seq }, 'respond(): no unanswered request with this sequence number');
      return false;
    }
    this.inboundChanged();
    if (isBindCommand(req.command)) this.bindPending = false;
    const command: CommandName | undefined = fields?.command ?? RESPONSE_OF[req.command];
    if (command === undefined) throw new TypeError(`${req.command} has no response PDU`);
    const status = fields?.command_status ?? 0;
    if (!maySend(this.role, this.currentState, command)) {
      this.log.debug({ command, sequence_number: seq, state: this.currentState }, 'response no longer allowed in this state, not sent');
      return false;
    }
    let bytes: Buffer;
    try {
      bytes = encodeWithHeader(command, fields, status, seq);
    } catch (err) {
      // the peer still gets an answer; the application gets the error naming its bad field
      this.writeRefusal(command, ESME_RSYSERR, seq);
      throw err;
    }
    this.writePdu(command, seq, status, bytes);
    if (status === 0 && command !== 'generic_nack' && isBindCommand(req.command)) {
      this.peerVersion = (req as PduOf<'bind_transceiver'>).interface_version;
      this.setState(BIND_STATE[req.command]);
    }
    return true;
  }

  /**
   * Send a PDU that gets no response (alert_notification, outbind), or a raw PDU as given. A missing
   * sequence_number is assigned. Throws SessionError NOT_ALLOWED when this role may not send it now.
   */
  send(pdu: SendInput): void {
    this.assertOpen(pdu.command);
    if (!maySend(this.role, this.currentState, pdu.command)) throw this.notAllowed(pdu.command);
    const seq = pdu.sequence_number ?? this.nextSequence();
    const status = pdu.command_status ?? 0;
    this.writePdu(pdu.command, seq, status, encodeWithHeader(pdu.command, pdu, status, seq));
    if (pdu.command === 'outbind') this.setState('OUTBOUND');
  }

  /** ESME: send bind_<type>; the state follows a status-0 response. Resolves with the response whatever its status. */
  bind(options: BindOptions): Promise<ResponseTo<'bind_transmitter' | 'bind_receiver' | 'bind_transceiver'>> {
    const command = bindCommand(options.type);
    if (this.role !== 'esme') return Promise.reject(this.notAllowed(command));
    return this.request({
      command,
      system_id: options.system_id,
      password: options.password,
      system_type: options.system_type ?? '',
      interface_version: options.interface_version ?? 0x34,
      addr_ton: options.addr_ton ?? 0,
      addr_npi: options.addr_npi ?? 0,
      address_range: options.address_range ?? '',
    });
  }

  /**
   * Graceful end: refuse new requests, wait (at most responseTimeoutMs) for our outstanding requests and for
   * the application's answers to the peer's, send unbind, await unbind_resp, close. Resolves once closed.
   */
  unbind(): Promise<void> {
    if (this.currentState === 'CLOSED') return Promise.resolve();
    this.unbinding ??= this.runUnbind();
    return this.unbinding;
  }

  /** Close now. Outstanding requests are rejected with CLOSED (maybeDelivered: true). Queued PDUs are still written. */
  close(reason: CloseReason = 'local'): void {
    if (this.currentState === 'CLOSED') return;
    this.closeReason = reason;
    const prev = this.currentState;
    this.currentState = 'CLOSED';
    this.clock.clearInterval(this.tickHandle);
    this.socket.removeListener('data', this.onData);
    this.inbox = [];
    this.inboxHead = 0;
    if (reason === 'peer-closed' || reason === 'error') {
      const dropped = this.batcher.discard();
      if (dropped > 0) this.log.warn({ bytes: dropped }, 'connection lost with PDUs not yet written');
      this.socket.destroy();
    } else {
      this.batcher.finish();
      this.socket.end();
      this.socket.resume(); // even if paused: read (and drop) until the peer's FIN, so the socket closes promptly
      if (this.closeGraceMs > 0) setTimeout(() => this.socket.destroy(), this.closeGraceMs).unref();
      else this.socket.destroy();
    }
    this.window.failAll(reason);
    if (this.inbound.size > 0) {
      this.log.info({ unanswered: this.inbound.size }, 'session closed with requests from the peer unanswered');
      this.inbound.clear();
    }
    this.inboundChanged();
    this.drainTimedOut?.();
    this.log.info({ reason, prev }, 'session closed');
    this.emit('state', 'CLOSED', prev);
    this.emit('close', reason);
    const listeners = this.closeListeners;
    this.closeListeners = [];
    for (const l of listeners) l();
  }

  /** Stop reading from the socket (TCP backpressure reaches the peer). PDUs already read wait for resume(). */
  pause(): void {
    if (this.isPaused) return;
    this.isPaused = true;
    this.socket.pause();
  }

  resume(): void {
    if (!this.isPaused) return;
    this.isPaused = false;
    this.lastReceived = this.clock.now(); // time paused is not the peer's inactivity
    while (!this.isPaused && this.inboxHead < this.inbox.length && this.currentState !== 'CLOSED') {
      const frame = this.inbox[this.inboxHead++];
      this.handleFrameSafely(frame);
    }
    if (this.inboxHead >= this.inbox.length) {
      this.inbox = [];
      this.inboxHead = 0;
    }
    if (!this.isPaused && !this.readBlocked && this.currentState !== 'CLOSED') this.socket.resume();
  }

  // ---- sending ----------------------------------------------------------------------------------------

  /** Checks, encodes, takes a window slot (waiting if need be), assigns the sequence number, writes. */
  private sendRequest(pdu: RequestInput, internal: boolean): Promise<ResponsePdu> {
    const command = pdu.command;
    let bytes: Buffer;
    try {
      this.assertMaySendRequest(pdu.command, internal);
      if (RESPONSE_OF[pdu.command] === undefined) {
        throw new SessionError('NOT_ALLOWED', `${pdu.command} gets no response: use send()`, false);
      }
      if (this.bindPending && isBindCommand(pdu.command)) {
        throw new SessionError('NOT_ALLOWED', `a bind is already in progress: ${pdu.command} not sent`, false);
      }
      // the caller's object is encoded as it is (not copied); a field beyond its limit fails here, before taking a
      // window slot; the sequence number is written into the bytes once the slot is ours
      bytes = encodeWithHeader(command, pdu, 0, 0);
    } catch (err) {
      return Promise.reject(err);
    }
    if (this.window.tryReserve()) return this.dispatch(command, bytes);
    if (this.windowWaitTimeoutMs === 0) {
      return Promise.reject(new SessionError('WINDOW_TIMEOUT', `window full (size ${this.window.size}) and no wait allowed: ${command} not sent`, false));
    }
    return this.window.waitForSlot(this.clock.now() + this.windowWaitTimeoutMs).then(() => {
      try {
        this.assertMaySendRequest(command, internal); // the world may have moved while we waited
      } catch (err) {
        this.window.cancelReservation();
        throw err;
      }
      return this.dispatch(command, bytes);
    });
  }

  /** With a window slot reserved: number the request, register it, queue its bytes. */
  private dispatch(command: CommandName, bytes: Buffer): Promise<ResponsePdu> {
    const seq = this.nextSequence();
    bytes.writeUInt32BE(seq, 12);
    const response = this.window.add(seq, command, this.clock.now() + this.responseTimeoutMs);
    this.writePdu(command, seq, 0, bytes);
    if (isBindCommand(command)) {
      this.bindPending = true;
      const done = () => (this.bindPending = false);
      response.then(done, done);
    }
    return response;
  }

  private assertMaySendRequest(command: string, internal: boolean): void {
    this.assertOpen(command);
    if (this.unbinding !== undefined && !internal) {
      throw new SessionError('NOT_ALLOWED', `session is unbinding: ${command} not sent`, false);
    }
    if (!maySend(this.role, this.currentState, command)) throw this.notAllowed(command);
  }

  private writePdu(command: CommandName, seq: number, status: number, bytes: Buffer): void {
    if (this.trace !== undefined) this.traceOut(bytes);
    if (this.debugOn) this.log.debug({ dir: 'out', command, sequence_number: seq, command_status: status }, 'pdu');
    this.batcher.push(bytes);
  }

  /** The trace shows what went on the wire: fields left out and dropped error-response bodies included. */
  private traceOut(bytes: Buffer): void {
    let wire: Pdu | null = null;
    try {
      wire = decodePdu(bytes);
    } catch {
      // cannot happen for bytes our encoder wrote
    }
    this.callTrace('out', wire, bytes);
  }

  /** A broken trace hook (a tool's bug) is logged, never allowed to break the session. */
  private callTrace(dir: 'in' | 'out', pdu: Pdu | null, bytes: Buffer): void {
    try {
      this.trace!(dir, pdu, bytes);
    } catch (err) {
      this.log.warn({ err: (err as Error)?.message }, 'trace hook threw');
    }
  }

  /** Answer a PDU we refuse or could not decode; bypasses the state table (the refusal is always allowed). */
  private writeRefusal(command: CommandName, status: number, seq: number): void {
    this.writePdu(command, seq, status, encodeWithHeader(command, undefined, status, seq));
  }

  private nextSequence(): number {
    for (;;) {
      const seq = this.sequence.next();
      if (!this.window.has(seq)) return seq; // after a wrap, never reuse a number still outstanding
    }
  }

  // ---- receiving --------------------------------------------------------------------------------------

  private readonly onData = (chunk: Buffer): void => {
    if (this.currentState === 'CLOSED') return;
    this.lastReceived = this.clock.now();
    try {
      this.framer.push(chunk);
    } catch (err) {
      this.onReadError(err);
    }
    if (this.batcher.isBlocked && this.batcher.pendingBytes > this.maxPendingWriteBytes && !this.readBlocked && this.state !== 'CLOSED') {
      this.readBlocked = true;
      this.socket.pause();
      this.log.debug({ pendingBytes: this.batcher.pendingBytes }, 'peer is not reading: reading paused until the socket drains');
    }
  };

  private readonly onWritesDrained = (): void => {
    if (!this.readBlocked) return;
    this.readBlocked = false;
    this.lastReceived = this.clock.now(); // time spent not reading is not the peer's inactivity
    if (!this.isPaused && !this.readBlocked && this.currentState !== 'CLOSED') this.socket.resume();
  };

  private readonly onFrame = (frame: Buffer): void => {
    if (this.currentState === 'CLOSED') return;
    if (this.isPaused) {
      this.inbox.push(frame);
      return;
    }
    this.handleFrameSafely(frame);
  };

  /** An application listener that throws ('state', 'unexpectedResponse', …) must not lose the rest of the read. */
  private handleFrameSafely(frame: Buffer): void {
    try {
      this.handleFrame(frame);
    } catch (err) {
      this.log.error({ err: (err as Error)?.message }, 'a session listener threw');
      this.emitError(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private handleFrame(frame: Buffer): void {
    let pdu: Pdu;
    try {
      pdu = decodePdu(frame);
    } catch (err) {
      if (this.trace !== undefined) this.callTrace('in', null, frame);
      this.onReadError(err);
      return;
    }
    if (this.trace !== undefined) this.callTrace('in', pdu, frame);
    if (this.debugOn) this.log.debug({ dir: 'in', command: pdu.command, sequence_number: pdu.sequence_number, command_status: pdu.command_status }, 'pdu');
    if (isResponseId(frame.readUInt32BE(4))) this.handleResponse(pdu as ResponsePdu);
    else this.handleRequest(pdu as RequestPdu);
  }

  private handleResponse(pdu: ResponsePdu): void {
    const seq = pdu.sequence_number;
    const requested = this.window.commandOf(seq);
    if (requested === undefined || (pdu.command !== 'generic_nack' && pdu.command !== RESPONSE_OF[requested])) {
      this.unexpected(pdu, requested);
      return;
    }
    // state first, so code awaiting the response already sees the new state
    if (pdu.command_status === 0 && pdu.command !== 'generic_nack') {
      if (isBindCommand(requested)) {
        this.peerVersion = pdu.tlvs?.sc_interface_version;
        this.setState(BIND_STATE[requested]);
      }
      else if (requested === 'unbind') this.setState('UNBOUND');
    }
    this.window.complete(seq, pdu);
  }

  private unexpected(pdu: ResponsePdu, requested: string | undefined): void {
    this.log.debug(
      { command: pdu.command, sequence_number: pdu.sequence_number, outstanding: requested ?? null },
      'response matches no outstanding request',
    );
    if (this.listenerCount('unexpectedResponse') > 0) this.emit('unexpectedResponse', pdu);
  }

  private handleRequest(pdu: RequestPdu): void {
    const { command, sequence_number: seq } = pdu;
    let refusal = refusalStatus(this.role, this.currentState, command);
    if (refusal === 0 && this.bindPending && isBindCommand(command)) refusal = ESME_RINVBNDSTS; // one bind at a time
    if (refusal !== 0) {
      this.refuse(command, refusal, seq);
      return;
    }
    switch (command) {
      case 'enquire_link':
        this.writeRefusal('enquire_link_resp', 0, seq);
        return;
      case 'unbind':
        this.writeRefusal('unbind_resp', 0, seq);
        this.setState('UNBOUND');
        this.close('unbind');
        return;
      case 'bind_transmitter':
      case 'bind_receiver':
      case 'bind_transceiver':
        this.bindPending = true;
        this.deliver(pdu, true);
        return;
      case 'outbind':
        this.setState('OUTBOUND');
        this.deliver(pdu, false);
        return;
      default:
        this.deliver(pdu, RESPONSE_OF[command] !== undefined);
    }
  }

  private refuse(command: CommandName, status: number, seq: number): void {
    const resp = RESPONSE_OF[command];
    this.log.debug({ command, sequence_number: seq, state: this.currentState, command_status: status }, 'refused');
    if (status === ESME_RINVCMDID || resp === undefined) this.writeRefusal('generic_nack', status, seq);
    else this.writeRefusal(resp, status, seq);
  }

  /** Hand a request to the application. One that must be answered is tracked until respond(). */
  private deliver(pdu: RequestPdu, needsAnswer: boolean): void {
    if (needsAnswer) this.inbound.add(pdu.sequence_number);
    if (this.listenerCount('request') === 0) {
      this.log.warn({ command: pdu.command }, "no 'request' listener: answered ESME_RSYSERR");
      if (needsAnswer) this.respond(pdu, { command_status: ESME_RSYSERR } as ResponseFields);
      return;
    }
    try {
      this.emit('request', pdu);
    } catch (err) {
      this.log.error({ err, command: pdu.command, sequence_number: pdu.sequence_number }, "'request' listener threw");
      if (needsAnswer && this.inbound.has(pdu.sequence_number)) this.respond(pdu, { command_status: ESME_RSYSERR } as ResponseFields);
      this.emitError(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /** A PDU that could not be decoded: answer with the error's status (unless it was a response); close if fatal. */
  private onReadError(err: unknown): void {
    if (!(err instanceof SmppDecodeError)) {
      // decodePdu promises to throw nothing else; if it does, this connection cannot be trusted any more
      this.log.error({ err }, 'unexpected error while reading');
      this.emitError(err instanceof Error ? err : new Error(String(err)));
      this.close('error');
      return;
    }
    this.decodeErrors++;
    const level = this.decodeErrors <= DECODE_WARNINGS ? 'warn' : 'debug';
    this.log[level]({ code: err.code, command_status: err.commandStatus, fatal: err.fatal, err: err.message }, 'undecodable PDU');
    const seq = err.sequenceNumber ?? 0;
    if (!err.fatal && err.commandId !== undefined && isResponseId(err.commandId)) {
      // Never answer a response: our generic_nack would carry *our* request's sequence number, which the
      // peer would read as an answer to one of its own requests. Fail the request it answered instead.
      this.window.fail(
        seq,
        new SessionError('INVALID_RESPONSE', `the response to seq ${seq} could not be decoded: ${err.message}`, true, seq, { cause: err }),
      );
    } else {
      const name = err.commandId === undefined ? undefined : commandName(err.commandId);
      const resp = name === undefined || err.fatal ? undefined : RESPONSE_OF[name];
      this.writeRefusal(resp ?? 'generic_nack', err.commandStatus, seq);
    }
    if (err.fatal) this.close('framing-error');
  }

  // ---- timers -----------------------------------------------------------------------------------------

  private readonly onTick = (): void => {
    if (this.currentState === 'CLOSED') return;
    const now = this.clock.now();
    this.window.sweep(now);
    const state = this.currentState;
    if (this.sessionInitTimeoutMs > 0 && (state === 'OPEN' || state === 'OUTBOUND') && now - this.openedAt >= this.sessionInitTimeoutMs) {
      this.log.info({ state, timeoutMs: this.sessionInitTimeoutMs }, 'not bound within the session-init timeout');
      this.close('session-init-timeout');
      return;
    }
    if (now >= this.drainDeadline) this.drainTimedOut?.();
    // nothing is read while paused (by the application, or because the peer does not read): neither inactivity
    // nor keep-alive apply
    if (this.isPaused || this.readBlocked) return;
    const idle = now - this.lastReceived;
    if (this.inactivityTimeoutMs > 0 && idle >= this.inactivityTimeoutMs) {
      this.log.info({ idleMs: idle }, 'nothing received within the inactivity timeout');
      this.close('inactivity');
      return;
    }
    if (
      this.enquireLinkIntervalMs > 0 &&
      idle >= this.enquireLinkIntervalMs &&
      !this.keepaliveInFlight &&
      this.unbinding === undefined &&
      isBound(state)
    ) {
      this.sendKeepalive();
    }
  };

  private sendKeepalive(): void {
    // Only when a window slot is free: with a full window, its responses (or their timeouts) tell us enough.
    if (this.window.waiting > 0 || this.window.outstanding >= this.window.size) return;
    this.keepaliveInFlight = true;
    this.sendRequest({ command: 'enquire_link' }, true).then(
      () => {
        this.keepaliveInFlight = false;
      },
      (err: unknown) => {
        this.keepaliveInFlight = false;
        if (err instanceof SessionError && err.code === 'RESPONSE_TIMEOUT') {
          this.log.warn({}, 'enquire_link unanswered within the response timeout: closing');
          this.close('inactivity');
        }
      },
    );
  }

  // ---- unbind -----------------------------------------------------------------------------------------

  private async runUnbind(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.closeListeners.push(resolve));
    if (!isBound(this.currentState)) {
      this.close('unbind');
      return closed;
    }
    this.window.failWaiters(new SessionError('NOT_ALLOWED', 'session is unbinding: request not sent', false));
    const timedOut = new Promise<void>((resolve) => {
      this.drainDeadline = this.clock.now() + this.responseTimeoutMs;
      this.drainTimedOut = resolve;
    });
    await Promise.race([Promise.all([this.window.whenEmpty(), this.inboundEmpty()]), timedOut, closed]);
    this.drainDeadline = Infinity;
    this.drainTimedOut = undefined;
    if (this.currentState !== 'CLOSED') {
      if (this.window.outstanding > 0 || this.inbound.size > 0) {
        this.log.warn({ outstanding: this.window.outstanding, unanswered: this.inbound.size }, 'unbinding with requests still open');
      }
      try {
        await this.sendRequest({ command: 'unbind' }, true);
      } catch (err) {
        this.log.info({ err: (err as Error).message }, 'unbind not acknowledged');
      }
      this.close('unbind');
    }
    return closed;
  }

  private inboundEmpty(): Promise<void> {
    if (this.inbound.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.inboundEmptyListeners.push(resolve));
  }

  private inboundChanged(): void {
    if (this.inbound.size > 0 || this.inboundEmptyListeners.length === 0) return;
    const listeners = this.inboundEmptyListeners;
    this.inboundEmptyListeners = [];
    for (const l of listeners) l();
  }

  // ---- socket events ----------------------------------------------------------------------------------

  private readonly onEnd = (): void => {
    const partial = this.framer.buffered;
    if (partial > 0) this.log.warn({ bytes: partial }, 'peer closed in the middle of a PDU');
    this.close(this.currentState === 'UNBOUND' ? 'unbind' : 'peer-closed');
  };

  private readonly onSocketClose = (): void => {
    this.close(this.currentState === 'UNBOUND' ? 'unbind' : 'peer-closed');
  };

  private readonly onSocketError = (err: Error): void => {
    if (this.currentState === 'CLOSED') return; // e.g. ECONNRESET while we were closing anyway
    this.log.warn({ err: err.message }, 'socket error');
    this.emitError(err);
    this.close('error');
  };

  // ---- helpers ----------------------------------------------------------------------------------------

  private setState(next: SessionState): void {
    const prev = this.currentState;
    if (prev === next || prev === 'CLOSED') return;
    this.currentState = next;
    this.log.info({ state: next, prev }, 'session state');
    this.emit('state', next, prev);
  }

  private emitError(err: Error): void {
    // an 'error' event with no listener would throw and take the process down
    if (this.listenerCount('error') === 0) return;
    try {
      this.emit('error', err);
    } catch (inner) {
      this.log.error({ err: (inner as Error)?.message }, "an 'error' listener threw");
    }
  }

  private assertOpen(command: string): void {
    if (this.currentState === 'CLOSED') {
      throw new SessionError('CLOSED', `session is closed (${this.closeReason ?? 'local'}): ${command} not sent`, false);
    }
  }

  private notAllowed(command: string): SessionError {
    return new SessionError('NOT_ALLOWED', `an ${this.role} may not send ${command} in state ${this.currentState}`, false);
  }
}

function nonNegative(name: string, value: number): number {
  if (!(value >= 0) || !Number.isFinite(value)) throw new RangeError(`${name} must be a finite number >= 0, got ${value}`);
  return value;
}
