// The writing half of a session: the request window (at most windowSize outstanding, callers queued for a slot),
// sequence numbers, and every byte this side writes, in order, through one WriteBatcher (one socket write per
// event-loop turn or callback, at most maxPdusPerWrite PDUs each, nothing more until 'drain' once the socket's
// buffer is full). The state rules (may this be sent now?) stay with the session: it checks before handing over,
// and `recheck` is asked again when a request had to wait for its slot.

import type { Duplex } from 'node:stream';
import type { CommandName, ResponsePdu } from '../commands.js';
import { encodeInto, encodeWithHeader } from '../pdu-codec.js';
import { CommandStatus } from '../status.js';
import { SessionError } from './errors.js';
import type { Logger } from './logger.js';
import type { ResolvedSessionOptions } from './options.js';
import { SequenceGenerator } from './sequence.js';
import { traceOut } from './trace.js';
import { type Done, Window } from './window.js';
import { WriteBatcher } from './write-batcher.js';

/** What a graceful close reads (and drops) from a peer that goes on sending, before it destroys the socket. */
const CLOSE_DRAIN_BYTES = 256 * 1024;

export interface OutboxHooks {
  /** Throws when `command` may no longer be sent (asked after a wait for a window slot). */
  recheck(command: CommandName, internal: boolean): void;
  /** A request was numbered and is about to be queued: returns the callback to settle it with (`done`, or a wrap). */
  dispatched(command: CommandName, done: Done<ResponsePdu>): Done<ResponsePdu>;
  /** A wait for 'drain' ended with everything written. */
  drained(): void;
}

export class Outbox {
  readonly window: Window<ResponsePdu>;
  private readonly sequence: SequenceGenerator;
  private readonly batcher: WriteBatcher;
  private readonly debugOn: boolean;

  constructor(
    private readonly socket: Duplex,
    private readonly o: ResolvedSessionOptions,
    private readonly hooks: OutboxHooks,
  ) {
    this.window = new Window<ResponsePdu>(o.windowSize);
    this.sequence = new SequenceGenerator(o.sequenceStart);
    const schedule = o.writeTiming === 'turn' ? setImmediate : process.nextTick;
    const held = () => socket.writableLength ?? 0;
    this.batcher = new WriteBatcher(socket, schedule, () => hooks.drained(), o.maxPdusPerWrite, held);
    this.debugOn = o.logger.isLevelEnabled?.('debug') ?? true;
  }

  private get log(): Logger {
    return this.o.logger;
  }

  /** Bytes waiting to be written (this turn's batch, or held back by backpressure). */
  get pendingBytes(): number {
    return this.batcher.pendingBytes;
  }

  /** Bytes written and not yet sent: ours (pendingBytes) and those in the socket's own buffer (writableLength). */
  get queuedBytes(): number {
    return this.batcher.pendingBytes + (this.socket.writableLength ?? 0);
  }

  /** The most `queuedBytes` held at once so far (measured at each socket write and at each PDU queued while blocked). */
  get peakQueuedBytes(): number {
    return this.batcher.peakBytes;
  }

  /** True while the socket's buffer is full and nothing more is written until 'drain'. */
  get isBlocked(): boolean {
    return this.batcher.isBlocked;
  }

  /**
   * Take a window slot (waiting at most windowWaitTimeoutMs for one), number the encoded request (`bytes`, its
   * sequence number still 0), register it and queue it. Resolves with its response.
   */
  request(command: CommandName, bytes: Buffer, internal: boolean): Promise<ResponsePdu> {
    return new Promise((resolve, reject) =>
      this.requestWith(command, bytes, internal, (err, r) => (err ? reject(err) : resolve(r!))),
    );
  }

  /** request() with a callback, never called before this returns. No Promise when a window slot is free. */
  requestWith(command: CommandName, bytes: Buffer, internal: boolean, done: Done<ResponsePdu>): void {
    if (this.window.tryReserve()) {
      this.dispatch(command, bytes, done);
      return;
    }
    if (this.o.windowWaitTimeoutMs === 0) {
      const err = new SessionError(
        'WINDOW_TIMEOUT',
        `window full (size ${this.window.size}) and no wait allowed: ${command} not sent`,
        false,
      );
      process.nextTick(done, err);
      return;
    }
    this.window.waitForSlot(this.o.clock.now() + this.o.windowWaitTimeoutMs).then(
      () => {
        try {
          this.hooks.recheck(command, internal); // the world may have moved while we waited
        } catch (err) {
          this.window.cancelReservation();
          done(err as Error);
          return;
        }
        this.dispatch(command, bytes, done);
      },
      (err: Error) => done(err),
    );
  }

  /** Queue an encoded PDU (traced and, at debug, logged). */
  write(command: CommandName, seq: number, status: number, bytes: Buffer): void {
    if (this.o.trace !== undefined) traceOut(this.o.trace, this.log, bytes);
    if (this.debugOn) this.log.debug({ dir: 'out', command, sequence_number: seq, command_status: status }, 'pdu');
    this.batcher.push(bytes);
  }

  /**
   * Queue a response to the peer's request `seq`. When `fields` break a spec limit the peer still gets an answer
   * (header-only ESME_RSYSERR) and the SmppEncodeError naming the field is thrown to the caller.
   */
  writeResponse(command: CommandName, fields: object | undefined, status: number, seq: number): void {
    if (this.o.trace === undefined && !this.debugOn) {
      // written straight into the batch (no Buffer of its own, no copy into the write)
      const b = this.batcher;
      try {
        encodeInto(command, fields, status, seq, b);
      } catch (err) {
        b.cancelReserve();
        this.writeHeaderOnly(command, CommandStatus.ESME_RSYSERR, seq);
        throw err;
      }
      b.written();
      return;
    }
    let bytes: Buffer;
    try {
      bytes = encodeWithHeader(command, fields, status, seq);
    } catch (err) {
      this.writeHeaderOnly(command, CommandStatus.ESME_RSYSERR, seq);
      throw err;
    }
    this.write(command, seq, status, bytes);
  }

  /** Write what is queued now (unless the socket asked us to wait, or the outbox is ended). */
  flush(): void {
    this.batcher.flush();
  }

  /** Queue bytes as they are (traced: as a PDU when they decode as one, else null). */
  writeRaw(bytes: Buffer): void {
    if (this.o.trace !== undefined) traceOut(this.o.trace, this.log, bytes);
    if (this.debugOn) this.log.debug({ dir: 'out', bytes: bytes.length }, 'raw bytes');
    this.batcher.push(bytes);
  }

  /** Queue a header-only PDU: the answers the session writes by itself (refusals, enquire_link_resp, …). */
  writeHeaderOnly(command: CommandName, status: number, seq: number): void {
    this.write(command, seq, status, encodeWithHeader(command, undefined, status, seq));
  }

  /** The next sequence number for a PDU this side originates; after a wrap, never one still outstanding. */
  nextSequence(): number {
    for (;;) {
      const seq = this.sequence.next();
      if (!this.window.has(seq)) return seq;
    }
  }

  /**
   * Accept nothing more and end the socket. Graceful: what is queued is still written (ignoring backpressure),
   * the socket is ended and destroyed after closeGraceMs if the peer does not close it. Otherwise (the connection
   * is gone) what is queued is dropped, with a warning.
   */
  end(graceful: boolean): void {
    const socket = this.socket;
    if (!graceful) {
      const dropped = this.batcher.discard();
      if (dropped > 0) this.log.warn({ bytes: dropped }, 'connection lost with PDUs not yet written');
      socket.destroy();
      return;
    }
    this.batcher.finish();
    socket.end();
    // even if paused: read (and drop) until the peer's FIN, so the socket closes promptly; but a peer that keeps
    // sending is not read for the whole grace period (it would cost us a core): cut off after CLOSE_DRAIN_BYTES
    let dropped = 0;
    socket.on('data', (d: Buffer) => {
      dropped += d.length;
      if (dropped > CLOSE_DRAIN_BYTES) socket.destroy();
    });
    socket.resume();
    if (this.o.closeGraceMs > 0) setTimeout(() => socket.destroy(), this.o.closeGraceMs).unref();
    else socket.destroy();
  }

  private dispatch(command: CommandName, bytes: Buffer, done: Done<ResponsePdu>): void {
    const seq = this.nextSequence();
    bytes.writeUInt32BE(seq, 12);
    this.window.addWith(
      seq,
      command,
      this.o.clock.now() + this.o.responseTimeoutMs,
      this.hooks.dispatched(command, done),
    );
    this.write(command, seq, 0, bytes);
  }
}
