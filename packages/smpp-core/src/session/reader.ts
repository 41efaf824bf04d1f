// The reading half of a session: socket 'data' → PduFramer → frames → decodePdu → the sink, one PDU at a time and
// in order, and the flow control of reading. Reading stops for three reasons, each undone on its own: the
// application paused (frames already read are held back and delivered on resume), the peer does not read what we
// write (`shouldBlock`, asked after each PDU, says so; `unblock()` once the writes drained), and, for a session not
// bound that shares a TurnBudget, this turn's share of PDUs is spent (resumed on a later turn). In the last two the
// octets not yet framed stay in the framer (one buffer, not one object per PDU) and the socket is paused.

import type { Duplex } from 'node:stream';
import type { Pdu } from '../commands.js';
import { PduFramer } from '../framer.js';
import { type DecodeOptions, decodePdu } from '../pdu-codec.js';
import type { LeniencyWarning, Strictness } from '../pdu-reader.js';
import type { Clock } from './clock.js';
import type { Logger } from './logger.js';
import type { ReadHooks, ResolvedSessionOptions } from './options.js';
import { callTrace } from './trace.js';
import type { TurnBudget } from './turn-budget.js';

export interface FrameSink {
  /** A decoded PDU and the frame it was decoded from (the framer's own copy: its Buffers are views into it). */
  onPdu(pdu: Pdu, frame: Buffer): void;
  /** An error of the framer (fatal SmppDecodeError) or of the decoder (SmppDecodeError, fatal or not). */
  onReadError(err: unknown): void;
  /** Lenient decoding accepted a field longer than the spec allows (called while decoding, before onPdu). */
  onLenient(warning: LeniencyWarning): void;
  /** What onPdu / onReadError threw: the rest of the read is still delivered. */
  onSinkError(err: unknown): void;
  /** The peer ended its side ('end', after a warning when it left a PDU incomplete) or the socket closed. */
  onSocketEnd(): void;
  onSocketError(err: Error): void;
  /** Asked after each PDU: is so much waiting to be written that we should stop reading (until unblock())? */
  shouldBlock(): boolean;
}

export class FrameReader {
  private readonly framer: PduFramer;
  /** undefined when strict: decodePdu's fastest path. */
  private decodeOptions: DecodeOptions | undefined;
  private readonly lenientOptions: DecodeOptions;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly budget: TurnBudget | undefined;
  /** Frames cut but not delivered (read while paused, or the one that found the turn's budget spent), in order. */
  private inbox: Buffer[] = [];
  private inboxHead = 0;
  private isPaused = false;
  /** Reading stopped because the peer does not read what we write. */
  private isBlocked = false;
  /** Reading stopped until a later turn of the TurnBudget. */
  private isWaiting = false;
  private stopped = false;
  private delivering = false;
  /** The budget's turn of the last PDU counted, and the PDUs counted in it. */
  private turnSeen = -1;
  private turnFrames = 0;
  /** Counted against the TurnBudget (the session is not bound). */
  gated = true;
  /** When the last bytes came in (time spent not reading does not count). */
  lastReceived: number;

  constructor(
    private readonly socket: Duplex,
    private readonly sink: FrameSink,
    private readonly o: ResolvedSessionOptions,
  ) {
    this.clock = o.clock;
    this.log = o.logger;
    this.budget = o.unboundTurnBudget;
    this.framer = new PduFramer(
      this.onFrame,
      o.maxCommandLength === undefined ? undefined : { maxCommandLength: o.maxCommandLength },
    );
    this.lastReceived = this.clock.now();
    this.lenientOptions = { strictness: 'lenient', onLenient: (w) => sink.onLenient(w) };
    this.setStrictness(o.strictness);
    const maybeNet = socket as Duplex & { setNoDelay?: (noDelay: boolean) => unknown };
    if (typeof maybeNet.setNoDelay === 'function') maybeNet.setNoDelay(true); // the outbox batches writes itself
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', () => sink.onSocketEnd());
    socket.on('error', (err: Error) => sink.onSocketError(err));
  }

  /** How the frames read from now on are decoded (the next frame of a read already in hand included). */
  setStrictness(strictness: Strictness): void {
    this.decodeOptions = strictness === 'lenient' ? this.lenientOptions : undefined;
  }

  /** Paused by the application. */
  get paused(): boolean {
    return this.isPaused;
  }

  /** Reading now: neither paused nor blocked (inactivity and keep-alive only count then). */
  get reading(): boolean {
    return !this.isPaused && !this.isBlocked;
  }

  /** Stop reading from the socket (TCP backpressure reaches the peer); frames already read wait for resume(). */
  pause(): void {
    if (this.isPaused) return;
    this.isPaused = true;
    this.socket.pause();
  }

  /** Deliver the frames held back, in order, until paused again or stopped; then read from the socket again. */
  resume(): void {
    if (!this.isPaused) return;
    this.isPaused = false;
    this.lastReceived = this.clock.now(); // time paused is not the peer's inactivity
    this.release();
  }

  /** The peer reads again (our writes drained): read again unless the application paused. */
  unblock(): void {
    if (!this.isBlocked) return;
    this.isBlocked = false;
    this.lastReceived = this.clock.now(); // time spent not reading is not the peer's inactivity
    this.release();
  }

  /** Read and deliver nothing more; drop what is held back. */
  stop(): void {
    this.stopped = true;
    this.socket.removeListener('data', this.onData);
    this.inbox = [];
    this.inboxHead = 0;
    this.framer.reset();
  }

  private get held(): boolean {
    return this.isPaused || this.isBlocked || this.isWaiting || this.stopped;
  }

  private readonly onData = (chunk: Buffer): void => {
    if (this.stopped) return;
    this.lastReceived = this.clock.now();
    const around = this.o.aroundRead;
    if (around !== undefined) around.start();
    try {
      this.framer.push(chunk);
    } catch (err) {
      this.sink.onReadError(err);
    } finally {
      if (around !== undefined) this.readEnd(around);
    }
  };

  private readEnd(around: ReadHooks): void {
    try {
      around.end();
    } catch (err) {
      this.sink.onSinkError(err);
    }
  }

  private readonly onEnd = (): void => {
    const partial = this.framer.buffered;
    if (partial > 0) this.log.warn({ bytes: partial }, 'peer closed in the middle of a PDU');
    this.sink.onSocketEnd();
  };

  /** A frame cut from the socket's bytes; false stops the framing (the rest is held in the framer). */
  private readonly onFrame = (frame: Buffer): boolean => {
    if (this.stopped) return false;
    if (this.isPaused) {
      this.inbox.push(frame);
      return true; // read while paused: the rest of this chunk is framed into the inbox too
    }
    if (this.isBlocked || this.isWaiting || !this.mayTake()) {
      this.inbox.push(frame);
      return false;
    }
    return this.deliver(frame);
  };

  /** One PDU of the turn's budget (always, when the session is bound or shares no budget). */
  private mayTake(): boolean {
    const b = this.budget;
    if (b === undefined || !this.gated) return true;
    if (b.turn !== this.turnSeen) {
      this.turnSeen = b.turn;
      this.turnFrames = 0;
    }
    if (this.turnFrames < b.share && b.take()) {
      this.turnFrames++;
      return true;
    }
    this.isWaiting = true;
    this.socket.pause();
    b.wait(this.onTurn);
    return false;
  }

  private readonly onTurn = (): void => {
    this.isWaiting = false;
    this.release();
  };

  /** Hands one frame on; then stops reading when the peer leaves too much unread. Returns: may the next follow? */
  private deliver(frame: Buffer): boolean {
    this.handleSafely(frame);
    if (this.stopped) return false;
    if (!this.isBlocked && this.sink.shouldBlock()) {
      this.isBlocked = true;
      this.socket.pause();
      return false;
    }
    return true;
  }

  /** One reason to stop reading ended: deliver what is held, in order, unless another holds; then read again. */
  private release(): void {
    if (this.held || this.delivering) return;
    this.delivering = true;
    try {
      while (this.inboxHead < this.inbox.length) {
        if (this.held || !this.mayTake()) return;
        if (!this.deliver(this.inbox[this.inboxHead++]!)) return;
      }
      this.inbox = [];
      this.inboxHead = 0;
      if (this.framer.held) {
        try {
          this.framer.drain();
        } catch (err) {
          this.sink.onReadError(err);
        }
        if (this.held) return;
      }
    } finally {
      this.delivering = false;
    }
    this.socket.resume();
  }

  /** A listener of the application that throws ('state', 'unexpectedResponse', …) must not lose the rest of the read. */
  private handleSafely(frame: Buffer): void {
    try {
      this.handle(frame);
    } catch (err) {
      this.sink.onSinkError(err);
    }
  }

  private handle(frame: Buffer): void {
    let pdu: Pdu;
    try {
      pdu = decodePdu(frame, this.decodeOptions);
    } catch (err) {
      if (this.o.trace !== undefined) callTrace(this.o.trace, this.log, 'in', null, frame);
      this.sink.onReadError(err);
      return;
    }
    if (this.o.trace !== undefined) callTrace(this.o.trace, this.log, 'in', pdu, frame);
    this.sink.onPdu(pdu, frame);
  }
}
