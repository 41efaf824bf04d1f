// One SMPP session over a duplex stream (net.Socket or tls.TLSSocket), for either role. This file holds the
// rules that tie the halves together: what may be sent or accepted in which state, correlation, binding, timing.
// Reading (reader.ts): bytes → PduFramer → decodePdu → the sink (sink.ts: decode, listener and socket errors,
// leniency, backpressure) → here: the state table (refusal.ts) → window correlation, or the 'request' event →
// application (handoff.ts). Writing (outbox.ts): what may not be sent is refused (send-refusal.ts), then
// encodeWithHeader → window and sequence number → WriteBatcher. All timing (response, window wait, enquire_link,
// inactivity, session init, unbind drain) is checked by one coarse tick per session against an injectable clock.
// Options: options.ts; API types: api.ts.

import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import {
  type CommandName,
  isResponseId,
  type Pdu,
  type PduOf,
  type RequestName,
  type RequestPdu,
  type ResponsePdu,
  responseNameOf,
} from '../commands.js';
import { encodeWithHeader } from '../pdu-codec.js';
import type { Strictness } from '../pdu-reader.js';
import { CommandStatus } from '../status.js';
import {
  type BindOptions,
  bindRequest,
  type CloseReason,
  type ReceivedPdu,
  type RequestInput,
  type ResponseFields,
  type ResponseFieldsFor,
  type ResponseTo,
  type SendInput,
  type SessionEvents,
  type SessionStats,
} from './api.js';
import { handOff } from './handoff.js';
import { Liveness } from './liveness.js';
import type { Logger } from './logger.js';
import { type ResolvedSessionOptions, resolveSessionOptions, type SessionOptions } from './options.js';
import { Outbox } from './outbox.js';
import { FrameReader } from './reader.js';
import { refusalOf } from './refusal.js';
import { closedError, notAllowedError, requestRefusal, sendRefusal } from './send-refusal.js';
import { sessionSink } from './sink.js';
import {
  BIND_STATE,
  type BindCommand,
  isBindCommand,
  isBound,
  maySend,
  type SessionRole,
  type SessionState,
} from './states.js';
import { Unanswered } from './unanswered.js';
import { gracefulUnbind } from './unbind.js';
import type { Done } from './window.js';

const { ESME_RINVBNDSTS, ESME_RSYSERR } = CommandStatus;

/** Duplicate sequence numbers logged at warn per session before dropping to debug (a flood must not flood the log). */
const DUPLICATE_WARNINGS = 10;

export class Session extends EventEmitter<SessionEvents> {
  readonly role: SessionRole;
  /** Counters (decode errors, lenient fields); read them, do not change them. */
  readonly stats: SessionStats = { decodeErrors: 0, leniency: 0, duplicates: 0, refusedUnbinding: 0 };
  private currentState: SessionState = 'OPEN';
  private readonly o: ResolvedSessionOptions;
  private readonly log: Logger;
  private readonly debugOn: boolean;
  private readonly out: Outbox;
  private readonly reader: FrameReader;
  private readonly liveness: Liveness;
  private peerVersion: number | undefined;
  /** esme: a bind we sent awaits its response. mc: a bind received awaits the application's answer. */
  private bindPending = false;
  /** Requests received and handed to the application, not yet answered. */
  private readonly inbound = new Unanswered();
  /**
   * The last request let through to the application by handleRequest's default branch (not a bind), the state it
   * came in and whether it takes an answer: a stream of one command in one state is checked once (the state table
   * depends on nothing else for it).
   */
  private passed: string | undefined;
  private passedIn: SessionState | undefined;
  private passedNeedsAnswer = false;
  /**
   * respond()'s last answer of its own name (no `command` given) to a request that is not a bind: the request's
   * command, the state and the response's name. The same answer in the same state is checked once.
   */
  private answeredFor: string | undefined;
  private answeredIn: SessionState | undefined;
  private answerName: CommandName | undefined;

  private unbinding: Promise<void> | undefined;
  private closeReason: CloseReason | undefined;
  private closeListeners: Array<() => void> = [];

  constructor(socket: Duplex, options: SessionOptions) {
    super();
    const o = (this.o = resolveSessionOptions(options));
    this.role = o.role;
    this.log = o.logger;
    this.debugOn = this.log.isLevelEnabled?.('debug') ?? true;
    this.out = new Outbox(socket, o, {
      recheck: this.assertMaySendRequest,
      dispatched: this.onDispatched,
      drained: () => this.reader.unblock(),
    });
    this.reader = new FrameReader(
      socket,
      sessionSink(this, this.stats, this.out, o, this.onPdu, {
        state: () => this.currentState,
        close: (reason) => this.close(reason),
      }),
      o,
    );
    this.liveness = new Liveness(o, this.out.window, this.reader, {
      state: () => this.currentState,
      isUnbinding: () => this.unbinding !== undefined,
      close: (reason) => this.close(reason),
      enquireLink: () => this.sendRequest({ command: 'enquire_link' }, true),
    });

    if (socket.destroyed) process.nextTick(() => this.close('peer-closed')); // gone before we got it
  }

  // ---- public API -------------------------------------------------------------------------------------

  get state(): SessionState {
    return this.currentState;
  }

  /** Requests we sent that await their response. */
  get outstanding(): number {
    return this.out.window.outstanding;
  }

  /** Requests received and handed to the application that it has not answered yet. */
  get unanswered(): number {
    return this.inbound.size;
  }

  get paused(): boolean {
    return this.reader.paused;
  }

  /** Bytes written and not yet sent: queued here and in the socket's own buffer (bounded by maxPendingWriteBytes). */
  get pendingWriteBytes(): number {
    return this.out.queuedBytes;
  }

  /** The most pendingWriteBytes held at once in this session's life. */
  get peakPendingWriteBytes(): number {
    return this.out.peakQueuedBytes;
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
  request<N extends RequestName>(pdu: RequestInput<N>): Promise<ResponseTo<N>> {
    return this.sendRequest(pdu, false) as Promise<ResponseTo<N>>;
  }

  /**
   * request() with a callback instead of a Promise, for hot paths (no Promise, closures or microtask per request
   * when a window slot is free): `done(null, response)` or `done(error)`, exactly once, never before requestWith
   * returns. A response is handed over while its read is being processed, after the state change a bind_resp
   * or unbind_resp brings; what `done` throws is reported like a throwing 'request' listener's error (the rest
   * of the read is still delivered).
   */
  requestWith<N extends RequestName>(pdu: RequestInput<N>, done: Done<ResponseTo<N>>): void {
    this.sendRequestWith(pdu, false, done as Done<ResponsePdu>);
  }

  /**
   * requestWith() for a request the caller has encoded itself, header included (its sequence_number is written
   * here, over the bytes): for a sender that writes a PDU it sends often straight into its octets. The state rules
   * and the window apply as for requestWith; the bytes are not checked: they must be one whole `command` PDU, and
   * not be changed afterwards.
   */
  requestEncodedWith<N extends RequestName>(command: N, bytes: Buffer, done: Done<ResponseTo<N>>): void {
    try {
      this.assertMaySendRequest(command, false);
      const refused = requestRefusal(command, this.bindPending);
      if (refused !== undefined) throw refused;
    } catch (err) {
      process.nextTick(done, err);
      return;
    }
    this.out.requestWith(command, bytes, false, done as Done<ResponsePdu>);
  }

  /**
   * Answer a request received through the 'request' event (same sequence_number). Default command_status 0.
   * Returns false when the answer can no longer be sent (session closed, state moved on, already answered), or
   * when `req` is no unanswered request of this session.
   * With the request typed (`PduOf<'submit_sm'>`, a `RequestPdu` narrowed on `command`), `fields` are checked
   * against its response; a PDU typed only as `Pdu` or `{ command, sequence_number }` takes any response's fields.
   */
  respond<P extends ReceivedPdu>(req: P, fields?: ResponseFieldsFor<P>): boolean {
    const seq = req.sequence_number;
    if (this.currentState === 'CLOSED') {
      this.log.debug({ command: req.command, sequence_number: seq }, 'respond(): session closed, not sent');
      return false;
    }
    if (!this.inbound.delete(seq)) {
      this.log.warn(
        { command: req.command, sequence_number: seq },
        'respond(): no unanswered request with this sequence number',
      );
      return false;
    }
    const given = fields as ResponseFields | undefined;
    const status = given?.command_status ?? 0;
    if (req.command === this.answeredFor && this.currentState === this.answeredIn && given?.command === undefined) {
      this.out.writeResponse(this.answerName!, given, status, seq);
      return true;
    }
    const bind = isBindCommand(req.command) ? req.command : undefined;
    if (bind !== undefined) this.bindPending = false;
    const command: CommandName | undefined = given?.command ?? responseNameOf(req.command);
    if (command === undefined) throw new TypeError(`${req.command} has no response PDU`);
    if (!maySend(this.role, this.currentState, command)) {
      this.log.debug(
        { command, sequence_number: seq, state: this.currentState },
        'response no longer allowed in this state, not sent',
      );
      return false;
    }
    if (bind === undefined && given?.command === undefined) {
      this.answeredFor = req.command;
      this.answeredIn = this.currentState;
      this.answerName = command;
    }
    this.out.writeResponse(command, given, status, seq);
    if (status === 0 && command !== 'generic_nack' && bind !== undefined) {
      this.peerVersion = (req as Partial<PduOf<BindCommand>>).interface_version;
      this.setState(BIND_STATE[bind]);
    }
    return true;
  }

  /**
   * Send a PDU that gets no response (alert_notification, outbind), or any PDU as given (a response to a request
   * the session did not hand over, a request whose response will be 'unexpectedResponse'). A missing
   * sequence_number is assigned. Throws SessionError NOT_ALLOWED when this role may not send it now.
   */
  send(pdu: SendInput): void {
    const refused = sendRefusal(this.role, this.currentState, pdu.command, this.closeReason, false);
    if (refused !== undefined) throw refused;
    const seq = pdu.sequence_number ?? this.out.nextSequence();
    const status = pdu.command_status ?? 0;
    this.out.write(pdu.command, seq, status, encodeWithHeader(pdu.command, pdu, status, seq));
    if (pdu.command === 'outbind') this.setState('OUTBOUND');
  }

  /**
   * Write what is queued now rather than at the end of the turn or callback (writeTiming): e.g. answers an
   * application gave in one go while it goes on with the rest of a large read. Nothing happens while the socket's
   * buffer is full (the PDUs then leave on 'drain', as always) or once closed.
   */
  flushWrites(): void {
    this.out.flush();
  }

  /**
   * Write bytes as they are, through the same writer as every PDU: after the PDUs already queued, before those
   * queued later, and like them held back while the socket's buffer is full. For tests and fault injection
   * (a malformed PDU, a PDU split mid-way): nothing is checked, the state table does not apply, no sequence
   * number is assigned. The Buffer is not copied: do not change it afterwards. Throws SessionError CLOSED once closed.
   */
  sendRaw(bytes: Buffer): void {
    if (this.currentState === 'CLOSED') throw closedError(this.closeReason, 'raw bytes');
    this.out.writeRaw(bytes);
  }

  /** ESME: send bind_<type>; the state follows a status-0 response. Resolves with the response whatever its status. */
  bind(options: BindOptions): Promise<ResponseTo<BindCommand>> {
    const pdu = bindRequest(options);
    return this.role === 'esme'
      ? this.request(pdu)
      : Promise.reject(notAllowedError(this.role, this.currentState, pdu.command));
  }

  /**
   * Graceful end: refuse new requests, wait (at most responseTimeoutMs) for our outstanding requests and for
   * the application's answers to the peer's, send unbind, await unbind_resp, close. Resolves once closed.
   */
  unbind(): Promise<void> {
    if (this.currentState === 'CLOSED') return Promise.resolve();
    this.unbinding ??= gracefulUnbind({
      window: this.out.window,
      inbound: this.inbound,
      liveness: this.liveness,
      log: this.log,
      responseTimeoutMs: this.o.responseTimeoutMs,
      state: () => this.currentState,
      closed: () => new Promise<void>((resolve) => this.closeListeners.push(resolve)),
      sendUnbind: () => this.sendRequest({ command: 'unbind' }, true),
      close: (reason) => this.close(reason),
    });
    return this.unbinding;
  }

  /** Close now. Outstanding requests are rejected with CLOSED (maybeDelivered: true). Queued PDUs are still written. */
  close(reason: CloseReason = 'local'): void {
    if (this.currentState === 'CLOSED') return;
    this.closeReason = reason;
    const prev = this.currentState;
    this.currentState = 'CLOSED';
    this.liveness.stop();
    this.reader.stop();
    this.out.end(reason !== 'peer-closed' && reason !== 'error');
    this.out.window.failAll(reason);
    // the one line per close: why, from which state, what was left unanswered, and the session's counters
    this.log.info({ reason, prev, unanswered: this.inbound.size, ...this.stats }, 'session closed');
    this.inbound.clear();
    this.emit('state', 'CLOSED', prev);
    this.emit('close', reason);
    const listeners = this.closeListeners;
    this.closeListeners = [];
    for (const l of listeners) l();
  }

  /**
   * Change how PDUs from the peer are decoded (the `strictness` option), from the next PDU on: e.g. an MC that learns
   * at bind that this peer's account is to be read leniently.
   */
  setStrictness(strictness: Strictness): void {
    if (strictness !== 'strict' && strictness !== 'lenient')
      throw new RangeError(`strictness must be 'strict' or 'lenient', got ${String(strictness)}`);
    this.reader.setStrictness(strictness);
  }

  /** Stop reading from the socket (TCP backpressure reaches the peer). PDUs already read wait for resume(). */
  pause(): void {
    this.reader.pause();
  }

  /** Deliver the PDUs held back, in order, then read from the socket again. */
  resume(): void {
    this.reader.resume();
  }

  // ---- sending ----------------------------------------------------------------------------------------

  /** Checks, encodes (before taking a window slot: a field beyond its limit fails here), hands to the outbox. */
  private sendRequest(pdu: RequestInput, internal: boolean): Promise<ResponsePdu> {
    return new Promise((resolve, reject) =>
      this.sendRequestWith(pdu, internal, (err, r) => (err ? reject(err) : resolve(r!))),
    );
  }

  private sendRequestWith(pdu: RequestInput, internal: boolean, done: Done<ResponsePdu>): void {
    const command = pdu.command;
    let bytes: Buffer;
    try {
      this.assertMaySendRequest(command, internal);
      const refused = requestRefusal(command, this.bindPending);
      if (refused !== undefined) throw refused;
      // the caller's object is encoded as it is (not copied); the outbox writes the sequence number into the bytes
      bytes = encodeWithHeader(command, pdu, 0, 0);
    } catch (err) {
      process.nextTick(done, err);
      return;
    }
    this.out.requestWith(command, bytes, internal, done);
  }

  private readonly assertMaySendRequest = (command: string, internal: boolean): void => {
    const unbinding = !internal && this.unbinding !== undefined;
    const refused = sendRefusal(this.role, this.currentState, command, this.closeReason, unbinding);
    if (refused !== undefined) throw refused;
  };

  /** A bind on the wire: no other bind may follow until it is answered (or fails). */
  private readonly onDispatched = (command: CommandName, done: Done<ResponsePdu>): Done<ResponsePdu> => {
    if (!isBindCommand(command)) return done;
    this.bindPending = true;
    return (err, r) => {
      this.bindPending = false;
      done(err, r);
    };
  };

  // ---- receiving (the PDUs of the FrameReader's sink: sink.ts) ------------------------------------

  private readonly onPdu = (pdu: Pdu, frame: Buffer): void => {
    if (this.debugOn)
      this.log.debug(
        { dir: 'in', command: pdu.command, sequence_number: pdu.sequence_number, command_status: pdu.command_status },
        'pdu',
      );
    if (isResponseId(frame.readUInt32BE(4))) this.handleResponse(pdu as ResponsePdu);
    else this.handleRequest(pdu as RequestPdu, frame);
  };

  private handleResponse(pdu: ResponsePdu): void {
    const seq = pdu.sequence_number;
    const requested = this.out.window.commandOf(seq);
    if (requested === undefined || (pdu.command !== 'generic_nack' && pdu.command !== responseNameOf(requested))) {
      this.log.debug(
        { command: pdu.command, sequence_number: seq, outstanding: requested ?? null },
        'response matches no outstanding request',
      );
      if (this.listenerCount('unexpectedResponse') > 0) this.emit('unexpectedResponse', pdu);
      return;
    }
    // state first, so code awaiting the response already sees the new state
    if (pdu.command_status === 0 && pdu.command !== 'generic_nack') {
      if (isBindCommand(requested)) {
        this.peerVersion = pdu.tlvs?.sc_interface_version;
        this.setState(BIND_STATE[requested]);
      } else if (requested === 'unbind') this.setState('UNBOUND');
    }
    this.out.window.complete(seq, pdu);
  }

  private handleRequest(pdu: RequestPdu, frame: Buffer): void {
    const { command, sequence_number: seq } = pdu;
    if (command === this.passed && this.currentState === this.passedIn) {
      this.handOver(pdu, frame, this.passedNeedsAnswer);
      return;
    }
    const refusal = refusalOf(this.role, this.currentState, command, this.bindPending);
    if (refusal !== undefined) {
      this.log.debug(
        { command, sequence_number: seq, state: this.currentState, command_status: refusal.status },
        'refused',
      );
      this.out.writeHeaderOnly(refusal.command, refusal.status, seq);
      return;
    }
    switch (command) {
      case 'enquire_link':
        this.out.writeHeaderOnly('enquire_link_resp', 0, seq);
        return;
      case 'unbind':
        this.out.writeHeaderOnly('unbind_resp', 0, seq);
        this.setState('UNBOUND');
        this.close('unbind');
        return;
      case 'bind_transmitter':
      case 'bind_receiver':
      case 'bind_transceiver':
        this.bindPending = true;
        handOff(this, this.inbound, this.log, pdu, frame, true);
        return;
      case 'outbind':
        this.setState('OUTBOUND');
        handOff(this, this.inbound, this.log, pdu, frame, false);
        return;
      default: {
        const needsAnswer = responseNameOf(command) !== undefined;
        this.passed = command;
        this.passedIn = this.currentState;
        this.passedNeedsAnswer = needsAnswer;
        this.handOver(pdu, frame, needsAnswer);
      }
    }
  }

  /** A request the state table lets through: refused if a duplicate or while unbinding, else handed on. */
  private handOver(pdu: RequestPdu, frame: Buffer, needsAnswer: boolean): void {
    if (needsAnswer && this.inbound.has(pdu.sequence_number)) this.refuseDuplicate(pdu);
    else if (needsAnswer && this.unbinding !== undefined) this.refuseUnbinding(pdu);
    else handOff(this, this.inbound, this.log, pdu, frame, needsAnswer);
  }

  /**
   * A request whose sequence_number is that of one still unanswered: the application would store it and could
   * answer only one of the two (respond() finds requests by sequence number). Answered here, counted, not handed on.
   */
  private refuseDuplicate(pdu: RequestPdu): void {
    const n = ++this.stats.duplicates;
    const { command, sequence_number } = pdu;
    this.log[n <= DUPLICATE_WARNINGS ? 'warn' : 'debug'](
      { command, sequence_number, duplicates: n },
      'request with the sequence number of an unanswered request: refused ESME_RSYSERR',
    );
    this.out.writeHeaderOnly(responseNameOf(command)!, ESME_RSYSERR, sequence_number);
  }

  /**
   * A request read once unbind() began (while we wait for the answers owed, or after our unbind went out): the
   * application is finishing, so it is not handed on (it would be stored, or answered after our unbind); its _resp
   * ESME_RINVBNDSTS tells the peer it was not taken, to send again on a new bind. Counted in stats.refusedUnbinding.
   */
  private refuseUnbinding(pdu: RequestPdu): void {
    const n = ++this.stats.refusedUnbinding;
    const { command, sequence_number } = pdu;
    if (n === 1 || this.debugOn)
      this.log[n === 1 ? 'info' : 'debug'](
        { command, sequence_number, refused: n },
        'request while unbinding: refused ESME_RINVBNDSTS',
      );
    this.out.writeHeaderOnly(responseNameOf(command)!, ESME_RINVBNDSTS, sequence_number);
  }

  // ---- helpers ----------------------------------------------------------------------------------------

  private setState(next: SessionState): void {
    const prev = this.currentState;
    if (prev === next || prev === 'CLOSED') return;
    this.currentState = next;
    this.reader.gated = !isBound(next);
    this.log.info({ state: next, prev }, 'session state');
    this.emit('state', next, prev);
  }
}
